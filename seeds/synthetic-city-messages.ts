/**
 * The messages of a synthetic city (seeds/synthetic-city.ts): a class group per class, with its
 * teacher-less families talking, `perClassDay` messages a day spread evenly over each month. At
 * scale 1 (25,000 classes) and 20 a day, a year is ≈ 180 M messages in 12 monthly partitions.
 *
 * Months are added one partition at a time, set-based in PostgreSQL, and may be added out of
 * order (the bench adds the newest month first, then older ones): message k of month m of a
 * group has seq (m + 1 months before the newest) × per month + k counted from the year's start,
 * so seqs rise with time whatever order the months were made in, and conversations.last_seq is
 * the newest month's last. Message bodies are short and alike, like a class group's daily
 * chatter; `client_msg_id` is left empty (seeded rows were never sent by a client).
 */
import { Client } from 'pg';

export interface CityMessagesOptions {
  /** how many months the year holds (the newest is the month of `now`) */
  months: number;
  /** messages per class group and day (default 20) */
  perClassDay?: number;
  now?: Date;
}

export interface CityMessagesPlan {
  months: number;
  perMonth: number;
  now: Date;
}

export function planCityMessages(options: CityMessagesOptions): CityMessagesPlan {
  if (!(options.months >= 1 && options.months <= 120)) throw new RangeError('months of messages must be 1 to 120');
  const perClassDay = options.perClassDay ?? 20;
  if (!(perClassDay >= 1)) throw new RangeError('messages per class and day must be at least 1');
  return { months: Math.round(options.months), perMonth: Math.round(perClassDay * 30), now: options.now ?? new Date() };
}

/** A class group for each class that has none, with the class's guardians as members; how many groups there are. */
export async function ensureClassGroups(client: Client): Promise<number> {
  await client.query(
    `insert into conversations (kind, title, school_id, class_id)
     select 'class_group', s.name || ' ' || c.name, c.school_id, c.id from classes c join schools s on s.id = c.school_id
     where not exists (select 1 from conversations g where g.kind = 'class_group' and g.class_id = c.id)
     order by c.id`,
  );
  await client.query(
    `insert into conversation_members (conversation_id, user_id, role)
     select distinct g.id, gs.user_id, 'member' from conversations g
     join students st on st.class_id = g.class_id join guardianships gs on gs.student_id = st.id
     where g.kind = 'class_group'
     on conflict do nothing`,
  );
  const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from conversations where kind = 'class_group'`);
  return rows[0].n;
}

/**
 * The messages of the month `monthsAgo` months before the newest (0: the month of `now`, up to
 * `now`), in every class group; its partition is made first. Returns the rows inserted.
 */
export async function insertCityMonth(client: Client, plan: CityMessagesPlan, monthsAgo: number): Promise<number> {
  const start = new Date(Date.UTC(plan.now.getUTCFullYear(), plan.now.getUTCMonth() - monthsAgo, 1));
  const end = monthsAgo === 0 ? plan.now : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  await client.query('select messages_ensure_partitions($1, $1)', [start.toISOString()]);
  const firstSeq = (plan.months - 1 - monthsAgo) * plan.perMonth;
  // Message k of a group at start + k/perMonth of the month; the sender one of the group's first two members.
  const result = await client.query(
    `insert into messages (conversation_id, seq, sender_id, type, text, created_at)
     select g.id, $1::bigint + k, case when k % 2 = 0 then g.first_member else g.second_member end, 'text',
            '第' || k || '条：明天的作业和接送安排，收到请回复。', $2::timestamptz + (k - 1) * (($3::timestamptz - $2::timestamptz) / $4)
     from (select c.id,
                  (select min(m.user_id::text)::uuid from conversation_members m where m.conversation_id = c.id) as first_member,
                  (select max(m.user_id::text)::uuid from conversation_members m where m.conversation_id = c.id) as second_member
           from conversations c where c.kind = 'class_group') g
     cross join generate_series(1, $4::int) k
     order by g.id, k`,
    [firstSeq, start.toISOString(), end.toISOString(), plan.perMonth],
  );
  await client.query(
    `update conversations c set last_seq = greatest(c.last_seq, $1::bigint), last_message_at = greatest(c.last_message_at, $2::timestamptz)
     where c.kind = 'class_group'`,
    [firstSeq + plan.perMonth, end.toISOString()],
  );
  return result.rowCount ?? 0;
}
