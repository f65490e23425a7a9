/**
 * `npm run bench:messaging`: the realtime gateway beside a raw Socket.IO relay (no auth, no
 * database) run in the same process tree, and their ratio. Prints, never asserts; not part of
 * `npm test`.
 *
 * (a) 1:1 messages among 500 pairs: each pair plays ping-pong (one message in flight per pair,
 *     500 in all), send → partner's `message:new`; messages/s, p50/p99 latency. Relay and gateway
 *     take three turns each, one after the other, and the turn with the median ratio is printed
 *     with every turn's figures (the machine's speed moves both by a fifth within minutes);
 * (b) fan-out: 100 class groups × 60 members, each group's teacher sends and waits until every
 *     other member has the message; p99 of send → last member received;
 * (c) idle authenticated sockets: the server's JavaScript heap and external memory after a full GC,
 *     before and after connecting them (and its RSS, which also counts pages V8 keeps committed).
 *
 * `npm run bench:messaging -- idle` (or `pingpong`, `fanout`, any of them) runs only those phases.
 *
 * (a) and (b) are closed loops, i.e. at saturation, where latency is mostly queueing; each is
 * followed by an open-loop run at a fixed rate (1:1: 1,000 msg/s, each pair once), the latency a user
 * would see at that load. Each target line says met or missed by how much, with the load average.
 * The 1:1 open-loop run also prints the CPU a message costs in each process (the server, the
 * PostgreSQL backends serving the scratch database, this load generator) and the cores that adds
 * up to at its rate, so a run shows how close the shared cores are to full at that rate.
 *
 * BENCH_CPU_PROF=DIR writes a V8 CPU profile of the gateway process into DIR when it stops.
 *
 * Each server is a child process (bench/messaging-server.ts); the load generator is this
 * process. Data: a scratch database migrated from scratch, users, sessions, conversations and
 * members inserted by SQL in bulk, access tokens signed with the run's JWT secret as
 * AuthService issues them ({sub, sid}, HS256). Everything listens on 127.0.0.1; the database,
 * the Redis keys and the children are removed at the end.
 */
