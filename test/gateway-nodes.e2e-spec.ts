import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { realtimeChannel } from '@jiaxiao/common';
import type { MessageDto } from '@jiaxiao/messaging';
import { createTestContext, TestContext } from './support/harness';
import { testEnv } from './support/env';
import { freePort } from './support/ports';
import { RealtimeClient } from './support/realtime-client';

/**
 * Two gateway processes, as docker-compose runs them behind the sticky proxy: the built entry
 * point, sharing this file's database, Redis prefix and JWT secret. Messages cross nodes as
 * realtime commands on one Redis channel, which every node applies to its own sockets; a client
 * whose node dies comes back on the other and catches up by seq (docs/ARCHITECTURE.md).
 */
const entry = join(__dirname, '..', 'dist/apps/gateway/src/main.js');

interface Node {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Two processes share one database only on PostgreSQL; embedded PGlite has one opener per data directory.
const describeOnPostgres = testEnv.databaseUrl ? describe : describe.skip;

describeOnPostgres('gateway nodes (two processes, one Redis)', () => {
  let ctx: TestContext;
  let groupId: string;
  const nodes: Node[] = [];
  const clients: RealtimeClient[] = [];

  async function startNode(): Promise<Node> {
    const port = await freePort();
    const { config } = ctx;
    const child = spawn(process.execPath, [entry], {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: config.DATABASE_URL,
        REDIS_URL: config.REDIS_URL,
        REDIS_PREFIX: config.REDIS_PREFIX,
        JWT_SECRET: config.JWT_SECRET,
        LOG_LEVEL: 'warn',
        GATEWAY_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const node: Node = { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
    nodes.push(node);

    // Ready when /health answers 200 (database and Redis reachable, Socket.IO attached).
    let stopped = false;
    void exited.then(() => (stopped = true));
    for (;;) {
      if (stopped) throw new Error(`gateway on port ${port} exited before it was ready:\n${output}`);
      const healthy = await fetch(`${node.url}/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) return node;
      await sleep(100);
    }
  }

  async function connect(node: Node, token: string): Promise<RealtimeClient> {
    const client = await RealtimeClient.connect(node.url, token);
    clients.push(client);
    return client;
  }

  const ended = (node: Node) => node.child.exitCode !== null || node.child.signalCode !== null;

  async function stop(node: Node, signal: NodeJS.Signals) {
    node.child.kill(signal);
    return node.exited;
  }

  const send = async (client: RealtimeClient, text: string): Promise<MessageDto> => {
    const ack = await client.emit<{ message: MessageDto }>('message:send', {
      conversationId: groupId,
      clientMsgId: `n-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      type: 'text',
      text,
    });
    if (!ack.ok) throw new Error(`send failed: ${ack.code}`);
    return ack.message;
  };

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent'] });
    const [group] = await ctx.query<{ id: string }>(
      "select id::text from conversations where kind = 'class_group' and title = '潍坊七中 初一(1)班'",
    );
    groupId = group.id;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes) {
      if (!ended(node)) node.child.kill('SIGKILL');
      await node.exited;
    }
    await ctx.close();
  });

  it('a lone node keeps its own commands off Redis, and puts them on the channel while a second node runs', async () => {
    // A pattern subscription sees the channel without counting as a node (PUBSUB NUMSUB counts channel subscribers only).
    const watcher = new Redis(ctx.config.REDIS_URL);
    const seen: string[] = [];
    watcher.on('pmessage', (_pattern: string, _channel: string, raw: string) => seen.push(raw));
    await watcher.psubscribe(realtimeChannel(ctx.config.REDIS_PREFIX));
    const published = (message: MessageDto) => seen.some((raw) => raw.includes(message.id));
    const seenSoon = async (what: string, check: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`${what} not seen on the channel`);
        await sleep(50);
      }
    };
    try {
      const a = await startNode();
      const [chen, liu] = await Promise.all([ctx.login('13900000003'), ctx.login('13900000004')]);
      const sender = await connect(a, chen);
      const sameNode = await connect(a, liu);
      const alone = await send(sender, '只有一个节点');
      expect(await sameNode.next<MessageDto>('message:new', (m) => m.id === alone.id)).toEqual(alone);
      await sleep(200);
      expect(published(alone)).toBe(false);

      const b = await startNode();
      await seenSoon("the second node's hello", () => seen.some((raw) => raw.includes('"op":"hello"')));
      const otherNode = await connect(b, liu);
      const crossing = await send(sender, '第二个节点启动之后');
      expect(await otherNode.next<MessageDto>('message:new', (m) => m.id === crossing.id)).toEqual(crossing);
      await seenSoon('a message of node A', () => published(crossing));
      expect(seen.filter((raw) => raw.includes('"op":"hello"'))).toHaveLength(1);

      // B gone, A counts itself alone again within a count or two.
      await stop(b, 'SIGTERM');
      const deadline = Date.now() + 5000;
      for (;;) {
        const later = await send(sender, '第二个节点停止之后');
        await sameNode.next<MessageDto>('message:new', (m) => m.id === later.id);
        await sleep(200);
        if (!published(later)) break;
        if (Date.now() > deadline) throw new Error('node A still publishes its own commands with no other node');
        await sleep(300);
      }
    } finally {
      await watcher.quit();
    }
  });

