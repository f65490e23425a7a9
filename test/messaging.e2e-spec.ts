import { randomUUID } from 'node:crypto';
import { realtimeChannel, userRoom } from '@jiaxiao/common';
import { ConversationService, MessageDto, MessagePartitionsService } from '@jiaxiao/messaging';
import { NotificationDto } from '@jiaxiao/notifications';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { consentSql, createTestContext, TestContext } from './support/harness';
import { png } from './support/png';
import { AckResult, RealtimeClient } from './support/realtime-client';

/**
 * Realtime messaging through the real parent-api, gateway and worker: sockets against the
 * gateway, REST against parent-api, state checked in this file's own database.
 */

interface User {
  id: string;
  name: string;
  token: string;
  client: RealtimeClient;
}

type Sent = AckResult<{ message: MessageDto; quietHours: boolean }>;
type FamilyStatus = {
  studentId: string | null;
  name: string;
  guardians: { userId: string; name: string; role: string }[];
  at?: string | null;
};

const GROUP_TITLE = '潍坊七中 初一(1)班';
const HOUR = 60 * 60 * 1000;
const SHANGHAI_OFFSET = 8 * HOUR;

/** Shanghai wall-clock parts of an instant (UTC+8 all year). */
function shanghai(instant: Date) {
  const shifted = new Date(instant.getTime() + SHANGHAI_OFFSET);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth(),
    day: shifted.getUTCDate(),
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay() || 7,
  };
}

