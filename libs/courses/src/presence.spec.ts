import { deviceKey, latestCreditedCheckin, noCreditReason } from './presence';

const MINUTE = 60_000;
const start = new Date('2026-12-05T06:00:00Z');
const session = { startsAt: start, endsAt: new Date(start.getTime() + 120 * MINUTE) };
const rule = { lateCheckinMinutes: 15, minPresencePercent: 80 };
const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

describe('the offline presence rule', () => {
  it('credits an on-time check-in and a check-out at the end', () => {
    expect(noCreditReason(rule, session, at(-20), at(115))).toBeUndefined();
    expect(noCreditReason(rule, session, at(15), at(111))).toBeUndefined();
  });

  it('refuses a check-in later than the allowed minutes', () => {
    expect(noCreditReason(rule, session, at(16), at(120))).toEqual({ code: 'ATTENDANCE_CHECKIN_TOO_LATE', params: { minutes: 15 } });
  });

  it('counts only the part of the session between check-in and check-out', () => {
    // Arriving 30 minutes early does not make up for leaving after 60 minutes.
    expect(noCreditReason(rule, session, at(-30), at(60))).toEqual({
      code: 'ATTENDANCE_PRESENCE_TOO_SHORT',
      params: { presentMinutes: 60, percent: 80, requiredMinutes: 96 },
    });
    expect(noCreditReason(rule, session, at(0), at(96))).toBeUndefined();
  });

  it('follows a lecture’s own setting', () => {
    expect(noCreditReason({ lateCheckinMinutes: 30, minPresencePercent: 50 }, session, at(25), at(90))).toBeUndefined();
  });
});

describe('latestCreditedCheckin', () => {
  // Every check-in a minute apart and around each bound to the millisecond, for check-outs across the window and a range of rules.
  const rules = [
    rule,
    { lateCheckinMinutes: 30, minPresencePercent: 50 },
    { lateCheckinMinutes: 0, minPresencePercent: 0 },
    { lateCheckinMinutes: 200, minPresencePercent: 100 },
    { lateCheckinMinutes: 5, minPresencePercent: 33 },
  ];
  const sessions = [session, { startsAt: start, endsAt: new Date(start.getTime() + 7 * MINUTE + 1) }];
  // 96 minutes less a millisecond: just short of 80% of the session whatever the check-in.
  const outs = [...[-15, 0, 5, 60, 96, 110, 119, 120, 150].map(at), new Date(at(96).getTime() - 1)];

  it('is the last check-in noCreditReason credits, for each rule, session and check-out', () => {
    for (const r of rules)
      for (const s of sessions)
        for (const out of outs) {
          const latest = latestCreditedCheckin(r, s, out);
          const checkins = Array.from({ length: 161 }, (_, i) => at(i - 40).getTime());
          if (latest) checkins.push(latest.getTime() - 1, latest.getTime(), latest.getTime() + 1);
          for (const ms of checkins) {
            const credited = noCreditReason(r, s, new Date(ms), out) === undefined;
            expect({ r, s, out, ms, credited }).toEqual({ r, s, out, ms, credited: latest !== undefined && ms <= latest.getTime() });
          }
        }
  });
});

describe('deviceKey', () => {
  it('prefers the client’s device id and never returns it in clear', () => {
    expect(deviceKey({ deviceId: 'install-123456', userAgent: 'a', ip: '1.1.1.1' })).toBe(
      deviceKey({ deviceId: 'install-123456', userAgent: 'b', ip: '2.2.2.2' }),
    );
    expect(deviceKey({ deviceId: 'install-123456' })).not.toContain('install');
    expect(deviceKey({ userAgent: 'a', ip: '1.1.1.1' })).not.toBe(deviceKey({ userAgent: 'a', ip: '1.1.1.2' }));
  });
});
