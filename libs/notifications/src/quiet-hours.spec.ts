import fc from 'fast-check';
import {
  DEFAULT_WORKING_HOURS,
  FAMILY_DAY,
  fromMinute,
  isQuiet,
  nextDeliveryTime,
  parseQuietWindow,
  quietUntil,
  toMinute,
  WorkingHours,
} from './quiet-hours';

/** An instant given as Shanghai wall-clock time (UTC+8, no daylight saving). */
const shanghai = (iso: string) => new Date(`${iso}+08:00`);

describe('nextDeliveryTime', () => {
  // 2026-11-27 is a Friday, 2026-11-30 a Monday.
  it('returns now itself inside the working hours', () => {
    for (const at of ['2026-11-30T07:30:00', '2026-11-30T12:00:00', '2026-11-27T17:59:59']) {
      const now = shanghai(at);
      expect(nextDeliveryTime(now, DEFAULT_WORKING_HOURS)).toBe(now);
      expect(isQuiet(now, DEFAULT_WORKING_HOURS)).toBe(false);
    }
  });

  it('moves Friday 18:30 in Shanghai to Monday 07:30', () => {
    const now = shanghai('2026-11-27T18:30:00');
    expect(nextDeliveryTime(now, DEFAULT_WORKING_HOURS)).toEqual(shanghai('2026-11-30T07:30:00'));
    expect(nextDeliveryTime(now, DEFAULT_WORKING_HOURS).toISOString()).toBe('2026-11-29T23:30:00.000Z');
    expect(isQuiet(now, DEFAULT_WORKING_HOURS)).toBe(true);
  });

  it('treats the end of the hours as outside: Friday 18:00 waits for Monday', () => {
    expect(nextDeliveryTime(shanghai('2026-11-27T18:00:00'), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2026-11-30T07:30:00'));
  });

  it('moves Saturday and Sunday, even late Sunday night, to Monday 07:30', () => {
    for (const at of ['2026-11-28T10:00:00', '2026-11-29T00:00:00', '2026-11-29T22:45:00', '2026-11-29T23:59:59']) {
      expect(nextDeliveryTime(shanghai(at), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2026-11-30T07:30:00'));
    }
  });

  it('waits for the same morning before the start, and the next morning after the end', () => {
    expect(nextDeliveryTime(shanghai('2026-11-30T06:59:00'), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2026-11-30T07:30:00'));
    // 00:30 in Shanghai is still the previous day in UTC: the day must be Shanghai's.
    expect(nextDeliveryTime(shanghai('2026-12-01T00:30:00'), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2026-12-01T07:30:00'));
    expect(nextDeliveryTime(shanghai('2026-12-01T19:00:00'), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2026-12-02T07:30:00'));
  });

  it('holds families back from 21:30 to 07:00, every day of the week', () => {
    expect(nextDeliveryTime(shanghai('2026-11-28T21:29:00'), FAMILY_DAY)).toEqual(shanghai('2026-11-28T21:29:00'));
    expect(nextDeliveryTime(shanghai('2026-11-28T21:30:00'), FAMILY_DAY)).toEqual(shanghai('2026-11-29T07:00:00'));
    expect(nextDeliveryTime(shanghai('2026-11-28T23:10:00'), FAMILY_DAY)).toEqual(shanghai('2026-11-29T07:00:00'));
    expect(nextDeliveryTime(shanghai('2026-11-29T03:00:00'), FAMILY_DAY)).toEqual(shanghai('2026-11-29T07:00:00'));
    expect(nextDeliveryTime(shanghai('2026-11-29T07:00:00'), FAMILY_DAY)).toEqual(shanghai('2026-11-29T07:00:00'));
  });

  it('crosses month and year ends', () => {
    expect(nextDeliveryTime(shanghai('2026-12-31T22:00:00'), FAMILY_DAY)).toEqual(shanghai('2027-01-01T07:00:00'));
    // 2027-12-31 is a Friday.
    expect(nextDeliveryTime(shanghai('2027-12-31T18:30:00'), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2028-01-03T07:30:00'));
    expect(nextDeliveryTime(shanghai('2028-02-28T20:00:00'), DEFAULT_WORKING_HOURS)).toEqual(shanghai('2028-02-29T07:30:00'));
  });

  it('follows custom hours: one afternoon a week comes back a week later', () => {
    const wednesdays: WorkingHours = { days: [3], startMinute: toMinute('14:00'), endMinute: toMinute('16:00') };
    // 2026-12-02 is a Wednesday.
    expect(nextDeliveryTime(shanghai('2026-12-02T13:00:00'), wednesdays)).toEqual(shanghai('2026-12-02T14:00:00'));
    expect(nextDeliveryTime(shanghai('2026-12-02T16:30:00'), wednesdays)).toEqual(shanghai('2026-12-09T14:00:00'));
    const allDay: WorkingHours = { days: [1, 2, 3, 4, 5, 6, 7], startMinute: 0, endMinute: toMinute('24:00') };
    const now = shanghai('2026-11-29T23:59:00');
    expect(nextDeliveryTime(now, allDay)).toBe(now);
  });

  it('does not hold pushes back for someone without any working day', () => {
    const now = shanghai('2026-11-29T03:00:00');
    expect(nextDeliveryTime(now, { days: [], startMinute: 450, endMinute: 1080 })).toBe(now);
  });

  it('always answers the first moment inside the hours, never earlier than now', () => {
    const hours = fc.record({
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      startMinute: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 1440 }),
    });
    const instants = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, hours, (now, h) => {
        const working: WorkingHours = { days: h.days, startMinute: h.startMinute, endMinute: Math.min(1440, h.startMinute + h.length) };
        const next = nextDeliveryTime(now, working);
        expect(next.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(8 * 24 * 60 * 60 * 1000);
        expect(isQuiet(next, working)).toBe(false);
        // Nothing between now and the answer is inside the hours (checked minute by minute at the whole minutes).
        const firstWhole = Math.ceil(now.getTime() / 60_000) * 60_000;
        for (let t = firstWhole; t < next.getTime(); t += 60_000) {
          if (!isQuiet(new Date(t), working))
            throw new Error(
              `${new Date(t).toISOString()} is inside ${JSON.stringify(working)} but ${next.toISOString()} was answered for ${now.toISOString()}`,
            );
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('toMinute / fromMinute', () => {
  it('converts HH:MM both ways, 24:00 included', () => {
    for (const [text, minute] of [
      ['00:00', 0],
      ['07:30', 450],
      ['18:00', 1080],
      ['21:30', 1290],
      ['24:00', 1440],
    ] as const) {
      expect(toMinute(text)).toBe(minute);
      expect(fromMinute(minute)).toBe(text);
    }
  });
});

describe('quietUntil (a nightly window, possibly past midnight)', () => {
  const night = parseQuietWindow('21:30-07:00');
  const at = (iso: string) => new Date(`${iso}+08:00`);

  it('holds pushes inside the window until its end and lets them out otherwise', () => {
    expect(quietUntil(at('2026-11-28T21:29:00'), night)).toEqual(at('2026-11-28T21:29:00'));
    expect(quietUntil(at('2026-11-28T21:30:00'), night)).toEqual(at('2026-11-29T07:00:00'));
    expect(quietUntil(at('2026-12-31T23:59:00'), night)).toEqual(at('2027-01-01T07:00:00'));
    expect(quietUntil(at('2026-11-29T06:59:00'), night)).toEqual(at('2026-11-29T07:00:00'));
    expect(quietUntil(at('2026-11-29T07:00:00'), night)).toEqual(at('2026-11-29T07:00:00'));
  });

  it('handles a window within one day and an empty one', () => {
    const lunch = parseQuietWindow('12:00-13:30');
    expect(quietUntil(at('2026-11-28T12:10:00'), lunch)).toEqual(at('2026-11-28T13:30:00'));
    expect(quietUntil(at('2026-11-28T13:30:00'), lunch)).toEqual(at('2026-11-28T13:30:00'));
    expect(quietUntil(at('2026-11-28T03:00:00'), parseQuietWindow('00:00-00:00'))).toEqual(at('2026-11-28T03:00:00'));
  });
});
