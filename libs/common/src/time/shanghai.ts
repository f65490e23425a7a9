/** Asia/Shanghai has no daylight saving time: UTC+8 all year, which keeps this arithmetic exact. */
export const SHANGHAI_TZ = 'Asia/Shanghai';
const OFFSET_MS = 8 * 60 * 60 * 1000;

export interface ShanghaiParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 1 = Monday … 7 = Sunday
}

export function shanghaiParts(instant: Date): ShanghaiParts {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  const weekday = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

/** The instant of a wall-clock time in Shanghai. */
export function fromShanghai(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
}

/** `2026-11-29 10:30` in Shanghai time, for people and spreadsheets. */
export function formatShanghai(instant: Date, withTime = true): string {
  const p = shanghaiParts(instant);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  return withTime ? `${date} ${pad(p.hour)}:${pad(p.minute)}` : date;
}

/** ISO 8601 with the +08:00 offset, e.g. `2026-11-29T10:30:00+08:00`. */
export function isoShanghai(instant: Date): string {
  const shifted = new Date(instant.getTime() + OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

/**
 * The school year an instant falls in, named by its first calendar year's span:
 * a school year runs 1 September to 31 August (Shanghai time), so 2026-11-29 is in "2026-2027".
 */
export function schoolYearOf(instant: Date): string {
  const { year, month } = shanghaiParts(instant);
  const start = month >= 9 ? year : year - 1;
  return `${start}-${start + 1}`;
}

/**
 * `2026-2027`. Only 1900–2099: anything else is a typo, and year 0000 is not a date PostgreSQL
 * can store (nor one Date.UTC reads as written: it maps years below 100 to 19xx).
 */
export const SCHOOL_YEAR_PATTERN = /^((?:19|20)\d{2})-((?:19|20)\d{2})$/;

export function schoolYearBounds(name: string): { startsOn: string; endsOn: string; startsAt: Date; endsAt: Date } {
  const match = SCHOOL_YEAR_PATTERN.exec(name);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) {
    throw new RangeError(`not a school year name: ${name}`);
  }
  const start = Number(match[1]);
  return {
    startsOn: `${start}-09-01`,
    endsOn: `${start + 1}-08-31`,
    startsAt: fromShanghai(start, 9, 1),
    endsAt: fromShanghai(start + 1, 9, 1),
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
