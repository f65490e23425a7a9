import { MessageDto } from '@jiaxiao/messaging';
import { SendBatcher } from '../libs/messaging/src/send-batcher';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';

/**
 * Group commit of `message:send` (SendBatcher): the sends of one moment, across conversations,
 * share one read and one write statement. Each must still get its own seq, read cursor, read mark
 * and inbox entry, committed before its ack; a send that fails (a clientMsgId reused meanwhile)
 * fails alone.
 */

const CHATS = 15;

describe('group commit of sends (gateway)', () => {
  let ctx: TestContext;
  let teacher: { id: string; client: RealtimeClient };
  let parentId: string;
  let chats: string[];
  let serial = 0;
  const cid = () => `batch-${Date.now().toString(36)}-${++serial}`;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'gateway'] });
    const login = await ctx.parent().post('/auth/login').send({ phone: '13900000002', password: DEMO_PASSWORD }).expect(200);
    teacher = { id: login.body.user.id, client: await RealtimeClient.connect(ctx.urls.gateway as string, login.body.accessToken) };
    const [parent] = await ctx.query<{ id: string }>(`select id::text from users where phone = '13900000003'`);
    parentId = parent.id;
    // Direct chats of the teacher with the parent, made by SQL: the API opens one per pair.
    const rows = await ctx.query<{ id: string }>(`
      with made as (
        insert into conversations (kind, title, direct_key)
        select 'direct', '批量 ' || n, 'batch-test-' || n from generate_series(1, ${CHATS}) n
        returning id
      ), members as (
        insert into conversation_members (conversation_id, user_id, role)
        select made.id, m.user_id, m.role from made,
          (values ('${teacher.id}'::uuid, 'staff'), ('${parentId}'::uuid, 'member')) as m(user_id, role)
      )
      select id::text from made`);
    chats = rows.map((r) => r.id);
  });

  beforeEach(async () => {
    await ctx.infra.redis.del(`ratelimit:send:${teacher.id}`);
  });

  afterAll(async () => {
    teacher.client.close();
    await ctx.close();
  });

  it('commits sends to many conversations at once, each with its own seq, cursor, read mark and inbox entry', async () => {
    const acks = await Promise.all(
      chats.map((conversationId, i) =>
        teacher.client.emit<{ message: MessageDto }>('message:send', {
          conversationId,
          clientMsgId: cid(),
          type: 'text',
          text: `第 ${i + 1} 条, "引号", {括号}, 反斜杠\\`,
        }),
      ),
    );
    acks.forEach((ack, i) => {
      expect(ack).toMatchObject({
        ok: true,
        message: { conversationId: chats[i], seq: 1, text: `第 ${i + 1} 条, "引号", {括号}, 反斜杠\\` },
      });
    });
    const state = await ctx.query<{ id: string; last_seq: number; cursor: number; marks: number; inbox: number; messages: number }>(`
      select c.id::text, c.last_seq::int,
        (select last_read_seq::int from conversation_members where conversation_id = c.id and user_id = '${teacher.id}') as cursor,
        (select count(*)::int from read_marks where conversation_id = c.id and user_id = '${teacher.id}') as marks,
        (select count(*)::int from notifications n where n.user_id = '${parentId}' and n.kind = 'message.direct'
           and n.data->>'conversationId' = c.id::text) as inbox,
        (select count(*)::int from messages m where m.conversation_id = c.id) as messages
      from conversations c where c.id = any('{${chats.join(',')}}'::uuid[]) order by c.id`);
    expect(state).toHaveLength(CHATS);
    for (const row of state) expect(row).toEqual({ id: row.id, last_seq: 1, cursor: 1, marks: 0, inbox: 1, messages: 1 });
  });

  it('keeps seqs in send order when one conversation gets several sends at the same moment', async () => {
    const [conversationId] = chats;
    const before = await ctx.query<{ n: number }>(`select last_seq::int as n from conversations where id = '${conversationId}'`);
    const texts = ['一', '二', '三', '四', '五'];
    const acks = await Promise.all(
      texts.map((text) =>
        teacher.client.emit<{ message: MessageDto }>('message:send', { conversationId, clientMsgId: cid(), type: 'text', text }),
      ),
    );
    expect(acks.map((ack) => (ack.ok ? [ack.message.seq, ack.message.text] : ack.code))).toEqual(
      texts.map((text, i) => [before[0].n + i + 1, text]),
    );
  });

  it('fails only the send whose clientMsgId is taken, when the batch it shares has to be written again one by one', async () => {
    const taken = cid();
    const first = await teacher.client.emit<{ message: MessageDto }>('message:send', {
      conversationId: chats[0],
      clientMsgId: taken,
      type: 'text',
      text: '先发的',
    });
    expect(first.ok).toBe(true);
    // The batch statement claims every clientMsgId of the batch at once: one already claimed fails it whole.
    const batcher = ctx.apps.gateway!.get(SendBatcher);
    const inbox = { userIds: [parentId], deliverAt: [new Date()], kind: 'message.direct', title: '张丽华', body: '…' };
    const send = (conversationId: string, clientMsgId: string) =>
      batcher.insert({ conversationId, senderId: teacher.id, clientMsgId, type: 'text', text: '同一批', payload: {} }, inbox);
    const fresh = [cid(), cid()];
    const outcomes = await Promise.allSettled([send(chats[1], fresh[0]), send(chats[2], taken), send(chats[3], fresh[1])]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await ctx.query<{ client_msg_id: string; conversation_id: string }>(
      `select client_msg_id, conversation_id::text from messages where sender_id = '${teacher.id}' and client_msg_id in ('${taken}', '${fresh[0]}', '${fresh[1]}') order by client_msg_id`,
    );
    expect(rows).toEqual(
      [
        { client_msg_id: taken, conversation_id: chats[0] },
        { client_msg_id: fresh[0], conversation_id: chats[1] },
        { client_msg_id: fresh[1], conversation_id: chats[3] },
      ].sort((a, b) => a.client_msg_id.localeCompare(b.client_msg_id)),
    );
  });

  it('refuses a clientMsgId reused in another conversation at the same moment, and writes it once', async () => {
    const reused = cid();
    const [a, b] = await Promise.all(
      [chats[4], chats[5]].map((conversationId) =>
        teacher.client.emit<{ message: MessageDto }>('message:send', {
          conversationId,
          clientMsgId: reused,
          type: 'text',
          text: '重复编号',
        }),
      ),
    );
    expect(a).toMatchObject({ ok: true, message: { conversationId: chats[4] } });
    expect(b).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    const rows = await ctx.query<{ n: number }>(`select count(*)::int as n from messages where client_msg_id = '${reused}'`);
    expect(rows).toEqual([{ n: 1 }]);
  });
});