import { ChildProcess, fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import {
  backendCpu,
  backendCpuBetween,
  benchEnv,
  CpuTime,
  cpuSeconds,
  cpuTotal,
  dropRedisKeys,
  line,
  runId,
  scratchDatabase,
} from './support';

const PAIRS = 500;
const GROUPS = 100;
const GROUP_SIZE = 60;
const IDLE_SOCKETS = 10_000;
/**
 * Per user and turn: 1 warm-up + 8 measured sends, and 1 paced send in the last turn (teachers: 1 +
 * 10 + 2). The gateway allows 20 per 10 s: its turns start RATE_WINDOW_MS apart, so a window holds
 * at most two of them.
 */
const PINGPONG_ROUNDS = { gateway: 16, raw: 48 };
const PINGPONG_TURNS = 3;
const RATE_WINDOW_MS = 10_500;
const FANOUT_ROUNDS = 10;
/** The paced runs: one message every 1000 / rate ms, each pair or group at most once or twice, under the rate limit. */
const PACED = { pairRate: 1000, groupRate: 25, groupMessages: 200 };
/**
 * Issue #15: persisted 1:1 throughput ≥ 25% of the raw relay's; p99 ≤ 50 ms at 1,000 msg/s open
 * loop (PACED.pairRate); class fan-out saturated p99 ≤ 1.5× the raw relay's; ≤ 20 KB per idle socket.
 */
const TARGETS = { throughputRatio: 0.25, pacedP99Ms: 50, fanoutRatio: 1.5, idleBytes: 20 * 1024 };
const WAIT_MS = 15_000;
/** Connecting: a burst of authenticated handshakes on a machine shared with other work can take a while. */
const CONNECT_WAIT_MS = 60_000;
const DEADLINE_MS = 10 * 60_000;
const CONNECT_CONCURRENCY = 200;

const JWT_SECRET = `bench-${randomBytes(16).toString('hex')}`;

// ── servers ─────────────────────────────────────────────────────────────────────

interface ServerProcess {
  kind: 'raw' | 'gateway';
  url: string;
  pid: number;
  /** The child's memory after a full GC. */
  memory(): Promise<MemoryFigures>;
  stop(): Promise<void>;
}

interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const PHASES = ['pingpong', 'fanout', 'idle'] as const;
type Phase = (typeof PHASES)[number];

/** The phases named on the command line, or all of them. */
function selectedPhases(): Set<Phase> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(PHASES as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown phase ${unknown.join(', ')}; phases: ${PHASES.join(', ')}`);
  return new Set(asked.length > 0 ? (asked as Phase[]) : PHASES);
}

const children = new Set<ChildProcess>();

/** Why sends failed, by phase and reason, printed after the figures. */
const failureReasons = new Map<string, number>();
function noteFailure(phase: string, error: unknown): void {
  const reason = `${phase}: ${error instanceof Error ? error.message.replace(/"[^"]*"/g, '"…"') : String(error)}`;
  failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
}

async function startServer(kind: 'raw' | 'gateway', databaseUrl: string): Promise<ServerProcess> {
  const child = fork(join(__dirname, 'messaging-server.js'), [kind], {
    execArgv: [
      '--expose-gc',
      // The heap settings `npm run bench:messaging` passes, as `npm start` passes them to the apps.
      ...process.execArgv.filter((arg) => arg.startsWith('--max-semi-space-size')),
      ...(kind === 'gateway' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      REDIS_URL: benchEnv.redisUrl,
      REDIS_PREFIX: runId,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before it listened`)));
  });
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    memory() {
      return new Promise<MemoryFigures>((resolve) => {
        const listen = (message: { memory?: MemoryFigures }) => {
          if (!message.memory) return;
          child.off('message', listen);
          resolve(message.memory);
        };
        child.on('message', listen);
        child.send({ memory: true });
      });
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds of the server, of the PostgreSQL backends serving the scratch database, and of this load generator. */
interface CpuSnapshot {
  server: number;
  backends: Map<number, CpuTime>;
  client: number;
}

async function cpuSnapshot(server: ServerProcess): Promise<CpuSnapshot> {
  const backends = await backendCpu(runId);
  const { user, system } = process.cpuUsage();
  return { server: cpuSeconds(server.pid), backends, client: (user + system) / 1e6 };
}

/**
 * CPU milliseconds per message between two snapshots. PostgreSQL counts the backends present at
 * both (the pool is warm by then; one opened or closed in between is left out, so it may be low).
 */
function cpuPerMessage(before: CpuSnapshot, after: CpuSnapshot, messages: number): PacedCpu {
  const database = cpuTotal(backendCpuBetween(before.backends, after.backends));
  const perMessage = (seconds: number) => (seconds * 1000) / messages;
  return {
    server: perMessage(after.server - before.server),
    database: perMessage(database),
    client: perMessage(after.client - before.client),
  };
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

// ── data ────────────────────────────────────────────────────────────────────────

interface BenchUser {
  id: string;
  token: string;
}

interface Fixture {
  users: BenchUser[];
  /** conversation id and its two members (users[2p], users[2p+1]) */
  pairs: { conversationId: string; a: number; b: number }[];
  /** conversation id and member indexes, the teacher first */
  groups: { conversationId: string; members: number[] }[];
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** HS256 as @nestjs/jwt signs it: {sub, sid} plus iat and exp. */
function accessToken(sub: string, sid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ sub, sid, iat: now, exp: now + 3600 }))}`;
  return `${head}.${createHmac('sha256', JWT_SECRET).update(head).digest('base64url')}`;
}

async function createFixture(databaseUrl: string, userCount: number): Promise<Fixture> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows: users } = await client.query<{ id: string; sid: string }>(
      `WITH u AS (
         INSERT INTO users (phone, name, status)
         SELECT '170' || lpad(g::text, 8, '0'), '压测' || g, 'active' FROM generate_series(0, $1::int - 1) g
         RETURNING id, phone
       ), s AS (
         INSERT INTO auth_sessions (user_id) SELECT id FROM u RETURNING id, user_id
       )
       SELECT u.id::text, s.id::text AS sid FROM u JOIN s ON s.user_id = u.id ORDER BY u.phone`,
      [userCount],
    );

    // Direct chats: users 2p (staff side, a teacher) and 2p+1 (a guardian).
    const { rows: directs } = await client.query<{ id: string }>(
      `INSERT INTO conversations (kind, title, direct_key)
       SELECT 'direct', '私聊' || g, 'bench:' || g FROM generate_series(0, $1::int - 1) g
       RETURNING id::text, title`,
      [PAIRS],
    );
    const pairIds = new Map<string, string>();
    for (const d of (
      await client.query<{ id: string; title: string }>(
        `SELECT id::text, title FROM conversations WHERE kind = 'direct' AND direct_key LIKE 'bench:%'`,
      )
    ).rows) {
      pairIds.set(d.title, d.id);
    }
    const pairs = Array.from({ length: PAIRS }, (_, p) => ({ conversationId: pairIds.get(`私聊${p}`) ?? '', a: 2 * p, b: 2 * p + 1 }));
    if (directs.length !== PAIRS || pairs.some((p) => !p.conversationId)) throw new Error('direct conversations not created');

    // Class groups: after the pairs' users, GROUP_SIZE each, the first a staff member.
    const { rows: groupRows } = await client.query<{ id: string; title: string }>(
      `INSERT INTO conversations (kind, title)
       SELECT 'class_group', '压测班' || g FROM generate_series(0, $1::int - 1) g
       RETURNING id::text, title`,
      [GROUPS],
    );
    const groupIds = new Map(groupRows.map((g) => [g.title, g.id]));
    const groups = Array.from({ length: GROUPS }, (_, g) => ({
      conversationId: groupIds.get(`压测班${g}`) ?? '',
      members: Array.from({ length: GROUP_SIZE }, (_, m) => 2 * PAIRS + g * GROUP_SIZE + m),
    }));

    const memberRows: [string, string, string][] = [];
    for (const p of pairs) memberRows.push([p.conversationId, users[p.a].id, 'staff'], [p.conversationId, users[p.b].id, 'member']);
    for (const g of groups) g.members.forEach((m, i) => memberRows.push([g.conversationId, users[m].id, i === 0 ? 'staff' : 'member']));
    await client.query(
      `INSERT INTO conversation_members (conversation_id, user_id, role)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`,
      [memberRows.map((r) => r[0]), memberRows.map((r) => r[1]), memberRows.map((r) => r[2])],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { users: users.map((u) => ({ id: u.id, token: accessToken(u.id, u.sid) })), pairs, groups };
  } finally {
    await client.end();
  }
}

// ── clients ─────────────────────────────────────────────────────────────────────

interface Expected {
  resolve: () => void;
}

/** A socket that resolves waiters by the text of each `message:new` it receives. */
class BenchClient {
  readonly expected = new Map<string, Expected>();

  constructor(readonly socket: Socket) {
    socket.on('message:new', (message: { text?: string | null }) => {
      const waiter = message.text ? this.expected.get(message.text) : undefined;
      if (waiter) {
        this.expected.delete(message.text as string);
        waiter.resolve();
      }
    });
  }

  receive(text: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.expected.delete(text);
        reject(new Error(`no message:new "${text}" within ${WAIT_MS} ms`));
      }, WAIT_MS);
      this.expected.set(text, {
        resolve: () => {
          clearTimeout(timer);
          resolve(performance.now());
        },
      });
    });
  }

  async send(conversationId: string, text: string): Promise<void> {
    const ack = (await this.socket
      .timeout(WAIT_MS)
      .emitWithAck('message:send', { conversationId, clientMsgId: text, type: 'text', text })) as { ok: boolean; code?: string };
    if (!ack.ok) throw new Error(`send refused: ${ack.code}`);
  }
}

