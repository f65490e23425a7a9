import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ERROR_CATALOG } from '@jiaxiao/common';
import type { MessageDto } from '@jiaxiao/messaging';
import { createTestContext, TestContext } from './support/harness';
import { AckResult, RealtimeClient } from './support/realtime-client';

/**
 * Hostile payloads on every client → server event: arbitrary JSON values and near-valid payloads
 * (right shape, one field wrong, missing or extra). Every ack must be `{ok:true, ...}` or
 * `{ok:false, code, message}` with a code of the catalogue and never INTERNAL_ERROR, the socket
 * must stay connected, and the gateway must still deliver a valid message afterwards.
 */

const GROUP_TITLE = '潍坊七中 初一(1)班';
const KNOWN_CODES = new Set(Object.keys(ERROR_CATALOG));
const RUNS = { json: 50, nearValid: 50 };

describe('gateway under hostile event payloads (fast-check)', () => {
  let ctx: TestContext;
  let chen: RealtimeClient; // 13900000003, a parent in 初一(1)班
  let teacher: RealtimeClient; // 13900000002, the class's teacher
  let groupId: string;
  let messageId: string;
  let lectureId: string;
  let serial = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['gateway', 'parent'] });
    const [group] = await ctx.query<{ id: string }>(
      `select id::text from conversations where kind = 'class_group' and title = '${GROUP_TITLE}'`,
    );
    groupId = group.id;
    const [lecture] = await ctx.query<{ id: string }>('select id::text from lectures limit 1');
    lectureId = lecture?.id ?? randomUUID();
    chen = await RealtimeClient.connect(ctx.urls.gateway as string, await ctx.login('13900000003'));
    teacher = await RealtimeClient.connect(ctx.urls.gateway as string, await ctx.login('13900000002'));
    const sent = await teacher.emit<{ message: MessageDto }>('message:send', {
      conversationId: groupId,
      clientMsgId: 'fuzz-seed',
      type: 'notice',
      title: '通知',
      text: '请确认',
      needsAck: true,
    });
    if (!sent.ok) throw new Error(`seed message refused: ${sent.code}`);
    messageId = sent.message.id;
  });

  afterAll(async () => {
    chen?.close();
    teacher?.close();
    await ctx?.close();
  });

  function checkAck(event: string, payload: unknown, ack: AckResult) {
    const where = `${event} ${JSON.stringify(payload)?.slice(0, 300)} → ${JSON.stringify(ack)?.slice(0, 300)}`;
    if (typeof ack !== 'object' || ack === null) throw new Error(`not an ack object: ${where}`);
    if (ack.ok === true) return;
    if (ack.ok !== false || typeof ack.code !== 'string' || typeof ack.message !== 'string' || ack.message.length === 0)
      throw new Error(`malformed ack: ${where}`);
    if (!KNOWN_CODES.has(ack.code)) throw new Error(`unknown code: ${where}`);
    if (ack.code === 'INTERNAL_ERROR') throw new Error(`internal error: ${where}`);
  }

  async function probe(event: string, payload: unknown) {
    const ack = await chen.emit(event, payload);
    checkAck(event, payload, ack);
    if (!chen.socket.connected) throw new Error(`socket dropped after ${event} ${JSON.stringify(payload)?.slice(0, 300)}`);
  }

  // Values that are wrong in type, form or size, for any field.
  const junk = fc.oneof(
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      Number.MAX_SAFE_INTEGER,
      '',
      ' ',
      '\u0000',
      'null',
      '[]',
      '{}',
      '00000000-0000-0000-0000-000000000000',
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.uuid(),
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ minLength: 2001, maxLength: 6000 }),
  );
  const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: junk, weight: 1 });
  const clientMsgId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/).map((s) => `fz${++serial}-${s}`.slice(0, 64));
  const conversationId = () => field(fc.constantFrom(groupId, randomUUID()));
  const msgId = () => field(fc.constantFrom(messageId, randomUUID()));
  const seq = field(fc.integer({ min: 0, max: 1_000_000 }));
  /** An object with some of the fields, and sometimes one the DTO does not know. */
  const near = (fields: Record<string, fc.Arbitrary<unknown>>) =>
    fc
      .tuple(
        fc.record(fields, { requiredKeys: [] }),
        fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), junk), { nil: undefined }),
      )
      .map(([record, extra]) => {
        const payload: Record<string, unknown> = { ...record };
        if (extra) payload[extra[0]] = extra[1];
        return payload;
      });

  const events: [string, () => fc.Arbitrary<unknown>][] = [
    [
      'message:send',
      () =>
        near({
          conversationId: conversationId(),
          clientMsgId: field(clientMsgId),
          type: field(fc.constantFrom('text', 'image', 'file', 'notice', 'system')),
          text: field(fc.string({ minLength: 1, maxLength: 200 })),
          fileId: field(fc.uuid()),
          title: field(fc.string({ minLength: 1, maxLength: 40 })),
          needsAck: field(fc.boolean()),
          emergency: field(fc.boolean()),
        }),
    ],
    ['conversation:read', () => near({ conversationId: conversationId(), seq })],
    ['conversation:sync', () => near({ conversationId: conversationId(), afterSeq: seq, limit: field(fc.integer({ min: 1, max: 200 })) })],
    ['message:recall', () => near({ messageId: msgId() })],
    ['notice:ack', () => near({ messageId: msgId() })],
    ['lecture:heartbeat', () => near({ lectureId: field(fc.constantFrom(lectureId, randomUUID())) })],
  ];

  it.each(events)('%s: arbitrary JSON and near-valid payloads get a well-formed ack and keep the socket', async (event, nearValid) => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), (payload) => probe(event, payload)),
      { numRuns: RUNS.json },
    );
    await fc.assert(
      fc.asyncProperty(nearValid(), (payload) => probe(event, payload)),
      { numRuns: RUNS.nearValid },
    );
  });

  it.each(events.map(([event]) => event))(
    '%s: 3,000-level payloads are refused with JSON_TOO_DEEP, never INTERNAL_ERROR',
    async (event) => {
      let array: unknown = [];
      let object: unknown = 1;
      for (let i = 0; i < 3000; i++) {
        array = [array];
        object = { a: object };
      }
      for (const payload of [object, { conversationId: array, messageId: array, lectureId: array }, { text: object }]) {
        const ack = await chen.emit(event, payload);
        checkAck(event, '(3,000 levels)', ack);
        expect(ack).toEqual(expect.objectContaining({ ok: false, code: 'JSON_TOO_DEEP' }));
        expect(chen.socket.connected).toBe(true);
      }
    },
  );

  it('still delivers a valid message to the fuzzed socket afterwards', async () => {
    expect(chen.socket.connected).toBe(true);
    const clientMsgId = `fuzz-after-${Date.now().toString(36)}`;
    const ack = await teacher.emit<{ message: MessageDto }>('message:send', {
      conversationId: groupId,
      clientMsgId,
      type: 'text',
      text: '大家好',
    });
    expect(ack.ok).toBe(true);
    const received = await chen.next<MessageDto>('message:new', (m) => m.clientMsgId === clientMsgId);
    expect(received.text).toBe('大家好');
    // And the fuzzed socket's own events are still answered.
    const sync = await chen.emit<{ messages: MessageDto[] }>('conversation:sync', { conversationId: groupId, afterSeq: 0, limit: 1 });
    expect(sync.ok).toBe(true);
  });
});
