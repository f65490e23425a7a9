import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { redisOptionsFromUrl } from '@jiaxiao/common';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { testEnv } from './support/env';

/**
 * `npm start` as an operator runs it: the built entry point in its own process, no
 * DATABASE_URL (embedded PGlite under DATA_DIR), stopped with Ctrl-C.
 */
const root = join(__dirname, '..');
const entry = join(root, 'dist/apps/main.js');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

/** The environment of a shell that has only what `npm start` needs: no DATABASE_URL, no Jest settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'NODE_OPTIONS', 'NODE_ENV', 'JEST_WORKER_ID', 'JWT_SECRET', 'LOG_LEVEL']) delete env[key];
  return { ...env, REDIS_URL: testEnv.redisUrl, ...extra };
}

function run(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return { child, stdout: () => out, stderr: () => err };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Resolves when the banner is printed; rejects if the process ends first or takes longer than the
 * limit — a generous one: on a busy 2-core machine the first start (WASM PostgreSQL, migrations,
 * seed) can take over a minute.
 */
function banner(started: Started, limitMs = 180_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearInterval(poll);
      clearTimeout(timer);
      started.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const describe = () => `\n--- stdout\n${started.stdout()}\n--- stderr\n${started.stderr()}`;
    const onExit = (code: number | null) => done(new Error(`npm start exited with ${code} before it was running${describe()}`));
    const poll = setInterval(() => started.stdout().includes('is running') && done(), 50);
    const timer = setTimeout(() => done(new Error(`no "is running" banner within ${limitMs} ms${describe()}`)), limitMs);
    started.child.once('exit', onExit);
  });
}

/** Ctrl-C, then the exit code; a process still alive after the limit is killed and reported. */
async function interrupt(started: Started, limitMs = 15_000): Promise<number | null> {
  started.child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  const outcome = await Promise.race([exited(started.child), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    started.child.kill('SIGKILL');
    await exited(started.child);
    throw new Error(`still running ${limitMs} ms after SIGINT\n--- stderr\n${started.stderr()}`);
  }
  return outcome;
}

async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisOptionsFromUrl(testEnv.redisUrl));
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

describe('npm start (dist/apps/main.js, embedded PGlite)', () => {
  const prefix = `smoke${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'jiaxiao-smoke-'));
  const running: Started[] = [];
  let env: NodeJS.ProcessEnv;
  let urls: { parent: string; gateway: string; admin: string };

  /** The URLs the banner printed. */
  function urlsOf(started: Started) {
    const url = (app: string) => {
      const match = new RegExp(`${app}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(started.stdout());
      if (!match) throw new Error(`no ${app} URL in the banner:\n${started.stdout()}`);
      return match[1];
    };
    return { parent: url('parent-api'), gateway: url('gateway'), admin: url('admin-api') };
  }

  beforeAll(() => {
    // Port 0: the system picks free ports, and the banner tells which.
    env = cleanEnv({
      DATA_DIR: dataDir,
      PARENT_API_PORT: '0',
      GATEWAY_PORT: '0',
      ADMIN_API_PORT: '0',
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    for (const started of running) {
      if (started.child.exitCode === null && started.child.signalCode === null) {
        started.child.kill('SIGKILL');
        await exited(started.child);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    await dropRedisKeys(prefix);
  });

  const login = (url: string, phone: string) => request(url).post('/auth/login').send({ phone, password: DEMO_PASSWORD });

  async function healthy() {
    for (const url of Object.values(urls)) {
      const res = await request(url).get('/health').expect(200);
      expect(res.body.status).toBe('ok');
    }
  }

  it('starts, seeds an empty data directory, serves all three apps, and stops cleanly on Ctrl-C', async () => {
    const started = run(env);
    running.push(started);
    await banner(started);
    urls = urlsOf(started);
    expect(started.stdout()).toContain(`embedded PGlite in ${dataDir}/pglite`);
    // Every demo account of the seed is on the banner, the reviewer and the second coordinator too.
    for (const phone of ['13900000000', '13900000006', '13900000066', '13900000067']) expect(started.stdout()).toContain(phone);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);

    await healthy();
    const parent = await login(urls.parent, '13900000003').expect(200);
    expect(parent.body.user).toMatchObject({ name: '陈志强', roles: ['parent'] });
    const coordinator = await login(urls.admin, '13900000001').expect(200);
    expect(coordinator.body.user.roles).toEqual(['coordinator']);

    // A change the seed would undo if it ran again: the city admin revokes the 班主任's role.
    const admin = (await login(urls.admin, '13900000000').expect(200)).body.accessToken as string;
    const me = await request(urls.admin).get('/me').set('Authorization', `Bearer ${coordinator.body.accessToken}`).expect(200);
    const schoolId = (me.body.scopes as { role: string; scopeId: string }[]).find((s) => s.role === 'coordinator')?.scopeId;
    const staff = await request(urls.admin).get(`/schools/${schoolId}/staff`).set('Authorization', `Bearer ${admin}`).expect(200);
    const teacher = (staff.body as { id: string; phone?: string; role: string; userId: string }[]).find(
      (s) => s.role === 'teacher' && s.phone === '13900000002',
    );
    expect(teacher).toBeDefined();
    await request(urls.admin).delete(`/role-assignments/${teacher?.id}`).set('Authorization', `Bearer ${admin}`).expect(204);

    expect(await interrupt(started)).toBe(0);

    // Second start on the same data directory: the data is kept and the seed does not run again.
    const again = run(env);
    running.push(again);
    await banner(again);
    urls = urlsOf(again);
    await healthy();
    await login(urls.parent, '13900000003').expect(200);
    await login(urls.admin, '13900000001').expect(200);
    const revoked = await login(urls.admin, '13900000002').expect(403);
    expect(revoked.body.code).toBe('ADMIN_ROLE_REQUIRED');
    expect(await interrupt(again)).toBe(0);
  }, 420_000);

  it('stops at once with a message naming a bad variable', async () => {
    const started = run({ ...env, PARENT_API_PORT: 'abc' });
    running.push(started);
    const code = await exited(started.child);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(started.stderr()).toContain('PARENT_API_PORT');
    expect(started.stdout()).not.toContain('is running');
  }, 60_000);
});
