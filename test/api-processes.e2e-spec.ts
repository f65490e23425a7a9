import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { portSharingSupported } from '@jiaxiao/platform';
import { createTestContext, TestContext } from './support/harness';
import { testEnv } from './support/env';
import { freePort } from './support/ports';

/**
 * `API_PROCESSES=2 npm run start:parent-api`: the built entry point as a cluster — two worker
 * processes on one port (each binding it where the kernel shares it), a dead one replaced, SIGTERM
 * stopping them all cleanly.
 */
const root = join(__dirname, '..');
const entry = join(root, 'dist/apps/parent-api/src/main.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The live parent-api processes whose parent is `pid` (not an exited one its parent has not reaped yet). */
function childrenOf(pid: number): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return listed
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, stat, ...args]) => stat && !stat.startsWith('Z') && args.join(' ').includes('parent-api'))
    .map(([child]) => Number(child));
}

/** The inodes of the TCP sockets listening on `port`, from the kernel's socket tables. */
function listeningSockets(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      // local_address is hex address:port; state 0A is LISTEN; the tenth field is the inode.
      if (fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Whether process `pid` holds one of these sockets open. */
function holdsSocket(pid: number, inodes: Set<string>): boolean {
  return readdirSync(`/proc/${pid}/fd`).some((fd) => {
    try {
      return [...inodes].some((inode) => readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`);
    } catch {
      return false; // closed meanwhile
    }
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, limitMs = 90_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function start(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [entry], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return { child, output: () => output };
}

// Several processes share one database only on PostgreSQL.
const describeOnPostgres = testEnv.databaseUrl ? describe : describe.skip;

describeOnPostgres('parent-api as several processes on one port (API_PROCESSES)', () => {
  let ctx: TestContext;
  let primary: { child: ChildProcess; output: () => string } | undefined;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: [] });
  });

  afterAll(async () => {
    if (primary && primary.child.exitCode === null) primary.child.kill('SIGKILL');
    await ctx?.close();
  });

  it('runs two workers behind one port, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const { config } = ctx;
    primary = start({
      NODE_ENV: 'test',
      API_PROCESSES: '2',
      PARENT_API_PORT: String(port),
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      JWT_SECRET: config.JWT_SECRET,
      LOG_LEVEL: 'info',
    });
    const pid = primary.child.pid as number;
    const url = `http://127.0.0.1:${port}`;

    const workers = await until('two workers', () => {
      const found = childrenOf(pid);
      return found.length === 2 ? found : undefined;
    });
    await until('health on the shared port', async () =>
      (
        await request(url)
          .get('/health')
          .catch(() => undefined)
      )?.status === 200
        ? true
        : undefined,
    );
    const served = await Promise.all(Array.from({ length: 6 }, () => request(url).get('/health')));
    expect(served.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Where the kernel can share the port, each worker binds it and takes connections itself;
    // elsewhere only the primary listens and hands each connection to a worker.
    const sockets = await until('the listening sockets', () => {
      const found = listeningSockets(port);
      return found.size === (portSharingSupported() ? 2 : 1) ? found : undefined;
    });
    if (portSharingSupported()) {
      expect(workers.map((worker) => holdsSocket(worker, sockets))).toEqual([true, true]);
      expect(holdsSocket(pid, sockets)).toBe(false);
    } else {
      expect(holdsSocket(pid, sockets)).toBe(true);
    }

    process.kill(workers[0], 'SIGKILL');
    const replaced = await until('a replacement worker', () => {
      const found = childrenOf(pid);
      return found.length === 2 && !found.includes(workers[0]) ? found : undefined;
    });
    expect(replaced).toContain(workers[1]);
    expect(primary.output()).toContain('worker process ended; starting another');
    await until('health after the replacement', async () =>
      (
        await request(url)
          .get('/health')
          .catch(() => undefined)
      )?.status === 200
        ? true
        : undefined,
    );

    primary.child.kill('SIGTERM');
    expect(await exited(primary.child)).toBe(0);
    for (const worker of replaced) expect(() => process.kill(worker, 0)).toThrow();
  }, 240_000);

  it('refuses several processes on the embedded database, naming the variable', async () => {
    const refused = start({ NODE_ENV: 'test', API_PROCESSES: '2', REDIS_URL: ctx.config.REDIS_URL });
    expect(await exited(refused.child)).toBe(2);
    expect(refused.output()).toContain('API_PROCESSES');
  }, 60_000);
});
