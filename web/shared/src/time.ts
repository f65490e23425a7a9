/** Times are stored in UTC and shown in Asia/Shanghai, whatever the phone's own zone. */
const TZ = 'Asia/Shanghai';

const parts = (iso: string | Date, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour12: false, ...options }).format(typeof iso === 'string' ? new Date(iso) : iso);

/** 2026-12-05 14:00 */
export function formatDateTime(iso: string | Date): string {
  return parts(iso, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).replace(/\//g, '-');
}

/** 12月5日 */
export function formatDay(iso: string | Date): string {
  return parts(iso, { month: 'long', day: 'numeric' });
}

/** 14:00 */
export function formatTime(iso: string | Date): string {
  return parts(iso, { hour: '2-digit', minute: '2-digit' });
}

/** today: 14:00; this year: 12月5日; else 2025-12-05 */
export function formatShort(iso: string, now = new Date()): string {
  const day = (d: Date) => parts(d, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const date = new Date(iso);
  if (day(date) === day(now)) return formatTime(date);
  if (parts(date, { year: 'numeric' }) === parts(now, { year: 'numeric' })) return formatDay(date);
  return day(date).replace(/\//g, '-');
}
