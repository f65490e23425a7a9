import { Client } from 'pg';
import { MessageDto } from '@jiaxiao/messaging';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { createTestContext, TestContext } from './support/harness';
import { testEnv } from './support/env';
import { AckResult, RealtimeClient } from './support/realtime-client';

/**
 * The send contexts a gateway keeps (SendBatcher.keptContext): a sender's next send in a
 * conversation reads nothing before its write. What a kept context holds (the rules, the members
 * a push depends on, their staff roles and working hours) must follow every writer's change: this
 * process's at once, another process's a moment after its commit; a kept context may let a send
 * go ahead (the write checks again) but never refuses one, and a retry it cannot know of still
 * gets its stored message.
 */

// The kept contexts listen to PostgreSQL's notifications; with the embedded PGlite nothing is kept.
const describeOnPostgres = testEnv.databaseUrl ? describe : describe.skip;

const GROUP_TITLE = '潍坊七中 初一(1)班';
const SHANGHAI_OFFSET = 8 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Sent = AckResult<{ message: MessageDto; quietHours: boolean }>;

interface User {
  id: string;
  token: string;
  client: RealtimeClient;
}

describeOnPostgres('kept send contexts (gateway)', () => {
  let ctx: TestContext;
  /** Another process's connection: its writes reach the gateway only through the change feed. */
  let other: Client;
  let teacher: User;
  let chen: User;
  let groupId: string;
  let directId: string;
  let serial = 0;
  const cid = () => `kept-${Date.now().toString(36)}-${++serial}`;

  const send = (user: User, conversationId: string, clientMsgId = cid()): Promise<Sent> =>
    user.client.emit('message:send', { conversationId, clientMsgId, type: 'text', text: `第 ${serial} 条` });

  /** The gateway's read_cache_reads_total for the send contexts. */
  const contextReads = async (outcome: 'hit' | 'miss'): Promise<number> => {
    const text = await (await fetch(`${ctx.urls.gateway}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`read_cache_reads_total{cache="send_context",outcome="${outcome}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  /** Sends until `check` holds for an ack (another process's change reaches the gateway a moment after its commit). */
  async function eventuallySent(user: User, conversationId: string, check: (ack: Sent) => boolean, what: string): Promise<Sent> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await ctx.infra.redis.del(`ratelimit:send:${user.id}`);
      const ack = await send(user, conversationId);
      if (check(ack)) return ack;
      if (Date.now() > deadline) throw new Error(`not within 10 s: ${what} (last ack ${JSON.stringify(ack)})`);
      await sleep(100);
    }
  }

  /** Sends until one is answered from memory with an ack `check` accepts: the kept context is then one that `check` describes. */
  async function keptWhen(user: User, conversationId: string, check: (ack: Sent) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await ctx.infra.redis.del(`ratelimit:send:${user.id}`);
      const hits = await contextReads('hit');
      const ack = await send(user, conversationId);
      if (check(ack) && (await contextReads('hit')) > hits) return;
      if (Date.now() > deadline) throw new Error(`not within 10 s: ${what} (last ack ${JSON.stringify(ack)})`);
      await sleep(100);
    }
  }

  async function signIn(phone: string): Promise<User> {
    const login = await ctx.parent().post('/auth/login').send({ phone, password: DEMO_PASSWORD }).expect(200);
    const token = login.body.accessToken as string;
    return { id: login.body.user.id, token, client: await RealtimeClient.connect(ctx.urls.gateway as string, token) };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'gateway'] });
    other = new Client({ connectionString: ctx.config.DATABASE_URL });
    await other.connect();
    [teacher, chen] = await Promise.all(['13900000002', '13900000003'].map(signIn));
    const [group] = await ctx.query<{ id: string }>(
      `select id::text from conversations where kind = 'class_group' and title = '${GROUP_TITLE}'`,
    );
    groupId = group.id;
    const direct = await ctx
      .parent()
      .post('/conversations/direct')
      .set('Authorization', `Bearer ${chen.token}`)
      .send({ userId: teacher.id });
    directId = direct.body.id;
  });

  beforeEach(async () => {
    await ctx.infra.redis.del(`ratelimit:send:${teacher.id}`, `ratelimit:send:${chen.id}`);
  });

  afterAll(async () => {
    teacher?.client.close();
    chen?.client.close();
    await other?.end();
    await ctx?.close();
  });

  it("answers a sender's next send in a conversation from memory", async () => {
    // Another connection's notifications from the setup may still drop a first kept context.
    await keptWhen(chen, groupId, (ack) => ack.ok, 'a send answered from memory');
    const [hits, misses] = [await contextReads('hit'), await contextReads('miss')];
    expect(await send(chen, groupId)).toMatchObject({ ok: true });
    expect(await send(chen, groupId)).toMatchObject({ ok: true });
    expect(await contextReads('hit')).toBe(hits + 2);
    expect(await contextReads('miss')).toBe(misses);
  });

  it("follows another process's change of the teacher's working hours into the family's next send", async () => {
    const today = new Date(Date.now() + SHANGHAI_OFFSET).getUTCDay() || 7;
    const always = `'[1,2,3,4,5,6,7]'::jsonb, 0, 1440`;
    const notToday = `'${JSON.stringify([1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today))}'::jsonb, 0, 1440`;
    const setHours = (hours: string) =>
      other.query(
        `insert into working_hours (user_id, days, start_minute, end_minute) values ('${teacher.id}', ${hours})
         on conflict (user_id) do update set days = excluded.days, start_minute = excluded.start_minute, end_minute = excluded.end_minute`,
      );
    try {
      await setHours(always);
      // The family's sends are answered from memory, with the teacher at work.
      await keptWhen(chen, directId, (ack) => ack.ok && !ack.quietHours, 'the teacher at work, kept');

      await setHours(notToday);
      const quiet = await eventuallySent(chen, directId, (ack) => ack.ok && ack.quietHours, 'the teacher off today');
      if (!quiet.ok) return;
      // The push the message made waits for the teacher's next working day.
      const [entry] = await ctx.query<{ held: boolean }>(
        `select deliver_at > now() as held from notifications where user_id = '${teacher.id}' and data->>'messageId' = '${quiet.message.id}'`,
      );
      expect(entry).toEqual({ held: true });
    } finally {
      await other.query(`delete from working_hours where user_id = '${teacher.id}'`);
    }
  });

  /** A write the triggers do not see: whatever the gateway keeps stays as it was, so only the write's own checks can catch it. */
  const unnoticed = async (text: string) => {
    await other.query('begin');
    await other.query('set local session_replication_role = replica');
    await other.query(text);
    await other.query('commit');
  };

  it('lets the write refuse what a kept context allowed, with the reason read afresh, and never refuses from memory', async () => {
    expect(await send(chen, groupId)).toMatchObject({ ok: true });
    try {
      await unnoticed(`update conversations set staff_only = true where id = '${groupId}'`);
      // The kept context still says the group is open: the write refuses the send, and a fresh read says why.
      expect(await send(chen, groupId)).toMatchObject({ ok: false, code: 'STAFF_ONLY_CONVERSATION' });

      // Now a kept context that says staff-only (read afresh once the gateway hears of a switch), and a switch back it does not hear of.
      const misses = await contextReads('miss');
      await other.query(`update conversations set staff_only = false where id = '${groupId}'`);
      await other.query(`update conversations set staff_only = true where id = '${groupId}'`);
      const deadline = Date.now() + 10_000;
      while ((await contextReads('miss')) === misses) {
        if (Date.now() > deadline) throw new Error('the gateway did not hear of the switch within 10 s');
        await sleep(50);
        expect(await send(chen, groupId)).toMatchObject({ ok: false, code: 'STAFF_ONLY_CONVERSATION' });
      }
      const hits = await contextReads('hit');
      expect(await send(chen, groupId)).toMatchObject({ ok: false, code: 'STAFF_ONLY_CONVERSATION' });
      expect(await contextReads('hit')).toBe(hits + 1);
      await unnoticed(`update conversations set staff_only = false where id = '${groupId}'`);
      expect(await send(chen, groupId)).toMatchObject({ ok: true });
    } finally {
      await other.query(`update conversations set staff_only = false where id = '${groupId}'`);
    }

    await eventuallySent(chen, groupId, (ack) => ack.ok, 'the group open again');
    const [{ role }] = await ctx.query<{ role: string }>(
      `select role from conversation_members where conversation_id = '${groupId}' and user_id = '${chen.id}'`,
    );
    try {
      await unnoticed(`delete from conversation_members where conversation_id = '${groupId}' and user_id = '${chen.id}'`);
      expect(await send(chen, groupId)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    } finally {
      await other.query(`insert into conversation_members (conversation_id, user_id, role) values ('${groupId}', '${chen.id}', '${role}')`);
    }
    await eventuallySent(chen, groupId, (ack) => ack.ok, 'the member back');
  });

  it('answers a retry the kept context cannot know of with the stored message, once, and does not count it', async () => {
    const retried = cid();
    const first = await send(teacher, directId, retried);
    expect(await send(teacher, directId)).toMatchObject({ ok: true });
    if (!first.ok) throw new Error(first.code);
    const hits = await contextReads('hit');
    const again = await send(teacher, directId, retried);
    expect(await contextReads('hit')).toBe(hits + 1);
    expect(again).toMatchObject({ ok: true, message: first.message });
    const rows = await ctx.query<{ n: number }>(
      `select count(*)::int as n from messages where sender_id = '${teacher.id}' and client_msg_id = '${retried}'`,
    );
    expect(rows).toEqual([{ n: 1 }]);
    // Two new messages in the window; the retry was taken off the count (in the background, after its answer).
    const deadline = Date.now() + 5_000;
    while ((await ctx.infra.redis.get(`ratelimit:send:${teacher.id}`)) !== '2' && Date.now() < deadline) await sleep(20);
    expect(await ctx.infra.redis.get(`ratelimit:send:${teacher.id}`)).toBe('2');
  });

  it('notifies what a kept context depends on, and nothing for a send', async () => {
    const listener = new Client({ connectionString: ctx.config.DATABASE_URL });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('listen jx_changes');
    /** The payloads a step's commit notifies, once the listener has heard them (a query on it returns after them). */
    const notified = async (step: () => Promise<unknown>): Promise<string[]> => {
      heard.length = 0;
      await step();
      await sleep(50);
      await listener.query('select 1');
      return [...new Set(heard)].sort();
    };
    try {
      expect(await notified(() => send(chen, groupId))).toEqual([]);
      expect(await notified(() => send(teacher, directId))).toEqual([]);
      expect(await notified(() => chen.client.emit('conversation:read', { conversationId: groupId, seq: 1 }))).toEqual([]);
      const conversation = `conversation:${groupId}`;
      const member = `conversation_id = '${groupId}' and user_id = '${chen.id}'`;
      expect(await notified(() => other.query(`update conversation_members set role = 'staff' where ${member}`))).toEqual([conversation]);
      expect(await notified(() => other.query(`update conversation_members set role = 'member' where ${member}`))).toEqual([conversation]);
      expect(await notified(() => other.query(`update conversation_members set last_read_seq = last_read_seq where ${member}`))).toEqual(
        [],
      );
      expect(await notified(() => other.query(`update conversations set staff_only = staff_only where id = '${groupId}'`))).toEqual([]);
      expect(await notified(() => other.query(`update conversations set staff_only = not staff_only where id = '${groupId}'`))).toEqual([
        conversation,
      ]);
      expect(await notified(() => other.query(`update conversations set staff_only = not staff_only where id = '${groupId}'`))).toEqual([
        conversation,
      ]);
      expect(await notified(() => other.query(`update conversations set title = title where id = '${groupId}'`))).toEqual([]);
      expect(
        await notified(() =>
          other.query(
            `insert into working_hours (user_id, days, start_minute, end_minute) values ('${teacher.id}', '[1]'::jsonb, 480, 1020)`,
          ),
        ),
      ).toEqual([`user:${teacher.id}`]);
      expect(await notified(() => other.query(`delete from working_hours where user_id = '${teacher.id}'`))).toEqual([
        `user:${teacher.id}`,
      ]);
      const [{ role }] = await ctx.query<{ role: string }>(`select role from conversation_members where ${member}`);
      expect(await notified(() => other.query(`delete from conversation_members where ${member}`))).toEqual([conversation]);
      expect(
        await notified(() =>
          other.query(`insert into conversation_members (conversation_id, user_id, role) values ('${groupId}', '${chen.id}', '${role}')`),
        ),
      ).toEqual([conversation]);
    } finally {
      await listener.end();
    }
  });
});
