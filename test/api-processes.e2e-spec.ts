import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { createTestContext, TestContext } from './support/harness';
import { testEnv } from './support/env';
import { freePort } from './support/ports';

/**
 * `API_PROCESSES=2 npm run start:parent-api`: the built entry point as a cluster — two worker
 * processes on one port, a dead one replaced, SIGTERM stopping them all cleanly.
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
    // Both listen: with round-robin hand-out, a run of requests reaches each of them.
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
