import { createHash } from 'node:crypto';

const MINUTE = 60_000;

export interface PresenceRule {
  /** the latest check-in that still earns credit, in minutes after the start */
  lateCheckinMinutes: number;
  /** the share of the session, in %, that must lie between check-in and check-out */
  minPresencePercent: number;
}

export type NoCredit =
  | { code: 'ATTENDANCE_CHECKIN_TOO_LATE'; params: { minutes: number } }
  | { code: 'ATTENDANCE_PRESENCE_TOO_SHORT'; params: { presentMinutes: number; percent: number; requiredMinutes: number } };

/** Whether a check-in at `checkedInAt` is too late for credit. */
export function lateCheckin(rule: PresenceRule, startsAt: Date, checkedInAt: Date): NoCredit | undefined {
  if (checkedInAt.getTime() <= startsAt.getTime() + rule.lateCheckinMinutes * MINUTE) return undefined;
  return { code: 'ATTENDANCE_CHECKIN_TOO_LATE', params: { minutes: rule.lateCheckinMinutes } };
}

/**
 * Why an offline attendance earns no credit, or undefined when it does. The time present is the
 * part of the session between check-in and check-out: arriving early or leaving late adds nothing.
 */
export function noCreditReason(
  rule: PresenceRule,
  session: { startsAt: Date; endsAt: Date },
  checkedInAt: Date,
  checkedOutAt: Date,
): NoCredit | undefined {
  const late = lateCheckin(rule, session.startsAt, checkedInAt);
  if (late) return late;
  const length = session.endsAt.getTime() - session.startsAt.getTime();
  const present = Math.max(
    0,
    Math.min(checkedOutAt.getTime(), session.endsAt.getTime()) - Math.max(checkedInAt.getTime(), session.startsAt.getTime()),
  );
  const required = (length * rule.minPresencePercent) / 100;
  if (present >= required) return undefined;
  return {
    code: 'ATTENDANCE_PRESENCE_TOO_SHORT',
    params: {
      presentMinutes: Math.floor(present / MINUTE),
      percent: rule.minPresencePercent,
      requiredMinutes: Math.ceil(required / MINUTE),
    },
  };
}

/**
 * The latest check-in (to the millisecond) that earns credit with a check-out at `checkedOutAt`,
 * or undefined when none does: for that check-out, noCreditReason is undefined exactly for the
 * check-ins up to it (a later check-in is later and leaves less of the session). The check-out
 * statement credits by this bound, so it decides in the database without reading the attendance first.
 */
export function latestCreditedCheckin(rule: PresenceRule, session: { startsAt: Date; endsAt: Date }, checkedOutAt: Date): Date | undefined {
  const start = session.startsAt.getTime();
  const end = session.endsAt.getTime();
  const onTime = start + rule.lateCheckinMinutes * MINUTE;
  const required = ((end - start) * rule.minPresencePercent) / 100;
  if (required <= 0) return new Date(onTime);
  // Present (whole milliseconds) ≥ required ⇔ max(check-in, start) ≤ the end of presence − ⌈required⌉.
  const latest = Math.min(checkedOutAt.getTime(), end) - Math.ceil(required);
  return latest < start ? undefined : new Date(Math.min(onTime, latest));
}

/** The scanning device: the client's own id when it sends one, else its user agent and address. Hashed: the report compares, it never shows. */
export function deviceKey(client: { deviceId?: string; userAgent?: string; ip?: string }): string {
  const source = client.deviceId ? `id:${client.deviceId}` : `ua:${client.userAgent ?? ''}|${client.ip ?? ''}`;
  return createHash('sha256').update(source).digest('hex').slice(0, 32);
}