/** Connects, and for the gateway waits for `session:ready` (the socket has joined its rooms). */
function connect(server: ServerProcess, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: CONNECT_WAIT_MS });
  return new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), CONNECT_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve(socket);
    };
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (server.kind === 'gateway') socket.once('session:ready', done);
    else socket.once('connect', done);
  });
}

/** Connects one socket per entry, CONNECT_CONCURRENCY at a time. */
async function connectAll(server: ServerProcess, auths: Record<string, unknown>[]): Promise<Socket[]> {
  const sockets: Socket[] = new Array<Socket>(auths.length);
  let next = 0;
  const worker = async () => {
    while (next < auths.length) {
      const i = next++;
      sockets[i] = await connect(server, auths[i]);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  } catch (error) {
    for (const s of sockets) s?.disconnect();
    throw error;
  }
  return sockets;
}

/** The handshake each server wants: a token for the gateway, the rooms for the raw relay. */
function authFor(server: ServerProcess, fixture: Fixture, userIndex: number, rooms: string[]): Record<string, unknown> {
  return server.kind === 'gateway' ? { token: fixture.users[userIndex].token } : { rooms };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} msg/s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const describePaced = (r: { p50: number; p99: number; failures: number }) => [
  `p50 ${ms(r.p50)}`,
  `p99 ${ms(r.p99)}`,
  ...(r.failures ? [`${r.failures} failed`] : []),
];

/** A message's CPU in each process, and the cores that takes at the open-loop rate (PostgreSQL: none for the relay). */
const describeCpu = (cpu: PacedCpu, server: string) => [
  `${server} ${cpu.server.toFixed(2)}`,
  `PostgreSQL ${cpu.database.toFixed(2)}`,
  `load generator ${cpu.client.toFixed(2)}`,
  `= ${(((cpu.server + cpu.database + cpu.client) * PACED.pairRate) / 1000).toFixed(2)} cores`,
];

/** Waits (at most 60 s) until the server process uses under 5% of a core over a second. */
async function untilIdle(server: ServerProcess): Promise<void> {
  const until = performance.now() + 60_000;
  while (performance.now() < until) {
    const before = cpuSeconds(server.pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (cpuSeconds(server.pid) - before < 0.05) return;
  }
}

/** Starts job(0..count-1) one every 1000 / perSecond ms, whether or not earlier ones finished. */
async function paced(count: number, perSecond: number, job: (i: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(job(i));
  }
  await Promise.all(running);
}

// ── (a) 1:1 ping-pong ───────────────────────────────────────────────────────────

interface PingPongResult {
  /** server CPU use during the closed-loop run, in cores */
  serverCores: number;
  /** the open-loop run, when this turn made one */
  paced?: PacedResult;
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

interface PacedResult {
  p50: number;
  p99: number;
  failures: number;
  cpu: PacedCpu;
}

/** CPU ms per message in the open-loop run: where a message's work goes on the shared cores. */
interface PacedCpu {
  server: number;
  database: number;
  client: number;
}

/** One turn (`turn` makes its texts, which are also the clientMsgIds, its own: a repeated one would only return the stored message). */
async function pingPong(
  server: ServerProcess,
  fixture: Fixture,
  rounds: number,
  turn: number,
  withPaced: boolean,
): Promise<PingPongResult> {
  const auths: Record<string, unknown>[] = [];
  for (const p of fixture.pairs)
    auths.push(authFor(server, fixture, p.a, [p.conversationId]), authFor(server, fixture, p.b, [p.conversationId]));
  const sockets = (await connectAll(server, auths)).map((s) => new BenchClient(s));
  try {
    const latencies: number[] = [];
    let failures = 0;
    const play = async (p: number, count: number, tag: string, record: boolean) => {
      const { conversationId } = fixture.pairs[p];
      for (let i = 0; i < count; i++) {
        const [from, to] = i % 2 === 0 ? [sockets[2 * p], sockets[2 * p + 1]] : [sockets[2 * p + 1], sockets[2 * p]];
        const text = `${runId}-${turn}-${tag}-${p}-${i}`;
        const received = to.receive(text);
        const started = performance.now();
        try {
          const [at] = await Promise.all([received, from.send(conversationId, text)]);
          if (record) latencies.push(at - started);
        } catch (error) {
          failures++;
          noteFailure(`${server.kind} 1:1 ${tag}`, error);
          received.catch(() => undefined);
        }
      }
    };
    // Warm-up: one message each way per pair (JIT, pools, prepared plans).
    await Promise.all(fixture.pairs.map((_, p) => play(p, 2, 'warm', false)));
    const cpuBefore = cpuSeconds(server.pid);
    const started = performance.now();
    await Promise.all(fixture.pairs.map((_, p) => play(p, rounds, 'run', true)));
    const seconds = (performance.now() - started) / 1000;
    const serverCores = (cpuSeconds(server.pid) - cpuBefore) / seconds;
    latencies.sort((x, y) => x - y);
    const closedLoop = {
      serverCores,
      messages: latencies.length,
      seconds,
      perSecond: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      failures,
    };
    if (!withPaced) return closedLoop;

    // Sends that timed out client-side may still be queued in the server: let it drain first.
    await untilIdle(server);
    // Latency at a fixed open-loop rate: each pair sends once, PACED.pairRate messages a second.
    const pacedLatencies: number[] = [];
    let pacedFailures = 0;
    const pacedCpuBefore = await cpuSnapshot(server);
    await paced(fixture.pairs.length, PACED.pairRate, async (p) => {
      const { conversationId } = fixture.pairs[p];
      const text = `${runId}-${turn}-paced-${p}`;
      const received = sockets[2 * p + 1].receive(text);
      const sentAt = performance.now();
      try {
        const [at] = await Promise.all([received, sockets[2 * p].send(conversationId, text)]);
        pacedLatencies.push(at - sentAt);
      } catch (error) {
        pacedFailures++;
        noteFailure(`${server.kind} 1:1 paced`, error);
        received.catch(() => undefined);
      }
    });
    const pacedCpu = cpuPerMessage(pacedCpuBefore, await cpuSnapshot(server), fixture.pairs.length);
    pacedLatencies.sort((x, y) => x - y);
    return {
      ...closedLoop,
      paced: { p50: percentile(pacedLatencies, 50), p99: percentile(pacedLatencies, 99), failures: pacedFailures, cpu: pacedCpu },
    };
  } finally {
    for (const c of sockets) c.socket.disconnect();
  }
}

// ── (b) fan-out ─────────────────────────────────────────────────────────────────

interface FanoutResult {
  serverCores: number;
  seconds: number;
  paced: { p50: number; p99: number; failures: number };
  messages: number;
  deliveries: number;
  p50: number;
  p99: number;
  deliveryP99: number;
  failures: number;
}

async function fanout(server: ServerProcess, fixture: Fixture): Promise<FanoutResult> {
  const auths: Record<string, unknown>[] = [];
  const socketOf = new Map<number, number>();
  for (const g of fixture.groups) {
    for (const m of g.members) {
      socketOf.set(m, auths.length);
      auths.push(authFor(server, fixture, m, [g.conversationId]));
    }
  }
  const sockets = (await connectAll(server, auths)).map((s) => new BenchClient(s));
  try {
    const lastMember: number[] = [];
    const everyDelivery: number[] = [];
    let failures = 0;
    const play = async (g: number, count: number, tag: string, record: boolean) => {
      const group = fixture.groups[g];
      const [teacher, ...others] = group.members.map((m) => sockets[socketOf.get(m) ?? -1]);
      for (let i = 0; i < count; i++) {
        const text = `${runId}-${tag}-${g}-${i}`;
        const received = others.map((o) => o.receive(text));
        const started = performance.now();
        try {
          const [times] = await Promise.all([Promise.all(received), teacher.send(group.conversationId, text)]);
          if (record) {
            for (const t of times) everyDelivery.push(t - started);
            lastMember.push(Math.max(...times) - started);
          }
        } catch (error) {
          failures++;
          noteFailure(`${server.kind} fan-out ${tag}`, error);
          for (const r of received) r.catch(() => undefined);
        }
      }
    };
    await Promise.all(fixture.groups.map((_, g) => play(g, 1, 'fwarm', false)));
    const cpuBefore = cpuSeconds(server.pid);
    const started = performance.now();
    await Promise.all(fixture.groups.map((_, g) => play(g, FANOUT_ROUNDS, 'fan', true)));
    const seconds = (performance.now() - started) / 1000;
    const serverCores = (cpuSeconds(server.pid) - cpuBefore) / seconds;
    lastMember.sort((x, y) => x - y);
    everyDelivery.sort((x, y) => x - y);

    await untilIdle(server);
    // At a moderate open-loop rate: PACED.groupRate group messages a second, the groups in turn.
    const pacedLast: number[] = [];
    let pacedFailures = 0;
    await paced(PACED.groupMessages, PACED.groupRate, async (i) => {
      const group = fixture.groups[i % fixture.groups.length];
      const [teacher, ...others] = group.members.map((m) => sockets[socketOf.get(m) ?? -1]);
      const text = `${runId}-fpaced-${i}`;
      const received = others.map((o) => o.receive(text));
      const sentAt = performance.now();
      try {
        const [times] = await Promise.all([Promise.all(received), teacher.send(group.conversationId, text)]);
        pacedLast.push(Math.max(...times) - sentAt);
      } catch (error) {
        pacedFailures++;
        noteFailure(`${server.kind} fan-out paced`, error);
        for (const r of received) r.catch(() => undefined);
      }
    });
    pacedLast.sort((x, y) => x - y);
    return {
      serverCores,
      seconds,
      paced: { p50: percentile(pacedLast, 50), p99: percentile(pacedLast, 99), failures: pacedFailures },
      messages: lastMember.length,
      deliveries: everyDelivery.length,
      p50: percentile(lastMember, 50),
      p99: percentile(lastMember, 99),
      deliveryP99: percentile(everyDelivery, 99),
      failures,
    };
  } finally {
    for (const c of sockets) c.socket.disconnect();
  }
}

// ── (c) idle sockets ────────────────────────────────────────────────────────────

interface IdleResult {
  sockets: number;
  /** RSS before and after: what the OS sees, including heap pages V8 keeps committed after the connection burst */
  before: number;
  after: number;
  rssPerSocket: number;
  /** per socket, after a full GC: the JavaScript heap, and memory held outside it (buffers of the sockets) */
  heapPerSocket: number;
  externalPerSocket: number;
  /** heap + external: what each idle socket really holds */
  perSocket: number;
  connectSeconds: number;
}

async function idle(server: ServerProcess, fixture: Fixture, count: number): Promise<IdleResult> {
  // A few connections first, so the baseline includes the code paths a connection loads.
  const warm = await connectAll(
    server,
    [0, 1, 2, 3].map((i) => authFor(server, fixture, i, [`idle-${i}`])),
  );
  for (const s of warm) s.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const memoryBefore = await server.memory();
  const before = rssBytes(server.pid);
  const started = performance.now();
  const sockets = await connectAll(
    server,
    Array.from({ length: count }, (_, i) => authFor(server, fixture, i, [`idle-${i}`])),
  );
  const connectSeconds = (performance.now() - started) / 1000;
  try {
    // Let the server settle (lazy allocations, GC) before reading its RSS.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = rssBytes(server.pid);
    const memoryAfter = await server.memory();
    const heapPerSocket = (memoryAfter.heapUsed - memoryBefore.heapUsed) / count;
    const externalPerSocket = (memoryAfter.external - memoryBefore.external) / count;
    return {
      sockets: count,
      before,
      after,
      rssPerSocket: (after - before) / count,
      heapPerSocket,
      externalPerSocket,
      perSocket: heapPerSocket + externalPerSocket,
      connectSeconds,
    };
  } finally {
    for (const s of sockets) s.disconnect();
  }
}

/** How many sockets this process may hold: the open-files soft limit, less some headroom. */
function socketBudget(): number {
  const match = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  const limit = !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
  return Math.min(IDLE_SOCKETS, limit - 500);
}

// ── printing ────────────────────────────────────────────────────────────────────

function verdict(met: boolean, by: string): string {
  const load = `load average ${loadavg()[0].toFixed(1)}`;
  return met ? `met (${by}; ${load})` : `MISSED (${by}; ${load})`;
}

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`bench:messaging: still running after ${DEADLINE_MS / 1000} s, giving up`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(2);
  }, DEADLINE_MS);
  watchdog.unref();

  const phases = selectedPhases();
  const idleCount = socketBudget();
  console.log(
    `Jiaxiao messaging benchmark — Node ${process.version}, ${cpus().length} CPUs, PostgreSQL ${new URL(benchEnv.databaseUrl).host}, Redis ${new URL(benchEnv.redisUrl).host}`,
  );
  console.log(
    `scratch database and Redis prefix: ${runId}; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')} (servers, PostgreSQL, Redis and the load generator share this machine)`,
  );
  const scratch = await scratchDatabase();
  const servers: ServerProcess[] = [];
  try {
    const users = Math.max(2 * PAIRS + GROUPS * GROUP_SIZE, idleCount);
    const fixtureStarted = performance.now();
    const fixture = await createFixture(scratch.url, users);
    console.log(
      `fixture: ${users.toLocaleString('en-US')} users with sessions, ${PAIRS} direct chats, ${GROUPS} class groups × ${GROUP_SIZE} in ${((performance.now() - fixtureStarted) / 1000).toFixed(1)} s`,
    );

    if (phases.has('pingpong') || phases.has('fanout')) {
      const raw = await startServer('raw', scratch.url);
      servers.push(raw);
      const gateway = await startServer('gateway', scratch.url);
      servers.push(gateway);

      if (phases.has('pingpong')) {
        // (a) Relay and gateway take turns; the last turn of each also runs the open loop.
        const turns: { raw: PingPongResult; ours: PingPongResult; ratio: number }[] = [];
        let gatewayTurnAt = -Infinity;
        for (let turn = 0; turn < PINGPONG_TURNS; turn++) {
          const last = turn === PINGPONG_TURNS - 1;
          const rawTurn = await pingPong(raw, fixture, PINGPONG_ROUNDS.raw, turn, last);
          const wait = gatewayTurnAt + RATE_WINDOW_MS - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          gatewayTurnAt = performance.now();
          const ourTurn = await pingPong(gateway, fixture, PINGPONG_ROUNDS.gateway, turn, last);
          turns.push({ raw: rawTurn, ours: ourTurn, ratio: ourTurn.perSecond / rawTurn.perSecond });
        }
        const { raw: rawPing, ours: ourPing, ratio } = [...turns].sort((x, y) => x.ratio - y.ratio)[Math.floor((turns.length - 1) / 2)];
        const { raw: rawPaced, ours: ourPaced } = turns[turns.length - 1];
        console.log(
          `\n(a) 1:1 messages, ${PAIRS} pairs ping-pong (one message in flight per pair), send → partner's message:new; ` +
            `${PINGPONG_TURNS} turns each, taken in turns, the median turn`,
        );
        const describe = (r: PingPongResult) => [
          rate(r.perSecond).padStart(14),
          `p50 ${ms(r.p50)}`,
          `p99 ${ms(r.p99)}`,
          `${r.messages.toLocaleString('en-US')} msgs in ${r.seconds.toFixed(2)} s`,
          ...(r.failures ? [`${r.failures} failed`] : []),
        ];
        line('gateway (auth, PostgreSQL commit, Redis publish)', ...describe(ourPing));
        line('baseline: raw Socket.IO relay', ...describe(rawPing));
        line(
          'every turn (gateway / raw msg/s)',
          turns.map((t) => `${Math.round(t.ours.perSecond)} / ${Math.round(t.raw.perSecond)} (${t.ratio.toFixed(3)}×)`).join(', '),
        );
        line(
          'server CPU during the run (cores of 2)',
          `gateway ${ourPing.serverCores.toFixed(2)}`,
          `raw ${rawPing.serverCores.toFixed(2)}`,
        );
        if (!ourPaced.paced || !rawPaced.paced) throw new Error('the last ping-pong turn made no open-loop run');
        const paced1to1 = ourPaced.paced;
        console.log(`  at a fixed rate instead: ${PACED.pairRate} msg/s open loop, each pair once (after the last turn)`);
        line(`  gateway at ${PACED.pairRate} msg/s`, ...describePaced(paced1to1));
        line(`  raw relay at ${PACED.pairRate} msg/s`, ...describePaced(rawPaced.paced));
        line('  CPU ms per message there, gateway run', ...describeCpu(paced1to1.cpu, 'gateway'));
        line('  CPU ms per message there, raw relay run', ...describeCpu(rawPaced.paced.cpu, 'relay'));
        line('ratio (gateway / raw msg/s)', `${ratio.toFixed(3)}×`, `p99 ${(ourPing.p99 / rawPing.p99).toFixed(1)}× the raw relay's`);
        line(
          `target: ≥ ${TARGETS.throughputRatio * 100}% of raw throughput`,
          verdict(
            ratio >= TARGETS.throughputRatio,
            `${(ratio * 100).toFixed(1)}% of raw, ${ratio >= TARGETS.throughputRatio ? 'above' : 'short'} by ${(Math.abs(ratio - TARGETS.throughputRatio) * 100).toFixed(1)} points`,
          ),
        );
        line(
          `target: p99 ≤ ${TARGETS.pacedP99Ms} ms at ${PACED.pairRate} msg/s`,
          verdict(
            paced1to1.p99 <= TARGETS.pacedP99Ms,
            paced1to1.p99 <= TARGETS.pacedP99Ms
              ? `${ms(TARGETS.pacedP99Ms - paced1to1.p99)} to spare`
              : `over by ${ms(paced1to1.p99 - TARGETS.pacedP99Ms)}`,
          ),
        );
      }

      if (phases.has('fanout')) {
        // (b)
        const rawFan = await fanout(raw, fixture);
        const ourFan = await fanout(gateway, fixture);
        console.log(
          `\n(b) fan-out: ${GROUPS} class groups × ${GROUP_SIZE} members, each teacher sends ${FANOUT_ROUNDS} (one in flight per group), send → all ${GROUP_SIZE - 1} others received`,
        );
        const describeFan = (r: FanoutResult) => [
          `p50 ${ms(r.p50)}`,
          `p99 ${ms(r.p99)}`,
          `per-delivery p99 ${ms(r.deliveryP99)}`,
          `${r.messages} msgs, ${r.deliveries.toLocaleString('en-US')} deliveries`,
          ...(r.failures ? [`${r.failures} failed`] : []),
        ];
        line('gateway', ...describeFan(ourFan));
        line('baseline: raw Socket.IO relay', ...describeFan(rawFan));
        line(
          'closed-loop run: duration, server CPU (cores)',
          `gateway ${ourFan.seconds.toFixed(2)} s, ${ourFan.serverCores.toFixed(2)}`,
          `raw ${rawFan.seconds.toFixed(2)} s, ${rawFan.serverCores.toFixed(2)}`,
        );
        line('ratio (gateway / raw p99)', `${(ourFan.p99 / rawFan.p99).toFixed(1)}×`);
        console.log(
          `  at a moderate rate instead: ${PACED.groupRate} group messages/s open loop (${(PACED.groupRate * (GROUP_SIZE - 1)).toLocaleString('en-US')} deliveries/s), ${PACED.groupMessages} messages`,
        );
        line(`  gateway at ${PACED.groupRate} msg/s`, ...describePaced(ourFan.paced));
        line(`  raw relay at ${PACED.groupRate} msg/s`, ...describePaced(rawFan.paced));
        const fanRatio = ourFan.p99 / rawFan.p99;
        line(
          `target: saturated p99 ≤ ${TARGETS.fanoutRatio}× the raw relay's`,
          verdict(
            fanRatio <= TARGETS.fanoutRatio,
            fanRatio <= TARGETS.fanoutRatio
              ? `${fanRatio.toFixed(2)}×, ${ms(TARGETS.fanoutRatio * rawFan.p99 - ourFan.p99)} to spare`
              : `${fanRatio.toFixed(2)}×, over by ${ms(ourFan.p99 - TARGETS.fanoutRatio * rawFan.p99)}`,
          ),
        );
      }
    }

    if (phases.has('idle')) {
      // (c) on fresh processes, so earlier phases' heap growth is not counted.
      for (const server of servers) await server.stop();
      servers.length = 0;
      const freshRaw = await startServer('raw', scratch.url);
      servers.push(freshRaw);
      const rawIdle = await idle(freshRaw, fixture, idleCount);
      await freshRaw.stop();
      servers.length = 0;
      const freshGateway = await startServer('gateway', scratch.url);
      servers.push(freshGateway);
      const ourIdle = await idle(freshGateway, fixture, idleCount);
      console.log(
        `\n(c) ${idleCount.toLocaleString('en-US')} idle sockets${idleCount < IDLE_SOCKETS ? ` (not ${IDLE_SOCKETS.toLocaleString('en-US')}: the open-files limit of this process allows no more)` : ''}, 3 s settle; per socket: the server's heap + external memory after a full GC (RSS beside it: it also counts heap pages V8 keeps committed after the connection burst)`,
      );
      const describeIdle = (r: IdleResult) => [
        `${kb(r.perSocket)} per socket`.padStart(18),
        `heap ${kb(r.heapPerSocket)} + external ${kb(r.externalPerSocket)}`,
        `RSS ${kb(r.rssPerSocket)} per socket, ${(r.before / 2 ** 20).toFixed(0)} MB → ${(r.after / 2 ** 20).toFixed(0)} MB`,
        `connected in ${r.connectSeconds.toFixed(1)} s`,
      ];
      line('gateway (authenticated, rooms joined)', ...describeIdle(ourIdle));
      line('baseline: raw Socket.IO relay', ...describeIdle(rawIdle));
      line('ratio (gateway / raw per socket)', `${(ourIdle.perSocket / rawIdle.perSocket).toFixed(2)}×`);
      line(
        `target: ≤ ${TARGETS.idleBytes / 1024} KB per idle socket`,
        verdict(
          ourIdle.perSocket <= TARGETS.idleBytes,
          ourIdle.perSocket <= TARGETS.idleBytes
            ? `${kb(TARGETS.idleBytes - ourIdle.perSocket)} to spare`
            : `over by ${kb(ourIdle.perSocket - TARGETS.idleBytes)}`,
        ),
      );
    }
    if (failureReasons.size > 0) {
      console.log('\nfailed sends by reason');
      for (const [reason, count] of failureReasons) line(reason, String(count));
    }
  } finally {
    for (const server of servers) await server.stop();
    for (const child of children) child.kill('SIGKILL');
    await scratch.drop();
    await dropRedisKeys(runId);
    clearTimeout(watchdog);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
