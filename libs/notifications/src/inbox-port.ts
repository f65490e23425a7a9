import { SQL, sql } from 'drizzle-orm';
import { notifications, workingHours } from '@jiaxiao/db';

/*
 * Notifications' statement port: the SQL another context composes into its own statement where a
 * round trip would cost (a message's send writes its inbox entries in the statement that inserts
 * it). Only notifications names its tables; the caller gets fragments, not table names.
 */

/**
 * Inbox entries, one per user and dedupe key (a repeat adds nothing): an insert to run as a
 * statement or a CTE of one. `rows` selects `user_id`, `data` (jsonb), `dedupe_key` and
 * `deliver_at`, and also `kind`, `title` and `body` when `content` is null (entries of several
 * messages at once); with `returning`, it yields each new entry's `id`, `deliver_at` and `dedupe_key`.
 */
export function inboxInsert(
  rows: SQL,
  content: { kind: string; title: string; body: string } | null,
  options: { returning?: boolean } = {},
): SQL {
  const texts = content ? sql`${content.kind}, ${content.title}, ${content.body}` : sql`r.kind, r.title, r.body`;
  return sql`insert into ${notifications} (user_id, kind, title, body, data, dedupe_key, deliver_at)
    select r.user_id, ${texts}, r.data, r.dedupe_key, r.deliver_at from (${rows}) r
    on conflict (user_id, dedupe_key) do nothing${options.returning ? sql` returning id, deliver_at, dedupe_key` : sql``}`;
}

/** A user's own working hours as json (`days`, `startMinute`, `endMinute`), null when they keep the default: a scalar subquery. */
export function workingHoursJson(userId: SQL): SQL {
  return sql`(select json_build_object('days', w.days, 'startMinute', w.start_minute, 'endMinute', w.end_minute)
    from ${workingHours} w where w.user_id = ${userId})`;
}