const atShanghai = (year: number, month: number, day: number, hour: number, minute: number) =>
  new Date(Date.UTC(year, month, day, hour, minute) - SHANGHAI_OFFSET);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('messaging (parent-api, gateway, worker)', () => {
  let ctx: TestContext;
  let teacher: User;
  let chen: User; // 13900000003, parent of 陈小雨 in 初一(1)班
  let liu: User; // 13900000004, parent of 刘子涵 in 初一(1)班
  let zhao: User; // 13900000005, a parent elsewhere
  let groupId: string;
  let classId: string;
  const clients: RealtimeClient[] = [];
  let serial = 0;

  const cid = () => `t-${Date.now().toString(36)}-${++serial}`;
  const auth = (user: User) => ({ Authorization: `Bearer ${user.token}` });

  async function connect(token: string): Promise<RealtimeClient> {
    const client = await RealtimeClient.connect(ctx.urls.gateway as string, token);
    clients.push(client);
    return client;
  }

  async function signIn(phone: string): Promise<User> {
    const login = await ctx.parent().post('/auth/login').send({ phone, password: DEMO_PASSWORD }).expect(200);
    const token = login.body.accessToken as string;
    return { id: login.body.user.id, name: login.body.user.name, token, client: await connect(token) };
  }

  function sendText(user: User, text: string, conversationId = groupId, clientMsgId = cid()): Promise<Sent> {
    return user.client.emit('message:send', { conversationId, clientMsgId, type: 'text', text });
  }

  /** Sends and insists on success: the stored message. */
  async function posted(user: User, text: string, conversationId = groupId): Promise<MessageDto> {
    const ack = await sendText(user, text, conversationId);
    if (!ack.ok) throw new Error(`send failed: ${ack.code} ${ack.message}`);
    return ack.message;
  }

  async function lastSeq(conversationId = groupId): Promise<number> {
    const [row] = await ctx.query<{ last_seq: number }>(`select last_seq::int from conversations where id = '${conversationId}'`);
    return row.last_seq;
  }

  /**
   * A marker event to these users, published after everything sent so far on the same Redis
   * connection every app of this context shares: once it arrives, any earlier event for them has too.
   */
  async function barrier(...users: User[]): Promise<void> {
    const marker = randomUUID();
    // Not an event of the clients' map, so published as the raw command RealtimePublisher would send.
    const command = { op: 'emit', rooms: users.map((u) => userRoom(u.id)), event: 'test:barrier', payload: { marker } };
    await ctx.infra.redis.publish(realtimeChannel(ctx.config.REDIS_PREFIX), JSON.stringify(command));
    await Promise.all(users.map((u) => u.client.next<{ marker: string }>('test:barrier', (p) => p.marker === marker)));
  }

  /** The class's families that have a guardian in the group, as the reads and acks lists should show them. */
  async function familiesInGroup(): Promise<Map<string, string[]>> {
    const rows = await ctx.query<{ student_id: string; user_id: string }>(`
      select s.id::text as student_id, g.user_id::text as user_id from students s
        join guardianships g on g.student_id = s.id
        join conversation_members cm on cm.user_id = g.user_id and cm.conversation_id = '${groupId}'
       where s.class_id = '${classId}'`);
    const families = new Map<string, string[]>();
    for (const r of rows) families.set(r.student_id, [...(families.get(r.student_id) ?? []), r.user_id].sort());
    return families;
  }

  async function studentOf(user: User): Promise<string> {
    const [row] = await ctx.query<{ id: string }>(
      `select s.id::text from students s join guardianships g on g.student_id = s.id where g.user_id = '${user.id}' and s.class_id = '${classId}'`,
    );
    return row.id;
  }

  /** Polls the database until the query returns rows: for work the worker does in the background. */
  async function eventually<T>(text: string): Promise<T[]> {
    for (;;) {
      const rows = await ctx.query<T>(text);
      if (rows.length > 0) return rows;
      await sleep(50);
    }
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'gateway', 'worker'] });
    [teacher, chen, liu, zhao] = await Promise.all(['13900000002', '13900000003', '13900000004', '13900000005'].map(signIn));
    const [group] = await ctx.query<{ id: string; class_id: string }>(
      `select id::text, class_id::text from conversations where kind = 'class_group' and title = '${GROUP_TITLE}'`,
    );
    groupId = group.id;
    classId = group.class_id;
  });

  beforeEach(async () => {
    // The send limit is per user and 10 s wide: each test starts with a fresh allowance.
    const ids = [teacher, chen, liu, zhao].map((u) => `ratelimit:send:${u.id}`);
    await ctx.infra.redis.del(...ids);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await ctx.close();
  });

  describe('conversations', () => {
    it('GET /conversations lists the class group with its title, lastSeq, unread and lastMessage', async () => {
      // Chen has read everything; Liu then posts twice.
      await chen.client.emit('conversation:read', { conversationId: groupId, seq: await lastSeq() });
      await posted(liu, '各位家长好');
      const second = await posted(liu, '周五家长会几点开始？');

      const res = await ctx.parent().get('/conversations').set(auth(chen)).expect(200);
      const group = res.body.items.find((c: { id: string }) => c.id === groupId);
      expect(group).toMatchObject({
        id: groupId,
        kind: 'class_group',
        title: GROUP_TITLE,
        lastSeq: second.seq,
        unread: 2,
        staffOnly: false,
      });
      expect(group.lastMessage).toEqual(second);
      expect(res.body.nextCursor).toBeNull();
      // Chen's other child's class group is there too; a foreign parent sees neither.
      expect(res.body.items.map((c: { title: string }) => c.title)).toContain('潍坊实验学校 三年级(2)班');
      const mine = await ctx.parent().get('/conversations').set(auth(liu)).expect(200);
      expect(mine.body.items.find((c: { id: string }) => c.id === groupId)).toMatchObject({ lastSeq: second.seq, unread: 0 });
      const foreign = await ctx.parent().get('/conversations').set(auth(zhao)).expect(200);
      expect(foreign.body.items.map((c: { id: string }) => c.id)).not.toContain(groupId);
      expect(foreign.body.items.map((c: { title: string }) => c.title)).toEqual(['广文中学 初一(1)班']);
    });

    it('pages GET /conversations by last activity without skipping or repeating one', async () => {
      // Three conversations whose activity differs only below the millisecond.
      await ctx.query(
        `update conversations set last_message_at = '2030-01-01T00:00:00.000300Z' where kind = 'class_group' and title = '${GROUP_TITLE}'`,
      );
      await ctx.query(
        `update conversations set last_message_at = '2030-01-01T00:00:00.000200Z' where kind = 'class_group' and title = '潍坊实验学校 三年级(2)班'`,
      );
      const direct = await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: teacher.id }).expect(201);
      await ctx.query(`update conversations set last_message_at = '2030-01-01T00:00:00.000100Z' where id = '${direct.body.id}'`);
      try {
        const all = await ctx.parent().get('/conversations?limit=100').set(auth(chen)).expect(200);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: { id: string }[]; nextCursor: string | null } = (
            await ctx
              .parent()
              .get(`/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
              .set(auth(chen))
              .expect(200)
          ).body;
          seen.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
        expect(seen.slice(0, 3)).toEqual([groupId, expect.any(String), direct.body.id]);

        // A tampered cursor is a bad request, not a failed query.
        const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
        for (const key of [
          ['garbage', groupId],
          ['2030-01-01T00:00:00Z', 'not-a-uuid'],
          ['2030-02-30T00:00:00Z', groupId],
          [1, 2],
        ]) {
          for (const path of ['/conversations', '/notifications']) {
            const res = await ctx
              .parent()
              .get(`${path}?cursor=${cursorOf(key)}`)
              .set(auth(chen));
            expect({ path, key, status: res.status, code: res.body.code }).toEqual({ path, key, status: 400, code: 'VALIDATION_FAILED' });
          }
        }
      } finally {
        await ctx.query(`update conversations set last_message_at = now() where last_message_at >= '2030-01-01'`);
      }
    });
  });

  describe('sending', () => {
    it('acks message:send after commit and delivers message:new to the other members only', async () => {
      const text = `老师好，孩子今天请假 ${cid()}`;
      const ack = await sendText(chen, text);
      expect(ack).toEqual({
        ok: true,
        quietHours: expect.any(Boolean),
        message: {
          id: expect.any(String),
          conversationId: groupId,
          seq: expect.any(Number),
          senderId: chen.id,
          senderName: '陈志强',
          clientMsgId: expect.any(String),
          type: 'text',
          text,
          recalled: false,
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        },
      });
      if (!ack.ok) return;
      // Acknowledged means committed: the row is visible to any other connection.
      const rows = await ctx.query<{ seq: number; text: string }>(`select seq::int, text from messages where id = '${ack.message.id}'`);
      expect(rows).toEqual([{ seq: ack.message.seq, text }]);

      for (const member of [teacher, liu]) {
        expect(await member.client.next<MessageDto>('message:new', (m) => m.id === ack.message.id)).toEqual(ack.message);
      }
      await barrier(zhao);
      expect(zhao.client.received<MessageDto>('message:new', (m) => m.id === ack.message.id)).toEqual([]);
    });

    it('allocates gapless, increasing seqs to 30 concurrent sends from three users', async () => {
      const before = await lastSeq();
      const senders = [teacher, chen, liu];
      const acks = await Promise.all(
        senders.flatMap((user) => Array.from({ length: 10 }, (_, i) => sendText(user, `并发消息 ${user.name} ${i}`))),
      );
      const messages = acks.map((a) => (a.ok ? a.message : undefined));
      expect(messages.every(Boolean)).toBe(true);
      const seqs = messages.map((m) => m?.seq as number).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => before + 1 + i));
      expect(await lastSeq()).toBe(before + 30);

      const stored = await ctx.query<{ seq: number }>(
        `select seq::int from messages where conversation_id = '${groupId}' and seq > ${before} order by seq`,
      );
      expect(stored.map((r) => r.seq)).toEqual(seqs);
      // Every member's socket got all thirty.
      for (const user of senders) {
        for (const m of messages) await user.client.next<MessageDto>('message:new', (n) => n.id === m?.id);
      }
    });

    it('returns the stored message for a repeated clientMsgId, also for two concurrent sends and over REST', async () => {
      const clientMsgId = cid();
      const first = await sendText(chen, '第一次发送', groupId, clientMsgId);
      const again = await sendText(chen, '重试时内容不同', groupId, clientMsgId);
      expect(first.ok && again.ok).toBe(true);
      if (!first.ok || !again.ok) return;
      expect(again.message).toEqual(first.message);
      const rest = await ctx
        .parent()
        .post(`/conversations/${groupId}/messages`)
        .set(auth(chen))
        .send({ clientMsgId, type: 'text', text: '又一次' })
        .expect(201);
      expect(rest.body.message).toEqual(first.message);
      // The same id in another conversation is refused, not answered with the first message.
      const direct = await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: teacher.id }).expect(201);
      const elsewhere = await ctx
        .parent()
        .post(`/conversations/${direct.body.id}/messages`)
        .set(auth(chen))
        .send({ clientMsgId, type: 'text', text: '另一个会话' })
        .expect(400);
      expect(elsewhere.body.errors).toEqual([{ field: 'clientMsgId', message: '已在另一个会话中使用过，请为每条消息生成新的编号' }]);

      const before = await lastSeq();
      const racing = cid();
      const [a, b] = await Promise.all([sendText(liu, '同时发送', groupId, racing), sendText(liu, '同时发送', groupId, racing)]);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(a.message).toEqual(b.message);
      expect(a.message.seq).toBe(before + 1);
      // One row, and the loser burned no seq.
      const rows = await ctx.query<{ n: number }>(
        `select count(*)::int as n from messages where sender_id = '${liu.id}' and client_msg_id = '${racing}'`,
      );
      expect(rows).toEqual([{ n: 1 }]);
      expect(await lastSeq()).toBe(before + 1);
    });

    it('refuses a non-member: FORBIDDEN on the socket, 404 over REST', async () => {
      const before = await lastSeq();
      const ack = await sendText(zhao, '我不是这个群的');
      expect(ack).toEqual({ ok: false, code: 'FORBIDDEN', message: '没有权限执行此操作' });
      expect(await zhao.client.emit('conversation:sync', { conversationId: groupId, afterSeq: 0 })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
      expect(await zhao.client.emit('conversation:read', { conversationId: groupId, seq: 1 })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
      expect(await lastSeq()).toBe(before);

      const history = await ctx.parent().get(`/conversations/${groupId}/messages?afterSeq=0`).set(auth(zhao)).expect(404);
      expect(history.body).toEqual({ statusCode: 404, code: 'CONVERSATION_NOT_FOUND', message: '找不到该会话' });
      await ctx.parent().get(`/conversations/${groupId}`).set(auth(zhao)).expect(404);
      await ctx
        .parent()
        .post(`/conversations/${groupId}/messages`)
        .set(auth(zhao))
        .send({ clientMsgId: cid(), type: 'text', text: 'x' })
        .expect(404);
      // An unknown conversation looks the same as a foreign one.
      expect(await sendText(chen, 'x', randomUUID())).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    });

    it('refuses malformed payloads with BAD_REQUEST or VALIDATION_FAILED and keeps the socket usable', async () => {
      const before = await lastSeq();
      const valid = { conversationId: groupId, clientMsgId: 'x-1', type: 'text', text: 'hi' };
      const payloads: unknown[] = [
        'junk',
        42,
        null,
        [valid],
        {},
        { conversationId: groupId, type: 'text', text: 'no client id' },
        { ...valid, conversationId: 'not-a-uuid' },
        { ...valid, clientMsgId: 'has spaces and 中文' },
        { ...valid, type: 'video' },
        { ...valid, text: 'x'.repeat(2001) },
        { ...valid, text: '   ' },
        { ...valid, text: 12 },
        { ...valid, extra: true },
        { ...valid, text: 'NUL\u0000inside' },
        { ...valid, type: 'image' },
      ];
      for (const payload of payloads) {
        const ack = await chen.client.emit('message:send', payload);
        expect({ payload, ok: ack.ok, code: ack.ok ? undefined : ack.code }).toEqual({
          payload,
          ok: false,
          code: expect.stringMatching(/^(BAD_REQUEST|VALIDATION_FAILED)$/),
        });
        if (!ack.ok) expect(ack.message.length).toBeGreaterThan(0);
      }
      for (const payload of [
        'junk',
        { conversationId: groupId },
        { conversationId: groupId, afterSeq: -1 },
        { conversationId: groupId, afterSeq: 0, limit: 1000 },
      ]) {
        expect(await chen.client.emit('conversation:sync', payload)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      }
      // Past what a bigint column holds: refused here, not failed in the query.
      for (const payload of [
        { conversationId: groupId, afterSeq: 1e20 },
        { conversationId: groupId, afterSeq: 2 ** 63 },
      ]) {
        expect(await chen.client.emit('conversation:sync', payload)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      }
      for (const seq of ['many', -1, 1.5, 1e20]) {
        expect(await chen.client.emit('conversation:read', { conversationId: groupId, seq })).toMatchObject({
          ok: false,
          code: 'BAD_REQUEST',
        });
      }
      for (const query of ['afterSeq=100000000000000000000', 'beforeSeq=9223372036854775808', 'afterSeq=abc', 'limit=0']) {
        const res = await ctx.parent().get(`/conversations/${groupId}/messages?${query}`).set(auth(chen));
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      }
      expect((await ctx.parent().post(`/conversations/${groupId}/read`).set(auth(chen)).send({ seq: 1e20 })).status).toBe(400);
      expect(await lastSeq()).toBe(before);

      expect(chen.client.socket.connected).toBe(true);
      const text = 'x'.repeat(2000);
      const ack = await sendText(chen, text);
      expect(ack).toMatchObject({ ok: true, message: { text, seq: before + 1 } });
    });

    it('limits a user to 20 messages in 10 seconds (RATE_LIMITED), across socket and REST', async () => {
      const acks: Sent[] = [];
      for (let i = 0; i < 20; i++) acks.push(await sendText(liu, `第 ${i + 1} 条`));
      expect(acks.every((a) => a.ok)).toBe(true);
      const limited = await sendText(liu, '第 21 条');
      expect(limited).toEqual({ ok: false, code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试' });
      const rest = await ctx
        .parent()
        .post(`/conversations/${groupId}/messages`)
        .set(auth(liu))
        .send({ clientMsgId: cid(), type: 'text', text: '第 22 条' })
        .expect(429);
      expect(rest.body.code).toBe('RATE_LIMITED');
      // A retry of a message already stored is not a new message: it still gets its answer.
      const first = acks[0].ok ? acks[0].message : undefined;
      expect(await sendText(liu, '第 1 条', groupId, first?.clientMsgId as string)).toMatchObject({ ok: true, message: { id: first?.id } });
      // Others are not affected.
      expect(await sendText(chen, '我还可以发')).toMatchObject({ ok: true });
    });

    it('lets a teacher post notices and refuses notices from parents (NOTICE_SENDER_ONLY)', async () => {
      const ack = await chen.client.emit('message:send', {
        conversationId: groupId,
        clientMsgId: cid(),
        type: 'notice',
        title: '我也想发通知',
        text: '内容',
      });
      expect(ack).toMatchObject({ ok: false, code: 'NOTICE_SENDER_ONLY' });
    });
  });

  describe('history, sync and read cursors', () => {
    it('returns conversation:sync and GET /conversations/:id/messages in seq order, forward and backward', async () => {
      const sent: MessageDto[] = [];
      for (let i = 1; i <= 5; i++) sent.push(await posted(chen, `同步 ${i}`));
      const start = sent[0].seq - 1;
      expect(sent.map((m) => m.seq)).toEqual([start + 1, start + 2, start + 3, start + 4, start + 5]);

      const sync = await liu.client.emit<{ messages: MessageDto[] }>('conversation:sync', { conversationId: groupId, afterSeq: start });
      expect(sync.ok && sync.messages).toEqual(sent);
      const limited = await liu.client.emit<{ messages: MessageDto[] }>('conversation:sync', {
        conversationId: groupId,
        afterSeq: start + 1,
        limit: 2,
      });
      expect(limited.ok && limited.messages.map((m) => m.seq)).toEqual([start + 2, start + 3]);

      // Forward paging over REST follows nextCursor.
      const pages: number[][] = [];
      let afterSeq = String(start);
      for (let i = 0; i < 3; i++) {
        const page = await ctx.parent().get(`/conversations/${groupId}/messages?afterSeq=${afterSeq}&limit=2`).set(auth(liu)).expect(200);
        pages.push(page.body.items.map((m: MessageDto) => m.seq));
        if (!page.body.nextCursor) break;
        afterSeq = page.body.nextCursor;
      }
      expect(pages).toEqual([[start + 1, start + 2], [start + 3, start + 4], [start + 5]]);
      const page = await ctx.parent().get(`/conversations/${groupId}/messages?afterSeq=${start}&limit=5`).set(auth(liu)).expect(200);
      expect(page.body.items).toEqual(sent);

      // Backward: the newest before the bound, still oldest first.
      const back = await ctx
        .parent()
        .get(`/conversations/${groupId}/messages?beforeSeq=${start + 5}&limit=2`)
        .set(auth(liu))
        .expect(200);
      expect(back.body.items.map((m: MessageDto) => m.seq)).toEqual([start + 3, start + 4]);
      const whole = await ctx.parent().get(`/conversations/${groupId}/messages?afterSeq=0&limit=200`).set(auth(liu)).expect(200);
      const seqs = whole.body.items.map((m: MessageDto) => m.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

      const bad = await ctx.parent().get(`/conversations/${groupId}/messages?afterSeq=-1`).set(auth(liu)).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });

    it('moves the read cursor only forward, tells the members, and unread follows', async () => {
      await posted(chen, '已读测试 1');
      await posted(chen, '已读测试 2');
      const top = await posted(chen, '已读测试 3');

      const read = await liu.client.emit<{ seq: number }>('conversation:read', { conversationId: groupId, seq: top.seq });
      expect(read).toEqual({ ok: true, seq: top.seq });
      for (const member of [chen, teacher]) {
        const event = await member.client.next<{ userId: string; seq: number }>(
          'conversation:read',
          (e) => e.userId === liu.id && e.seq === top.seq,
        );
        expect(event).toEqual({ conversationId: groupId, userId: liu.id, seq: top.seq });
      }
      const back = await liu.client.emit<{ seq: number }>('conversation:read', { conversationId: groupId, seq: top.seq - 2 });
      expect(back).toEqual({ ok: true, seq: top.seq });
      const rest = await ctx.parent().post(`/conversations/${groupId}/read`).set(auth(liu)).send({ seq: 1 }).expect(200);
      expect(rest.body).toEqual({ conversationId: groupId, seq: top.seq });
      const [cursor] = await ctx.query<{ seq: number }>(
        `select last_read_seq::int as seq from conversation_members where conversation_id = '${groupId}' and user_id = '${liu.id}'`,
      );
      expect(cursor.seq).toBe(top.seq);

      const unread = async () =>
        (await ctx.parent().get('/conversations').set(auth(liu)).expect(200)).body.items.find((c: { id: string }) => c.id === groupId)
          .unread;
      expect(await unread()).toBe(0);
      const newer = await posted(teacher, '新消息');
      expect(await unread()).toBe(1);
      // Reading past the end stops at the newest message.
      expect(await liu.client.emit('conversation:read', { conversationId: groupId, seq: newer.seq + 100 })).toEqual({
        ok: true,
        seq: newer.seq,
      });
      expect(await unread()).toBe(0);
    });

    it('GET /messages/:id/reads lists families read and unread for the sender, and refuses other parents', async () => {
      const message = await posted(chen, '请各位家长查看作业');
      await liu.client.emit('conversation:read', { conversationId: groupId, seq: message.seq });
      const families = await familiesInGroup();
      const liuStudent = await studentOf(liu);

      const res = await ctx.parent().get(`/messages/${message.id}/reads`).set(auth(chen)).expect(200);
      expect(res.body.messageId).toBe(message.id);
      const read = res.body.read as FamilyStatus[];
      const unread = res.body.unread as FamilyStatus[];
      // Each family once, by student, with its guardians in the group.
      // The sender's own family is not listed: the message was not sent to it.
      const chenStudent = await studentOf(chen);
      const listed = [...read, ...unread].map((f) => f.studentId as string);
      expect(listed).not.toContain(chenStudent);
      expect([...listed].sort()).toEqual([...families.keys()].filter((id) => id !== chenStudent).sort());
      for (const family of [...read, ...unread])
        expect(family.guardians.map((g) => g.userId).sort()).toEqual(families.get(family.studentId as string));
      expect(read.find((f) => f.studentId === liuStudent)).toMatchObject({
        name: '刘子涵',
        guardians: [{ userId: liu.id, name: '刘芳（母亲）', role: 'member' }],
      });
      const readers = await ctx.query<{ user_id: string }>(
        `select user_id::text from conversation_members where conversation_id = '${groupId}' and last_read_seq >= ${message.seq}`,
      );
      const readerIds = new Set(readers.map((r) => r.user_id));
      for (const family of read) expect(family.guardians.some((g) => readerIds.has(g.userId))).toBe(true);
      for (const family of unread) expect(family.guardians.some((g) => readerIds.has(g.userId))).toBe(false);

      await ctx.parent().get(`/messages/${message.id}/reads`).set(auth(teacher)).expect(200);
      const other = await ctx.parent().get(`/messages/${message.id}/reads`).set(auth(liu)).expect(403);
      expect(other.body.code).toBe('FORBIDDEN');
      const foreign = await ctx.parent().get(`/messages/${message.id}/reads`).set(auth(zhao)).expect(404);
      expect(foreign.body.code).toBe('MESSAGE_NOT_FOUND');
    });
  });

  describe('notices', () => {
    it('delivers a notice needing confirmation, records confirmations and reminds only unconfirmed families', async () => {
      const title = `春游通知 ${cid()}`;
      const ack = await teacher.client.emit<{ message: MessageDto }>('message:send', {
        conversationId: groupId,
        clientMsgId: cid(),
        type: 'notice',
        title,
        text: '下周三春游，请家长确认。',
        needsAck: true,
        // Emergency notices reach families at once, at any hour: the test does not depend on the clock.
        emergency: true,
      });
      if (!ack.ok) throw new Error(ack.code);
      const notice = ack.message;
      expect(notice).toMatchObject({
        type: 'notice',
        text: '下周三春游，请家长确认。',
        notice: { title, needsAck: true, emergency: true },
      });

      for (const parent of [chen, liu]) {
        const pushed = await parent.client.next<NotificationDto>('notification:new', (n) => n.data.messageId === notice.id);
        expect(pushed).toMatchObject({
          kind: 'notice.new',
          title: `【通知】${title}`,
          body: '下周三春游，请家长确认。',
          data: { conversationId: groupId, messageId: notice.id, needsAck: true },
          readAt: null,
        });
        const inbox = await ctx.parent().get('/notifications').set(auth(parent)).expect(200);
        expect(inbox.body.items).toContainEqual(pushed);
      }

      const families = await familiesInGroup();
      const initial = await ctx.parent().get(`/messages/${notice.id}/acks`).set(auth(teacher)).expect(200);
      expect(initial.body.confirmed).toEqual([]);
      expect(initial.body.unconfirmed.map((f: FamilyStatus) => f.studentId).sort()).toEqual([...families.keys()].sort());

      // Chen confirms over REST, Liu over the socket; both twice, with the same answer.
      const confirmed = await ctx.parent().post(`/messages/${notice.id}/ack`).set(auth(chen)).expect(200);
      expect(confirmed.body).toEqual({ messageId: notice.id, ackedAt: expect.any(String) });
      expect((await ctx.parent().post(`/messages/${notice.id}/ack`).set(auth(chen)).expect(200)).body).toEqual(confirmed.body);
      expect(
        await teacher.client.next(
          'notice:acked',
          (e: { messageId: string; userId: string }) => e.messageId === notice.id && e.userId === chen.id,
        ),
      ).toEqual({ messageId: notice.id, userId: chen.id });
      const socketAck = await liu.client.emit<{ messageId: string; ackedAt: string }>('notice:ack', { messageId: notice.id });
      expect(socketAck).toEqual({ ok: true, messageId: notice.id, ackedAt: expect.any(String) });
      expect(await liu.client.emit('notice:ack', { messageId: notice.id })).toEqual(socketAck);
      const rows = await ctx.query<{ n: number }>(`select count(*)::int as n from notice_acks where message_id = '${notice.id}'`);
      expect(rows).toEqual([{ n: 2 }]);

      const acks = await ctx.parent().get(`/messages/${notice.id}/acks`).set(auth(teacher)).expect(200);
      const chenStudent = await studentOf(chen);
      const liuStudent = await studentOf(liu);
      expect(acks.body.confirmed).toHaveLength(2);
      expect(acks.body.confirmed).toEqual(
        expect.arrayContaining([
          {
            studentId: chenStudent,
            name: '陈小雨',
            guardians: [{ userId: chen.id, name: '陈志强（父亲）', role: 'member' }],
            at: confirmed.body.ackedAt,
          },
          {
            studentId: liuStudent,
            name: '刘子涵',
            guardians: [{ userId: liu.id, name: '刘芳（母亲）', role: 'member' }],
            at: socketAck.ok ? socketAck.ackedAt : null,
          },
        ]),
      );
      const unconfirmed = acks.body.unconfirmed as FamilyStatus[];
      expect(unconfirmed.map((f) => f.studentId).sort()).toEqual(
        [...families.keys()].filter((s) => s !== chenStudent && s !== liuStudent).sort(),
      );

      // Parents may neither see the list nor remind.
      expect((await ctx.parent().get(`/messages/${notice.id}/acks`).set(auth(liu)).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await ctx.parent().post(`/messages/${notice.id}/remind`).set(auth(chen)).expect(403)).body.code).toBe('FORBIDDEN');

      const waiting = unconfirmed.flatMap((f) => f.guardians.map((g) => g.userId)).sort();
      const remind = await ctx.parent().post(`/messages/${notice.id}/remind`).set(auth(teacher)).expect(202);
      expect(remind.body).toEqual({ messageId: notice.id, reminded: waiting.length });
      // The worker writes the reminders in one statement: once any is there, all are.
      const reminded = await eventually<{ user_id: string }>(
        `select user_id::text from notifications where kind = 'notice.remind' and data->>'messageId' = '${notice.id}'`,
      );
      expect(reminded.map((r) => r.user_id).sort()).toEqual(waiting);

      const again = await ctx.parent().post(`/messages/${notice.id}/remind`).set(auth(teacher)).expect(429);
      expect(again.body.code).toBe('NOTICE_REMIND_TOO_SOON');
      const retryAfter = Number(again.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3000);
      expect(retryAfter).toBeLessThanOrEqual(3600);
    });

    it('refuses to confirm or remind a message that is not a notice (NOT_A_NOTICE)', async () => {
      const message = await posted(teacher, '普通消息');
      expect((await ctx.parent().post(`/messages/${message.id}/ack`).set(auth(chen)).expect(409)).body.code).toBe('NOT_A_NOTICE');
      expect(await chen.client.emit('notice:ack', { messageId: message.id })).toMatchObject({ ok: false, code: 'NOT_A_NOTICE' });
      expect((await ctx.parent().post(`/messages/${message.id}/remind`).set(auth(teacher)).expect(409)).body.code).toBe('NOT_A_NOTICE');
      expect((await ctx.parent().post(`/messages/${message.id}/ack`).set(auth(zhao)).expect(404)).body.code).toBe('MESSAGE_NOT_FOUND');
    });

    it('holds back the push of an ordinary notice to families between 21:30 and 07:00', async () => {
      const ack = await teacher.client.emit<{ message: MessageDto }>('message:send', {
        conversationId: groupId,
        clientMsgId: cid(),
        type: 'notice',
        title: '家长会',
        text: '周五下午家长会',
      });
      if (!ack.ok) throw new Error(ack.code);
      const rows = await eventually<{ user_id: string; deliver_at: string; created_at: string }>(
        `select user_id::text, deliver_at, created_at from notifications where kind = 'notice.new' and data->>'messageId' = '${ack.message.id}' and user_id = '${chen.id}'`,
      );
      const created = new Date(rows[0].created_at);
      const p = shanghai(created);
      const inFamilyDay = p.minute >= 7 * 60 && p.minute < 21 * 60 + 30;
      const expected = inFamilyDay ? undefined : atShanghai(p.year, p.month, p.minute >= 7 * 60 ? p.day + 1 : p.day, 7, 0);
      if (expected) expect(new Date(rows[0].deliver_at)).toEqual(expected);
      else expect(new Date(rows[0].deliver_at).getTime()).toBeLessThanOrEqual(created.getTime());
    });

    it('gives the read list of a notice the time each family first read it, and of other messages too', async () => {
      const ack = await teacher.client.emit<{ message: MessageDto }>('message:send', {
        conversationId: groupId,
        clientMsgId: cid(),
        type: 'notice',
        title: `家长会 ${cid()}`,
        text: '周五下午三点开家长会。',
        emergency: true,
      });
      if (!ack.ok) throw new Error(ack.code);
      const notice = ack.message;
      const before = Date.now();
      expect(await liu.client.emit('conversation:read', { conversationId: groupId, seq: notice.seq })).toEqual({
        ok: true,
        seq: notice.seq,
      });
      const after = Date.now();
      const liuStudent = await studentOf(liu);

      const reads = await ctx.parent().get(`/messages/${notice.id}/reads`).set(auth(teacher)).expect(200);
      const liuFamily = (reads.body.read as FamilyStatus[]).find((f) => f.studentId === liuStudent);
      const at = new Date(liuFamily?.at ?? 0).getTime();
      // The database's clock and this process's agree within a second on one machine.
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(after + 1000);
      for (const family of reads.body.unread as FamilyStatus[]) expect(family.at).toBeNull();

      // Reading on does not move the time the notice was first read.
      const later = await posted(chen, '收到');
      await liu.client.emit('conversation:read', { conversationId: groupId, seq: later.seq });
      const again = await ctx.parent().get(`/messages/${notice.id}/reads`).set(auth(teacher)).expect(200);
      expect((again.body.read as FamilyStatus[]).find((f) => f.studentId === liuStudent)?.at).toBe(liuFamily?.at);

      const plain = await ctx.parent().get(`/messages/${later.id}/reads`).set(auth(chen)).expect(200);
      const laterAt = new Date((plain.body.read as FamilyStatus[]).find((f) => f.studentId === liuStudent)?.at ?? 0).getTime();
      expect(laterAt).toBeGreaterThanOrEqual(at);
      expect(laterAt).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it("gives every reader of a text message a read time: read over REST, or passed by the reader's own send", async () => {
      const message = await posted(teacher, `请查看本周作业 ${cid()}`);
      const started = Date.now();
      await ctx.parent().post(`/conversations/${groupId}/read`).set(auth(liu)).send({ seq: message.seq }).expect(200);
      // Chen answers without reading first: the send moves Chen's cursor past the teacher's message.
      await posted(chen, '收到，谢谢老师');
      const reads = await ctx.parent().get(`/messages/${message.id}/reads`).set(auth(teacher)).expect(200);
      const read = reads.body.read as FamilyStatus[];
      expect(read.map((f) => f.studentId)).toEqual(expect.arrayContaining([await studentOf(liu), await studentOf(chen)]));
      for (const family of read) {
        const at = new Date(family.at as string).getTime();
        expect(at).toBeGreaterThanOrEqual(started - 1000);
        expect(at).toBeLessThanOrEqual(Date.now() + 1000);
      }
      for (const family of reads.body.unread as FamilyStatus[]) expect(family.at).toBeNull();
      // One mark per cursor move, not one per message and reader.
      const marks = await ctx.query<{ n: number }>(
        `select count(*)::int as n from read_marks where conversation_id = '${groupId}' and user_id = '${liu.id}' and seq = ${message.seq}`,
      );
      expect(marks[0].n).toBe(1);
    });
  });

  describe('staff-only groups', () => {
    it('lets the teacher switch a group to staff-only; parents then cannot post nor switch it back', async () => {
      try {
        const patched = await ctx.parent().patch(`/conversations/${groupId}`).set(auth(teacher)).send({ staffOnly: true }).expect(200);
        expect(patched.body).toMatchObject({ id: groupId, staffOnly: true });
        expect(await chen.client.next('conversation:updated', (e: { staffOnly: boolean }) => e.staffOnly)).toEqual({
          conversationId: groupId,
          staffOnly: true,
        });

        expect(await sendText(chen, '家长发言')).toMatchObject({ ok: false, code: 'STAFF_ONLY_CONVERSATION' });
        await ctx
          .parent()
          .post(`/conversations/${groupId}/messages`)
          .set(auth(chen))
          .send({ clientMsgId: cid(), type: 'text', text: 'x' })
          .expect(403);
        expect(await sendText(teacher, '老师发言')).toMatchObject({ ok: true });

        const refused = await ctx.parent().patch(`/conversations/${groupId}`).set(auth(chen)).send({ staffOnly: false }).expect(403);
        expect(refused.body.code).toBe('FORBIDDEN');
        await ctx.parent().patch(`/conversations/${groupId}`).set(auth(zhao)).send({ staffOnly: false }).expect(404);
        await ctx.parent().patch(`/conversations/${groupId}`).set(auth(teacher)).send({ staffOnly: 'yes' }).expect(400);
        const [row] = await ctx.query<{ staff_only: boolean }>(`select staff_only from conversations where id = '${groupId}'`);
        expect(row.staff_only).toBe(true);
      } finally {
        await ctx.parent().patch(`/conversations/${groupId}`).set(auth(teacher)).send({ staffOnly: false }).expect(200);
      }
      expect(await sendText(chen, '又可以发言了')).toMatchObject({ ok: true });
    });
  });

  describe('recall', () => {
    it('lets the sender recall within 2 minutes: everyone is told, history keeps a tombstone and a system message', async () => {
      const message = await posted(chen, '发错群了');
      const recalled = await chen.client.emit<{ message: MessageDto }>('message:recall', { messageId: message.id });
      expect(recalled).toEqual({ ok: true, message: { ...message, text: null, recalled: true } });

      for (const member of [teacher, liu]) {
        expect(await member.client.next('message:recalled', (e: { messageId: string }) => e.messageId === message.id)).toEqual({
          conversationId: groupId,
          messageId: message.id,
          seq: message.seq,
        });
        const system = await member.client.next<MessageDto>(
          'message:new',
          (m) => m.type === 'system' && m.system?.event === 'recalled' && m.seq === message.seq + 1,
        );
        expect(system).toMatchObject({
          senderId: null,
          text: '陈志强 撤回了一条消息',
          system: { event: 'recalled', userIds: [chen.id], names: ['陈志强'] },
        });
      }

      const history = await ctx
        .parent()
        .get(`/conversations/${groupId}/messages?afterSeq=${message.seq - 1}&limit=2`)
        .set(auth(liu))
        .expect(200);
      expect(history.body.items[0]).toEqual({ ...message, text: null, recalled: true });
      expect(history.body.items[1]).toMatchObject({ seq: message.seq + 1, type: 'system', text: '陈志强 撤回了一条消息' });
      const sync = await teacher.client.emit<{ messages: MessageDto[] }>('conversation:sync', {
        conversationId: groupId,
        afterSeq: message.seq - 1,
        limit: 2,
      });
      expect(sync.ok && sync.messages).toEqual(history.body.items);
      const [row] = await ctx.query<{ text: string | null; recalled: boolean }>(
        `select text, recalled_at is not null as recalled from messages where id = '${message.id}'`,
      );
      expect(row).toEqual({ text: null, recalled: true });
    });

    it('recalls once when the sender taps twice at once: one tombstone, one system message', async () => {
      const message = await posted(liu, '点了两次撤回');
      const [a, b] = await Promise.all([
        liu.client.emit<{ message: MessageDto }>('message:recall', { messageId: message.id }),
        ctx.parent().post(`/messages/${message.id}/recall`).set(auth(liu)),
      ]);
      expect(a).toEqual({ ok: true, message: { ...message, text: null, recalled: true } });
      expect(b.status).toBe(200);
      expect(b.body).toEqual({ ...message, text: null, recalled: true });
      const notices = await ctx.query<{ n: number }>(
        `select count(*)::int as n from messages where conversation_id = '${groupId}' and type = 'system' and payload->'system'->>'event' = 'recalled' and seq > ${message.seq}`,
      );
      expect(notices).toEqual([{ n: 1 }]);
      expect(await lastSeq()).toBe(message.seq + 1);
      // Recalling it again later changes nothing either.
      expect(await liu.client.emit('message:recall', { messageId: message.id })).toEqual(a);
      expect(await lastSeq()).toBe(message.seq + 1);
    });

    it("takes a recalled notice out of the families' inboxes too", async () => {
      const ack = await teacher.client.emit<{ message: MessageDto }>('message:send', {
        conversationId: groupId,
        clientMsgId: cid(),
        type: 'notice',
        title: '发错了的通知',
        text: '请忽略',
        emergency: true,
      });
      if (!ack.ok) throw new Error(ack.code);
      await liu.client.next<NotificationDto>('notification:new', (n) => n.data.messageId === ack.message.id);
      const inbox = async () =>
        ((await ctx.parent().get('/notifications?limit=100').set(auth(liu)).expect(200)).body.items as NotificationDto[]).filter(
          (n) => n.data.messageId === ack.message.id,
        );
      expect(await inbox()).toHaveLength(1);
      expect(await teacher.client.emit('message:recall', { messageId: ack.message.id })).toMatchObject({ ok: true });
      expect(await inbox()).toEqual([]);
      const [{ n }] = await ctx.query<{ n: number }>(
        `select count(*)::int as n from notifications where data->>'messageId' = '${ack.message.id}'`,
      );
      expect(n).toBe(0);
    });

    it('refuses a recall by someone else (FORBIDDEN) and after 2 minutes (RECALL_WINDOW_PASSED)', async () => {
      const message = await posted(chen, '老师辛苦了');
      expect(await liu.client.emit('message:recall', { messageId: message.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(await teacher.client.emit('message:recall', { messageId: message.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect((await ctx.parent().post(`/messages/${message.id}/recall`).set(auth(liu)).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await ctx.parent().post(`/messages/${message.id}/recall`).set(auth(zhao)).expect(404)).body.code).toBe('MESSAGE_NOT_FOUND');

      await ctx.query(`update messages set created_at = now() - interval '121 seconds' where id = '${message.id}'`);
      expect(await chen.client.emit('message:recall', { messageId: message.id })).toMatchObject({
        ok: false,
        code: 'RECALL_WINDOW_PASSED',
      });
      const late = await ctx.parent().post(`/messages/${message.id}/recall`).set(auth(chen)).expect(409);
      expect(late.body).toEqual({ statusCode: 409, code: 'RECALL_WINDOW_PASSED', message: '消息发出已超过 2 分钟，无法撤回' });
      const [row] = await ctx.query<{ text: string }>(`select text from messages where id = '${message.id}'`);
      expect(row.text).toBe('老师辛苦了');
    });
  });

  describe('monthly partitions', () => {
    it('makes the coming months ahead once; a message lands in its month, keeps its clientMsgId when moved to another and frees it when deleted', async () => {
      const partitions = ctx.apps.worker!.get(MessagePartitionsService);
      const may2031 = new Date(Date.UTC(2031, 4, 15));
      expect(await partitions.ensure(may2031)).toBe(4);
      expect(await partitions.ensure(may2031)).toBe(0);
      const made = await ctx.query<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'messages'::regclass and c.relname like 'messages_2031_%' order by 1`,
      );
      expect(made.map((r) => r.name)).toEqual(['messages_2031_05', 'messages_2031_06', 'messages_2031_07', 'messages_2031_08']);

      const clientMsgId = cid();
      const first = await sendText(chen, '分区', groupId, clientMsgId);
      if (!first.ok) throw new Error(`send failed: ${first.code}`);
      const month = new Date().toISOString().slice(0, 7).replace('-', '_');
      expect(await ctx.query(`select tableoid::regclass::text as part from messages where id = '${first.message.id}'`)).toEqual([
        { part: `messages_${month}` },
      ]);
      await ctx.query(`update messages set created_at = '2031-06-02T08:00:00Z' where id = '${first.message.id}'`);
      expect(await ctx.query(`select tableoid::regclass::text as part from messages where id = '${first.message.id}'`)).toEqual([
        { part: 'messages_2031_06' },
      ]);
      const again = await sendText(chen, '分区', groupId, clientMsgId);
      expect(again.ok && again.message.id).toBe(first.message.id);
      // A page that reads this month and the last misses it, sees the gap and reads every month.
      const later = await posted(chen, '分区之后');
      const page = await ctx
        .parent()
        .get(`/conversations/${groupId}/messages?afterSeq=${first.message.seq - 1}&limit=2`)
        .set(auth(chen))
        .expect(200);
      expect(page.body.items.map((m: MessageDto) => m.id)).toEqual([first.message.id, later.id]);
      await ctx.query(`update messages set created_at = now() where id = '${first.message.id}'`);
      // A message deleted (by hand: the platform deletes none) takes its clientMsgId's claim with it.
      const claims = () => ctx.query(`select message_id from message_client_ids where message_id = '${later.id}'`);
      expect(await claims()).toEqual([{ message_id: later.id }]);
      await ctx.query(`delete from messages where id = '${later.id}'`);
      expect(await claims()).toEqual([]);
    });
  });

  describe('direct chats', () => {
    it('opens one direct chat between a parent and the class teacher, whoever asks and however often', async () => {
      const first = await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: teacher.id }).expect(201);
      expect(first.body).toMatchObject({ kind: 'direct', title: '张丽华', staffOnly: false });
      const again = await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: teacher.id }).expect(201);
      const [x, y] = await Promise.all([
        ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: teacher.id }),
        ctx.parent().post('/conversations/direct').set(auth(teacher)).send({ userId: chen.id }),
      ]);
      expect([again.body.id, x.body.id, y.body.id]).toEqual([first.body.id, first.body.id, first.body.id]);
      expect(y.body.title).toBe('陈志强');
      const key = [chen.id, teacher.id].sort().join(':');
      expect(await ctx.query(`select count(*)::int as n from conversations where direct_key = '${key}'`)).toEqual([{ n: 1 }]);
      const members = await ctx.parent().get(`/conversations/${first.body.id}/members`).set(auth(chen)).expect(200);
      expect(members.body.map((m: { userId: string; role: string }) => [m.userId, m.role]).sort()).toEqual(
        [
          [chen.id, 'member'],
          [teacher.id, 'staff'],
        ].sort(),
      );

      // Both sockets were connected before the chat existed, and still get its messages.
      const message = await posted(chen, '张老师您好', first.body.id);
      expect(await teacher.client.next<MessageDto>('message:new', (m) => m.id === message.id)).toMatchObject({
        conversationId: first.body.id,
        text: '张老师您好',
      });
      await ctx.parent().get(`/conversations/${first.body.id}/messages`).set(auth(liu)).expect(404);
    });

    it('refuses direct chats between parents, across schools and with oneself (DIRECT_CHAT_NOT_ALLOWED)', async () => {
      for (const [user, other] of [
        [chen, liu],
        [liu, chen],
        [zhao, teacher],
        [teacher, zhao],
        [chen, chen],
      ] as const) {
        const res = await ctx.parent().post('/conversations/direct').set(auth(user)).send({ userId: other.id }).expect(403);
        expect(res.body.code).toBe('DIRECT_CHAT_NOT_ALLOWED');
      }
      await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: randomUUID() }).expect(403);
      await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: 'nobody' }).expect(400);
    });

    it('tells a parent when the teacher is outside working hours and pushes the teacher at the next start', async () => {
      const direct = await ctx.parent().post('/conversations/direct').set(auth(liu)).send({ userId: teacher.id }).expect(201);
      const today = shanghai(new Date()).weekday;
      const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today);
      const away = await ctx.parent().put('/me/working-hours').set(auth(teacher)).send({ days, start: '07:30', end: '18:00' }).expect(200);
      expect(away.body).toEqual({ days, start: '07:30', end: '18:00', quietNow: true, source: 'custom' });

      const quiet = await sendText(liu, '老师，孩子明天请假', direct.body.id);
      expect(quiet).toMatchObject({ ok: true, quietHours: true });
      if (!quiet.ok) return;
      // Today is not a working day: the push waits for tomorrow 07:30 in Shanghai.
      const p = shanghai(new Date(quiet.message.createdAt));
      const [held] = await ctx.query<{ deliver_at: string; pushed: boolean; title: string }>(
        `select deliver_at, pushed_at is not null as pushed, title from notifications where user_id = '${teacher.id}' and data->>'messageId' = '${quiet.message.id}'`,
      );
      expect({ ...held, deliver_at: new Date(held.deliver_at) }).toEqual({
        deliver_at: atShanghai(p.year, p.month, p.day + 1, 7, 30),
        pushed: false,
        title: '刘芳',
      });
      const inbox = await ctx.parent().get('/notifications?limit=100').set(auth(teacher)).expect(200);
      expect(inbox.body.items.map((n: NotificationDto) => n.data.messageId)).not.toContain(quiet.message.id);

      const always = await ctx
        .parent()
        .put('/me/working-hours')
        .set(auth(teacher))
        .send({ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' })
        .expect(200);
      expect(always.body.quietNow).toBe(false);
      const inside = await sendText(liu, '好的，谢谢老师', direct.body.id);
      expect(inside).toMatchObject({ ok: true, quietHours: false });
      if (!inside.ok) return;
      const pushed = await teacher.client.next<NotificationDto>('notification:new', (n) => n.data.messageId === inside.message.id);
      expect(pushed).toMatchObject({
        kind: 'message.direct',
        title: '刘芳',
        body: '好的，谢谢老师',
        data: { conversationId: direct.body.id, messageId: inside.message.id, seq: inside.message.seq },
      });
      expect(new Date(pushed.deliverAt).getTime()).toBeLessThanOrEqual(Date.now());

      // Parents keep no working hours.
      expect(
        (
          await ctx
            .parent()
            .put('/me/working-hours')
            .set(auth(liu))
            .send({ days: [1], start: '08:00', end: '09:00' })
            .expect(403)
        ).body.code,
      ).toBe('FORBIDDEN');
    });
  });

  describe('notifications', () => {
    it('pages the inbox newest first and marks notifications read', async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const ack = await teacher.client.emit<{ message: MessageDto }>('message:send', {
          conversationId: groupId,
          clientMsgId: cid(),
          type: 'notice',
          title: `分页通知 ${i}`,
          text: `第 ${i} 条通知`,
          emergency: true,
        });
        if (!ack.ok) throw new Error(ack.code);
        ids.push(ack.message.id);
      }
      for (const id of ids) await liu.client.next<NotificationDto>('notification:new', (n) => n.data.messageId === id);

      const all = await ctx.parent().get('/notifications?limit=100').set(auth(liu)).expect(200);
      const everything = all.body.items as NotificationDto[];
      expect(everything.length).toBeGreaterThanOrEqual(3);
      const times = everything.map((n) => n.deliverAt);
      expect(times).toEqual([...times].sort().reverse());
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: NotificationDto[]; nextCursor: string | null } = (
          await ctx
            .parent()
            .get(`/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
            .set(auth(liu))
            .expect(200)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items.map((n) => n.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(everything.map((n) => n.id));

      const unreadBefore = all.body.unread as number;
      const mine = everything.filter((n) => ids.includes(n.data.messageId as string) && n.readAt === null).map((n) => n.id);
      expect(mine).toHaveLength(3);
      expect(
        (
          await ctx
            .parent()
            .post('/notifications/read')
            .set(auth(liu))
            .send({ ids: mine.slice(0, 2) })
            .expect(200)
        ).body,
      ).toEqual({ marked: 2 });
      expect(
        (
          await ctx
            .parent()
            .post('/notifications/read')
            .set(auth(liu))
            .send({ ids: mine.slice(0, 2) })
            .expect(200)
        ).body,
      ).toEqual({ marked: 0 });
      // Someone else's notification is not theirs to mark.
      expect(
        (
          await ctx
            .parent()
            .post('/notifications/read')
            .set(auth(chen))
            .send({ ids: [mine[2]] })
            .expect(200)
        ).body,
      ).toEqual({ marked: 0 });
      const unreadOnly = await ctx.parent().get('/notifications?unread=true&limit=100').set(auth(liu)).expect(200);
      expect(unreadOnly.body.unread).toBe(unreadBefore - 2);
      expect(unreadOnly.body.items.map((n: NotificationDto) => n.id)).toEqual(expect.arrayContaining([mine[2]]));
      expect(unreadOnly.body.items.map((n: NotificationDto) => n.id)).not.toContain(mine[0]);

      expect((await ctx.parent().post('/notifications/read').set(auth(liu)).send({}).expect(200)).body).toEqual({
        marked: unreadBefore - 2,
      });
      const after = await ctx.parent().get('/notifications').set(auth(liu)).expect(200);
      expect(after.body.unread).toBe(0);
      expect(after.body.items.every((n: NotificationDto) => n.readAt !== null)).toBe(true);

      await ctx.parent().get('/notifications?cursor=garbage').set(auth(liu)).expect(400);
      await ctx
        .parent()
        .post('/notifications/read')
        .set(auth(liu))
        .send({ ids: ['x'] })
        .expect(400);
    });
  });

  describe('uploads', () => {
    it('sends an uploaded PNG as an image, lets members download it and removes it on recall', async () => {
      const bytes = png();
      const upload = await ctx.parent().post('/uploads').set(auth(chen)).attach('file', bytes, 'photo.png').expect(201);
      expect(upload.body).toEqual({ id: expect.any(String), name: 'photo.png', mime: 'image/png', size: bytes.length, kind: 'image' });
      const fileId = upload.body.id as string;
      // Not sent anywhere yet: only the uploader may fetch it.
      await ctx.parent().get(`/files/${fileId}`).set(auth(chen)).expect(200);
      await ctx.parent().get(`/files/${fileId}`).set(auth(liu)).expect(403);
      // Nobody else may send it.
      expect(await liu.client.emit('message:send', { conversationId: groupId, clientMsgId: cid(), type: 'image', fileId })).toMatchObject({
        ok: false,
        code: 'FILE_NOT_FOUND',
      });

      const ack = await chen.client.emit<{ message: MessageDto }>('message:send', {
        conversationId: groupId,
        clientMsgId: cid(),
        type: 'image',
        fileId,
      });
      if (!ack.ok) throw new Error(ack.code);
      expect(ack.message).toMatchObject({
        type: 'image',
        text: null,
        attachment: { fileId, name: 'photo.png', mime: 'image/png', size: bytes.length, url: `/files/${fileId}` },
      });
      expect(await liu.client.next<MessageDto>('message:new', (m) => m.id === ack.message.id)).toEqual(ack.message);

      const download = await ctx
        .parent()
        .get(`/files/${fileId}`)
        .set(auth(liu))
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(download.headers['content-type']).toBe('image/png');
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.compare(download.body as Buffer, bytes)).toBe(0);
      expect((await ctx.parent().get(`/files/${fileId}`).set(auth(zhao)).expect(403)).body.code).toBe('FORBIDDEN');

      // Sent a second time (to the direct chat): recalling that copy leaves the group's image alone.
      const direct = await ctx.parent().post('/conversations/direct').set(auth(chen)).send({ userId: teacher.id }).expect(201);
      const copy = await chen.client.emit<{ message: MessageDto }>('message:send', {
        conversationId: direct.body.id,
        clientMsgId: cid(),
        type: 'image',
        fileId,
      });
      if (!copy.ok) throw new Error(copy.code);
      expect(await chen.client.emit('message:recall', { messageId: copy.message.id })).toMatchObject({
        ok: true,
        message: { recalled: true },
      });
      await ctx.parent().get(`/files/${fileId}`).set(auth(liu)).expect(200);

      expect(await chen.client.emit('message:recall', { messageId: ack.message.id })).toMatchObject({
        ok: true,
        message: { recalled: true },
      });
      for (const user of [liu, chen, teacher]) {
        expect((await ctx.parent().get(`/files/${fileId}`).set(auth(user)).expect(404)).body.code).toBe('FILE_NOT_FOUND');
      }
    });

    it('decides the type from the content, not the name (415), and checks image sends', async () => {
      const fake = await ctx
        .parent()
        .post('/uploads')
        .set(auth(chen))
        .attach('file', Buffer.from('just some text, not a picture\n'), 'photo.png')
        .expect(415);
      expect(fake.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const pdf = await ctx
        .parent()
        .post('/uploads')
        .set(auth(chen))
        .attach('file', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), '通知.pdf')
        .expect(201);
      expect(pdf.body).toMatchObject({ name: '通知.pdf', mime: 'application/pdf', kind: 'file' });
      expect(
        await chen.client.emit('message:send', { conversationId: groupId, clientMsgId: cid(), type: 'image', fileId: pdf.body.id }),
      ).toMatchObject({ ok: false, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(
        await chen.client.emit('message:send', {
          conversationId: groupId,
          clientMsgId: cid(),
          type: 'file',
          fileId: pdf.body.id,
          text: '请查收',
        }),
      ).toMatchObject({
        ok: true,
        message: { type: 'file', text: '请查收', attachment: { fileId: pdf.body.id, mime: 'application/pdf' } },
      });
      await ctx.parent().post('/uploads').set(auth(chen)).send({}).expect(400);
    });
  });

  describe('class group sync', () => {
    async function activate(userId: string): Promise<User> {
      await ctx.query(
        `update users set password_hash = (select password_hash from users where phone = '13900000003'), status = 'active' where id = '${userId}'`,
      );
      await ctx.query(consentSql(`id = '${userId}'`));
      const [row] = await ctx.query<{ phone: string }>(`select phone from users where id = '${userId}'`);
      return signIn(row.phone);
    }

    const sync = () => (ctx.apps.worker?.get(ConversationService) as ConversationService).syncClassGroup(classId);

    it('follows the roster: a removed guardian leaves and stops receiving, a new one joins', async () => {
      // A guardian of a two-guardian family, so the family itself stays in the class.
      const [leaving] = await ctx.query<{ user_id: string; student_id: string }>(`
        select g.user_id::text, g.student_id::text from guardianships g join students s on s.id = g.student_id join users u on u.id = g.user_id
         where s.class_id = '${classId}' and u.status = 'invited' and (select count(*) from guardianships o where o.student_id = g.student_id) = 2
         order by u.phone limit 1`);
      const gone = await activate(leaving.user_id);
      const before = await posted(teacher, '大家好');
      await gone.client.next<MessageDto>('message:new', (m) => m.id === before.id);

      await ctx.query(`delete from guardianships where user_id = '${gone.id}' and student_id = '${leaving.student_id}'`);
      expect(await sync()).toEqual({ conversationId: groupId, joined: [], left: [gone.id] });
      const left = await teacher.client.next<MessageDto>(
        'message:new',
        (m) => m.system?.event === 'left' && m.system.userIds.includes(gone.id),
      );
      expect(left).toMatchObject({ type: 'system', senderId: null, text: `${gone.name} 离开了群聊` });
      const after = await posted(teacher, '离开后的消息');
      await barrier(gone);
      expect(gone.client.received<MessageDto>('message:new', (m) => m.id === after.id || m.id === left.id)).toEqual([]);
      expect(await gone.client.emit('conversation:sync', { conversationId: groupId, afterSeq: 0 })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
      const list = await ctx.parent().get('/conversations').set(auth(gone)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(groupId);

      // A new student with a new guardian, whose socket is already connected.
      await ctx.query(`
        with u as (insert into users (phone, name, password_hash, status)
                   values ('13811112222', '孙新', (select password_hash from users where phone = '13900000003'), 'active') returning id),
             s as (insert into students (class_id, name) values ('${classId}', '孙小新') returning id)
        insert into guardianships (student_id, user_id, relation, is_primary) select s.id, u.id, '母亲', true from s, u`);
      await ctx.query(consentSql(`phone = '13811112222'`));
      const newcomer = await signIn('13811112222');
      const seqBefore = await lastSeq();
      expect(await sync()).toEqual({ conversationId: groupId, joined: [newcomer.id], left: [] });
      const joined = await newcomer.client.next<MessageDto>('message:new', (m) => m.system?.event === 'joined');
      expect(joined).toMatchObject({
        seq: seqBefore + 1,
        type: 'system',
        text: '孙新 加入了群聊',
        system: { event: 'joined', userIds: [newcomer.id], names: ['孙新'] },
      });
      const welcome = await posted(teacher, '欢迎新同学');
      await newcomer.client.next<MessageDto>('message:new', (m) => m.id === welcome.id);
      const mine = await ctx.parent().get('/conversations').set(auth(newcomer)).expect(200);
      // Everything before the arrival counts as read.
      expect(mine.body.items.find((c: { id: string }) => c.id === groupId)).toMatchObject({
        title: GROUP_TITLE,
        lastSeq: welcome.seq,
        unread: 2,
      });

      // Nothing changed since: a second sync does nothing, and writes no system message.
      const seq = await lastSeq();
      expect(await sync()).toEqual({ conversationId: groupId, joined: [], left: [] });
      expect(await lastSeq()).toBe(seq);
    });
  });
});
