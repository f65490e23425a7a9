import { fromShanghai, shanghaiParts } from '@jiaxiao/common';

export interface WorkingHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday */
  days: number[];
  /** minutes after midnight, Asia/Shanghai */
  startMinute: number;
  endMinute: number;
}

/** A teacher's default: weekdays 07:30–18:00. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], startMinute: 7 * 60 + 30, endMinute: 18 * 60 };

/** Families are not pushed between 21:30 and 07:00 except for emergency notices. */
export const FAMILY_DAY: WorkingHours = { days: [1, 2, 3, 4, 5, 6, 7], startMinute: 7 * 60, endMinute: 21 * 60 + 30 };

/**
 * When a push to someone keeping these hours may go out: `now` inside the hours, else the
 * next start of working time (Shanghai wall clock; UTC+8 all year, so day arithmetic is exact).
 */
export function nextDeliveryTime(now: Date, hours: WorkingHours): Date {
  const p = shanghaiParts(now);
  const minute = p.hour * 60 + p.minute;
  if (hours.days.includes(p.weekday) && minute >= hours.startMinute && minute < hours.endMinute) return now;
  for (let ahead = 0; ahead <= 7; ahead++) {
    const weekday = ((p.weekday - 1 + ahead) % 7) + 1;
    if (!hours.days.includes(weekday)) continue;
    const start = fromShanghai(p.year, p.month, p.day + ahead, Math.floor(hours.startMinute / 60), hours.startMinute % 60);
    if (start.getTime() > now.getTime()) return start;
  }
  return now; // no working day at all: do not hold pushes back
}

export function isQuiet(now: Date, hours: WorkingHours): boolean {
  return nextDeliveryTime(now, hours).getTime() > now.getTime();
}

/** "07:30" ↔ 450 */
export function toMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function fromMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** A nightly window ("21:30-07:00", Asia/Shanghai) in which families are not pushed by WeChat or SMS. */
export interface QuietWindow {
  startMinute: number;
  endMinute: number;
}

export function parseQuietWindow(value: string): QuietWindow {
  const [start, end] = value.split('-');
  return { startMinute: toMinute(start), endMinute: toMinute(end) };
}

/** When the quiet window holding `now` ends, or `now` itself outside it. A window may wrap past midnight. */
export function quietUntil(now: Date, quiet: QuietWindow): Date {
  const { startMinute: s, endMinute: e } = quiet;
  if (s === e) return now;
  const p = shanghaiParts(now);
  const minute = p.hour * 60 + p.minute;
  const endOn = (dayAhead: number) => fromShanghai(p.year, p.month, p.day + dayAhead, Math.floor(e / 60), e % 60);
  if (s < e) return minute >= s && minute < e ? endOn(0) : now;
  if (minute >= s) return endOn(1);
  if (minute < e) return endOn(0);
  return now;
}