  it('delivers a message sent through node A to a client on node B, and back', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    const [chen, liu] = await Promise.all([ctx.login('13900000003'), ctx.login('13900000004')]);
    const onA = await connect(a, chen);
    const onB = await connect(b, liu);

    const there = await send(onA, '经 A 节点发送');
    expect(await onB.next<MessageDto>('message:new', (m) => m.id === there.id)).toEqual(there);
    const back = await send(onB, '经 B 节点回复');
    expect(await onA.next<MessageDto>('message:new', (m) => m.id === back.id)).toEqual(back);
    // Each node delivers once: a client sees a message once, not once per node. The sender's node
    // delivers its own sends at once and passes over their copies on the channel.
    const teacher = await connect(b, await ctx.login('13900000002'));
    const besideSender = await connect(a, await ctx.login('13900000002'));
    const third = await send(onA, '第三条');
    await onB.next<MessageDto>('message:new', (m) => m.id === third.id);
    await teacher.next<MessageDto>('message:new', (m) => m.id === third.id);
    await besideSender.next<MessageDto>('message:new', (m) => m.id === third.id);
    await sleep(300);
    expect(onB.received<MessageDto>('message:new', (m) => m.id === there.id)).toHaveLength(1);
    expect(besideSender.received<MessageDto>('message:new', (m) => m.id === third.id)).toHaveLength(1);
    expect(onA.received<MessageDto>('message:new', (m) => m.id === back.id)).toHaveLength(1);
    // One mechanism between nodes, the realtime channel: no Socket.IO adapter keeps a stream in Redis.
    expect(await ctx.infra.redis.keys(`${ctx.config.REDIS_PREFIX}:socket.io*`)).toEqual([]);
  });

  it('a client of a killed node reconnects to the other and catches up by conversation:sync, nothing twice', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    const [chen, liu] = await Promise.all([ctx.login('13900000003'), ctx.login('13900000004')]);
    const sender = await connect(a, chen);
    const reader = await connect(b, liu);

    const seen = await send(sender, '节点 B 停止前');
    await reader.next<MessageDto>('message:new', (m) => m.id === seen.id);
    const lastSeen = Math.max(...reader.received<MessageDto>('message:new', (m) => m.conversationId === groupId).map((m) => m.seq));
    expect(lastSeen).toBe(seen.seq);

    const dropped = new Promise<void>((resolve) => reader.socket.once('disconnect', () => resolve()));
    expect(await stop(b, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await dropped;

    const meanwhile: MessageDto[] = [];
    for (let i = 1; i <= 5; i++) meanwhile.push(await send(sender, `B 停止期间 ${i}`));

    // The client knows both nodes: B is gone, so it comes back on A.
    const again = await connect(a, liu);
    const sync = await again.emit<{ messages: MessageDto[] }>('conversation:sync', { conversationId: groupId, afterSeq: lastSeen });
    if (!sync.ok) throw new Error(sync.code);
    expect(sync.messages).toEqual(meanwhile);
    expect(sync.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5].map((i) => lastSeen + i));

    // And it is live again.
    const live = await send(sender, '恢复之后');
    expect(await again.next<MessageDto>('message:new', (m) => m.id === live.id)).toEqual(live);
  });

  it('survives a database error while a client connects: that client is dropped, the node keeps serving', async () => {
    const a = await startNode();
    const [chen, liu] = await Promise.all([ctx.login('13900000003'), ctx.login('13900000004')]);
    const steady = await connect(a, chen);

    // Joining a socket to its rooms reads the memberships: take the table away for one connection.
    await ctx.query('alter table conversation_members rename to conversation_members_away');
    let reason: string;
    try {
      const failing = new RealtimeClient(a.url, liu);
      clients.push(failing);
      reason = await new Promise<string>((resolve) => failing.socket.once('disconnect', (why) => resolve(why)));
    } finally {
      await ctx.query('alter table conversation_members_away rename to conversation_members');
    }
    expect(reason).toBe('transport close');
    expect(ended(a)).toBe(false);

    // The node is still up: the same user connects now, and the other client never noticed.
    const retry = await connect(a, liu);
    const message = await send(retry, '数据库恢复之后');
    expect(await steady.next<MessageDto>('message:new', (m) => m.id === message.id)).toEqual(message);
    expect(steady.socket.connected).toBe(true);
    expect(ended(a)).toBe(false);
  });

  it('shuts a node down cleanly on SIGTERM (exit 0), disconnecting its clients', async () => {
    const a = await startNode();
    const client = await connect(a, await ctx.login('13900000004'));
    const dropped = new Promise<string>((resolve) => client.socket.once('disconnect', (reason) => resolve(reason)));
    const exit = await stop(a, 'SIGTERM');
    expect({ exit, output: a.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: expect.not.stringMatching(/error while shutting down/),
    });
    expect(await dropped).toMatch(/server namespace disconnect|transport close/);
  });
});
