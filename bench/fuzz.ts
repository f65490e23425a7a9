/**
 * `npm run bench:fuzz -- [--requests 30000] [--payloads 3000]`: the bad-input campaign. On a
 * scratch database (migrated and seeded), parent-api, admin-api, the worker and the gateway take
 * fast-check-generated hostile requests spread over every route of both OpenAPI documents
 * (bench/fuzz-requests.ts) and hostile payloads on every client → server socket event. Prints
 * the requests sent, the answers by status class, the 5xx and the INTERNAL_ERROR acks, and exits
 * non-zero if there was any. Not part of `npm test` (test/http-fuzz.e2e-spec.ts runs a few per route).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { io, Socket } from 'socket.io-client';
import { createGateway } from '../apps/gateway/src/gateway.app';
import {
  describeRequest,
  FuzzContext,
  hostileRequests,
  junk,
  OpenApiDocument,
  operationsOf,
  requestArbitrary,
  send,
} from './fuzz-requests';
import { dropRedisKeys, Platform, runId, scratchDatabase, startPlatform } from './support';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REQUESTS = option('requests', 30_000);
const PAYLOADS = option('payloads', 3_000);
const CONCURRENCY = 16;
const PASSWORD = 'Jiaxiao#2016';

async function login(base: string, phone: string): Promise<string> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${phone}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<void> {
  const scratch = await scratchDatabase();
  const platform = await startPlatform(scratch.url);
  const gatewayApp = await createGateway(platform.infra);
  await gatewayApp.listen(0, '127.0.0.1');
  const address = gatewayApp.getHttpServer().address() as { port: number };
  const gatewayUrl = `http://127.0.0.1:${address.port}`;
  let exitCode = 0;
  try {
    const tokens = [
      await login(platform.urls.parent, '13900000003'),
      await login(platform.urls.parent, '13900000002'),
      await login(platform.urls.admin, '13900000001'),
      await login(platform.urls.admin, '13900000000'),
    ];
    const rows = await query<{ id: string }>(
      platform,
      `(select id::text from students limit 3) union all (select id::text from classes limit 3) union all (select id::text from schools limit 2)
       union all (select id::text from lectures limit 2) union all (select id::text from conversations limit 2) union all (select id::text from committees limit 2)
       union all (select id::text from elections limit 2) union all (select id::text from messages limit 2) union all (select id::text from users limit 2)`,
    );
    const ids = rows.map((r) => r.id);

    const started = Date.now();
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    let sent = 0;
    for (const base of [platform.urls.parent, platform.urls.admin]) {
      const doc = (await (await fetch(`${base}/docs-json`)).json()) as OpenApiDocument;
      const ctx: FuzzContext = { doc, tokens, ids };
      const ops = operationsOf(doc);
      const share = Math.ceil(REQUESTS / 2 / ops.length);
      const queue = ops.flatMap((op) => [...hostileRequests(op, ctx), ...fc.sample(requestArbitrary(op, ctx), share)]);
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < queue.length) {
            const req = queue[next++];
            const res = await send(base, req);
            sent++;
            const klass = `${Math.floor(res.status / 100)}xx`;
            statuses.set(klass, (statuses.get(klass) ?? 0) + 1);
            if (res.status >= 500) failures.push(`${res.status} ${res.code} ${describeRequest(req)}`);
          }
        }),
      );
    }
    const httpSeconds = (Date.now() - started) / 1000;
    console.log(`HTTP: ${sent} requests over every route of parent-api and admin-api in ${httpSeconds.toFixed(0)} s`);
    console.log(
      `  by status: ${[...statuses.entries()]
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`  5xx: ${failures.length}`);
    for (const f of failures.slice(0, 20)) console.log(`    ${f}`);

    // A fresh sign-in: the campaign may have ended the first sessions (logout) or outlived their tokens.
    const socket = await connect(gatewayUrl, await login(platform.urls.parent, '13900000003'));
    const [group] = await query<{ id: string }>(platform, `select id::text from conversations where kind = 'class_group' limit 1`);
    const idArb = fc.constantFrom(group?.id ?? randomUUID(), ...ids, randomUUID());
    const field = (valid: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 2 }, { arbitrary: junk, weight: 1 });
    const events: [string, fc.Arbitrary<unknown>][] = [
      [
        'message:send',
        fc.record(
          {
            conversationId: field(idArb),
            clientMsgId: field(fc.uuid()),
            type: field(fc.constantFrom('text', 'image', 'notice')),
            text: field(fc.string({ maxLength: 100 })),
            title: field(fc.string()),
          },
          { requiredKeys: [] },
        ),
      ],
      ['conversation:read', fc.record({ conversationId: field(idArb), seq: field(fc.nat()) }, { requiredKeys: [] })],
      [
        'conversation:sync',
        fc.record({ conversationId: field(idArb), afterSeq: field(fc.nat()), limit: field(fc.nat(300)) }, { requiredKeys: [] }),
      ],
      ['message:recall', fc.record({ messageId: field(idArb) }, { requiredKeys: [] })],
      ['notice:ack', fc.record({ messageId: field(idArb) }, { requiredKeys: [] })],
      ['lecture:heartbeat', fc.record({ lectureId: field(idArb) }, { requiredKeys: [] })],
    ];
    const deep = (): unknown =>
      JSON.parse(Math.random() < 0.5 ? '['.repeat(3000) + ']'.repeat(3000) : '{"a":'.repeat(3000) + '1' + '}'.repeat(3000));
    const codes = new Map<string, number>();
    let internal = 0;
    let dropped = 0;
    const perEvent = Math.ceil(PAYLOADS / events.length);
    for (const [event, arb] of events) {
      const payloads = fc.sample(
        fc.oneof(
          { arbitrary: arb, weight: 4 },
          { arbitrary: fc.jsonValue(), weight: 1 },
          { arbitrary: fc.constant(null).map(deep), weight: 1 },
        ),
        perEvent,
      );
      for (const payload of payloads) {
        const ack = (await socket.timeout(5000).emitWithAck(event, payload)) as { ok: boolean; code?: string };
        const code = ack.ok ? 'ok' : (ack.code ?? 'malformed');
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === 'INTERNAL_ERROR' || code === 'malformed') internal++;
        if (!socket.connected) {
          dropped++;
          socket.connect();
        }
      }
    }
    console.log(`Socket.IO: ${perEvent * events.length} payloads over ${events.length} events`);
    console.log(
      `  acks: ${[...codes.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`  INTERNAL_ERROR or malformed acks: ${internal}; sockets dropped: ${dropped}`);
    socket.close();
    if (failures.length > 0 || internal > 0 || dropped > 0) exitCode = 1;
  } finally {
    await gatewayApp.close();
    await platform.close();
    await scratch.drop();
    await dropRedisKeys(runId);
  }
  process.exit(exitCode);
}

async function query<T>(platform: Platform, text: string): Promise<T[]> {
  return ((await platform.infra.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
}

function connect(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('session:ready', () => resolve(socket));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
