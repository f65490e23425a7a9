import { pgConstraint, pgErrorCode } from '@jiaxiao/db';
import { createTestContext, TestContext } from './support/harness';

/**
 * The keys that statement triggers keep instead of foreign keys (migration 0024): messages and
 * read_marks to conversations and users, notifications to users, notification_deliveries to
 * notifications. A write naming a missing parent fails as the key failed (23503, its name);
 * deletes cascade or are refused as the keys' ON DELETE said. The checks, and the push claim, look
 * their rows up by key whatever their cached plans saw first (migration 0025).
 */
describe('keys kept by statement triggers', () => {
  let ctx: TestContext;
  const missing = '00000000-0000-4000-8000-000000000000';
  let userId: string;
  let conversationId: string;

  async function refusal(text: string): Promise<{ code?: string; constraint?: string }> {
    try {
      await ctx.query(text);
    } catch (error) {
      return { code: pgErrorCode(error), constraint: pgConstraint(error) };
    }
    throw new Error(`not refused: ${text}`);
  }

  async function newUser(phone: string): Promise<string> {
    const [row] = await ctx.query<{ id: string }>(`insert into users (phone, name) values ('${phone}', '测试') returning id`);
    return row.id;
  }

  async function newConversation(): Promise<string> {
    const [row] = await ctx.query<{ id: string }>(`insert into conversations (kind, title) values ('class_group', '键') returning id`);
    return row.id;
  }

  const count = async (text: string) => Number((await ctx.query<{ n: string }>(text))[0].n);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: [] });
    userId = await newUser('16600000001');
    conversationId = await newConversation();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('refuses a message, read mark, notification or delivery whose parent is missing, with the key’s error', async () => {
    const fk = (constraint: string) => ({ code: '23503', constraint });
    expect(
      await refusal(
        `insert into messages (conversation_id, seq, sender_id, type, text) values ('${conversationId}', 1, '${userId}', 'text', 'a'), ('${missing}', 1, '${userId}', 'text', 'b')`,
      ),
    ).toEqual(fk('messages_conversation_id_conversations_id_fk'));
    expect(
      await refusal(
        `insert into messages (conversation_id, seq, sender_id, type, text) values ('${conversationId}', 1, '${missing}', 'text', 'a')`,
      ),
    ).toEqual(fk('messages_sender_id_users_id_fk'));
    expect(await refusal(`insert into read_marks (conversation_id, user_id, seq) values ('${missing}', '${userId}', 1)`)).toEqual(
      fk('read_marks_conversation_id_conversations_id_fk'),
    );
    expect(await refusal(`insert into read_marks (conversation_id, user_id, seq) values ('${conversationId}', '${missing}', 1)`)).toEqual(
      fk('read_marks_user_id_users_id_fk'),
    );
    expect(await refusal(`insert into notifications (user_id, kind, title, body) values ('${missing}', 'k', 't', 'b')`)).toEqual(
      fk('notifications_user_id_users_id_fk'),
    );
    expect(
      await refusal(
        `insert into notification_deliveries (notification_id, channel, provider, status) values ('${missing}', 'sms', 'p', 'queued')`,
      ),
    ).toEqual(fk('notification_deliveries_notification_id_notifications_id_fk'));
    // An update that points a row at a missing parent is refused too; nothing above was written.
    await ctx.query(`insert into read_marks (conversation_id, user_id, seq) values ('${conversationId}', '${userId}', 1)`);
    expect(await refusal(`update read_marks set user_id = '${missing}' where conversation_id = '${conversationId}'`)).toEqual(
      fk('read_marks_user_id_users_id_fk'),
    );
    await ctx.query(`update read_marks set seq = 2 where conversation_id = '${conversationId}'`);
    expect(await count(`select count(*) as n from messages where conversation_id = '${conversationId}'`)).toBe(0);
  });

  it('accepts rows whose parents exist, and a system message with no sender', async () => {
    await ctx.query(
      `insert into messages (conversation_id, seq, sender_id, type, text) values ('${conversationId}', 1, '${userId}', 'text', 'a'), ('${conversationId}', 2, null, 'system', 'b')`,
    );
    const [notification] = await ctx.query<{ id: string }>(
      `insert into notifications (user_id, kind, title, body) values ('${userId}', 'k', 't', 'b') returning id`,
    );
    await ctx.query(
      `insert into notification_deliveries (notification_id, channel, provider, status) values ('${notification.id}', 'sms', 'p', 'queued')`,
    );
    expect(await count(`select count(*) as n from messages where conversation_id = '${conversationId}'`)).toBe(2);
  });

  it('deletes a conversation’s messages and read marks with it, and a notification’s deliveries', async () => {
    const other = await newConversation();
    await ctx.query(`insert into messages (conversation_id, seq, sender_id, type, text) values ('${other}', 1, '${userId}', 'text', 'x')`);
    await ctx.query(`insert into read_marks (conversation_id, user_id, seq) values ('${other}', '${userId}', 1)`);
    const [notification] = await ctx.query<{ id: string }>(
      `insert into notifications (user_id, kind, title, body) values ('${userId}', 'k', 't', 'b') returning id`,
    );
    await ctx.query(
      `insert into notification_deliveries (notification_id, channel, provider, status) values ('${notification.id}', 'wechat', 'p', 'sent')`,
    );

    await ctx.query(`delete from conversations where id = '${other}'`);
    expect(await count(`select count(*) as n from messages where conversation_id = '${other}'`)).toBe(0);
    expect(await count(`select count(*) as n from read_marks where conversation_id = '${other}'`)).toBe(0);
    expect(await count(`select count(*) as n from messages where conversation_id = '${conversationId}'`)).toBe(2);

    await ctx.query(`delete from notifications where id = '${notification.id}'`);
    expect(await count(`select count(*) as n from notification_deliveries where notification_id = '${notification.id}'`)).toBe(0);
  });

  it('refuses to delete a user that a message, read mark or notification names, and deletes one nothing names', async () => {
    expect(await refusal(`delete from users where id = '${userId}'`)).toEqual({
      code: '23503',
      constraint: 'messages_sender_id_users_id_fk',
    });
    const marked = await newUser('16600000002');
    await ctx.query(`insert into read_marks (conversation_id, user_id, seq) values ('${conversationId}', '${marked}', 1)`);
    expect(await refusal(`delete from users where id = '${marked}'`)).toEqual({
      code: '23503',
      constraint: 'read_marks_user_id_users_id_fk',
    });
    const notified = await newUser('16600000003');
    await ctx.query(`insert into notifications (user_id, kind, title, body) values ('${notified}', 'k', 't', 'b')`);
    expect(await refusal(`delete from users where id = '${notified}'`)).toEqual({
      code: '23503',
      constraint: 'notifications_user_id_users_id_fk',
    });
    const unnamed = await newUser('16600000004');
    await ctx.query(`delete from users where id = '${unnamed}'`);
    expect(await count(`select count(*) as n from users where id = '${unnamed}'`)).toBe(0);
  });

  it('claims pushes and checks keys by probes, even when the plan was made while the tables were small', async () => {
    // One DO block: one connection (whose cached plans are the point) and one transaction (whose
    // pg_stat_get_xact_numscans counts what this backend scanned). The first claim plans the
    // function, and the deliveries' key check under it, while notifications holds next to nothing;
    // then 3,000 entries quiet hours hold are added, and a claim of three must read by key only.
    // The block fails with its report unless the report is the one expected.
    const expected = 'claimed 3, again 0, sequential scans 0, unpushed-index scans 0';
    await ctx.query(`
      do $$
      declare
        seq_before bigint; unpushed_before bigint; claimed int; ids jsonb; report text;
      begin
        perform count(*) from claim_pushes('[]');
        insert into notifications (user_id, kind, title, body, deliver_at)
          select '${userId}', 'k', '夜间', 'b', now() + interval '8 hours' from generate_series(1, 3000);
        with due as (
          insert into notifications (user_id, kind, title, body) select '${userId}', 'k', '现在', 'b' from generate_series(1, 3) returning id
        ) select jsonb_agg(id) into ids from due;
        seq_before := pg_stat_get_xact_numscans('notifications'::regclass);
        unpushed_before := pg_stat_get_xact_numscans('notifications_unpushed_idx'::regclass);
        select count(*) into claimed from claim_pushes(ids);
        report := format('claimed %s, again %s, sequential scans %s, unpushed-index scans %s', claimed,
          (select count(*) from claim_pushes(ids)),
          pg_stat_get_xact_numscans('notifications'::regclass) - seq_before,
          pg_stat_get_xact_numscans('notifications_unpushed_idx'::regclass) - unpushed_before);
        if report <> '${expected}' then
          raise exception 'claim_pushes: %', report;
        end if;
      end $$`);
    expect(await count(`select count(*) as n from notifications where title = '现在' and pushed_at is not null`)).toBe(3);
    expect(await count(`select count(*) as n from notifications where title = '夜间' and pushed_at is null`)).toBe(3000);
  });
});
