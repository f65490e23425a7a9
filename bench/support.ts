import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import Fastify, { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { loadConfig, redisOptionsFromUrl } from '@jiaxiao/common';
import { openDatabase } from '@jiaxiao/db';
import { createInfrastructure, Infrastructure, listen, LISTEN_BACKLOG } from '@jiaxiao/platform';
import { createAdminApi } from '../apps/admin-api/src/admin-api.app';
import { createParentApi } from '../apps/parent-api/src/parent-api.app';
import { createWorker } from '../apps/worker/src/worker.app';
import { seedDemo } from '../seeds/demo.seed';

/** Where the benchmarks run: the local PostgreSQL and Redis unless told otherwise. */
export const benchEnv = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** One id for this run: the scratch database's name and the Redis key prefix. */
export const runId = `jx_bench_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A database made from scratch for this run (migrated and seeded like `npm start` does), dropped afterwards. */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new Client({ connectionString: benchEnv.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${runId}`);
  await admin.end();
  const url = withDatabase(benchEnv.databaseUrl, runId);
  const database = await openDatabase({ url, dataDir: '', poolSize: 2 });
  try {
    await database.migrate();
    await seedDemo(database.db);
  } finally {
    await database.close();
  }
  return {
    url,
    async drop() {
      const client = new Client({ connectionString: benchEnv.databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${runId} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** CPU seconds a process (or several) used, in user space and in the kernel. */
export interface CpuTime {
  user: number;
  system: number;
}

export const cpuTotal = (t: CpuTime) => t.user + t.system;
export const cpuBetween = (before: CpuTime, after: CpuTime): CpuTime => ({
  user: after.user - before.user,
  system: after.system - before.system,
});

/** The user and system CPU seconds the process has used so far (clock ticks of 10 ms). */
export function processCpu(pid: number): CpuTime {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  return cpuTotal(processCpu(pid));
}

/** CPU so far of each PostgreSQL backend connected to `database`, by pid. */
export async function backendCpu(database: string): Promise<Map<number, CpuTime>> {
  const admin = new Client({ connectionString: benchEnv.databaseUrl });
  await admin.connect();
  const { rows } = await admin
    .query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])
    .finally(() => admin.end());
  const backends = new Map<number, CpuTime>();
  for (const { pid } of rows) {
    try {
      backends.set(pid, processCpu(pid));
    } catch {
      // The backend ended meanwhile.
    }
  }
  return backends;
}

/** The CPU the backends present at both readings used in between (one opened or closed meanwhile is left out, so it may be low). */
export function backendCpuBetween(before: Map<number, CpuTime>, after: Map<number, CpuTime>): CpuTime {
  const used = { user: 0, system: 0 };
  for (const [pid, now] of after) {
    const start = before.get(pid);
    if (start === undefined) continue;
    used.user += now.user - start.user;
    used.system += now.system - start.system;
  }
  return used;
}

export interface Platform {
  infra: Infrastructure;
  urls: { parent: string; admin: string };
  close(): Promise<void>;
}

/**
 * parent-api, admin-api and the worker in this process on one infrastructure, as `npm start`
 * runs them, listening on free ports of 127.0.0.1 only (in development mode: production refuses the
 * development SMS outbox). Logs at warn: request logs would measure the terminal, not the platform.
 * `env` sets or overrides settings (e.g. FAMILY_QUIET_HOURS).
 */
export async function startPlatform(databaseUrl: string, env: Record<string, string> = {}): Promise<Platform> {
  const config = loadConfig(
    { REDIS_URL: benchEnv.redisUrl, JWT_SECRET: `bench-${randomBytes(16).toString('hex')}`, LOG_LEVEL: 'warn' },
    // One user from one address at full speed: the general rate limit is off, as it would stop the load.
    {
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: runId,
      WORKER_METRICS_PORT: 0,
      RATE_LIMIT_PER_IP: 0,
      RATE_LIMIT_PER_USER: 0,
      ...env,
    },
  );
  const infra = await createInfrastructure(config);
  const started: INestApplicationContext[] = [];
  const serve = async (app: NestFastifyApplication) => {
    started.push(app);
    return listen(app, 0, '127.0.0.1');
  };
  const parent = await serve(await createParentApi(infra));
  const admin = await serve(await createAdminApi(infra));
  started.push(await createWorker(infra));
  return {
    infra,
    urls: { parent, admin },
    async close() {
      for (const app of started.reverse()) await app.close();
      await infra.close();
    },
  };
}

/** The raw baseline of the HTTP benchmarks: bare Fastify answering a fixed JSON body, nothing else (with the apps' listen backlog). */
export async function bareJsonServer(body: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const app: FastifyInstance = Fastify({ logger: false });
  const payload = JSON.stringify(body);
  app.get('/*', async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(payload));
  await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });
  return { url: baseUrl(app.server.address()), close: () => app.close() };
}

function baseUrl(address: unknown): string {
  const port = typeof address === 'object' && address && 'port' in address ? (address as { port: number }).port : 0;
  return `http://127.0.0.1:${port}`;
}

export async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisOptionsFromUrl(benchEnv.redisUrl));
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

// ── roster files ────────────────────────────────────────────────────────────────

export interface RosterLine {
  student: string;
  guardian: string;
  phone: string;
  relation: '父亲' | '母亲';
}

/** `count` rows: a student per two rows, father and mother, phones `${prefix}` + serial (11 digits). */
export function rosterLines(count: number, phonePrefix: string): RosterLine[] {
  const width = 11 - phonePrefix.length;
  return Array.from({ length: count }, (_, i) => ({
    student: `学生${Math.floor(i / 2)}`,
    guardian: `${i % 2 === 0 ? '父' : '母'}${Math.floor(i / 2)}`,
    phone: `${phonePrefix}${String(i).padStart(width, '0')}`,
    relation: i % 2 === 0 ? '父亲' : '母亲',
  }));
}

export async function rosterXlsx(lines: RosterLine[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow(['学生姓名', '家长姓名', '家长手机号', '关系']);
  for (const l of lines) sheet.addRow([l.student, l.guardian, l.phone, l.relation]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ── HTTP load ───────────────────────────────────────────────────────────────────

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  /** latency percentiles in ms */
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon in a child process (bench/load.ts) and returns its summary. */
export function load(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load.js'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.on('message', (message) => (result = message as LoadResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
  });
}

// ── printing ────────────────────────────────────────────────────────────────────

export const fmt = {
  seconds: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  rate: (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`,
  ms: (n: number) => `${n} ms`,
  ratio: (n: number) => `${n.toFixed(2)}×`,
};

export function line(label: string, ...values: string[]): void {
  console.log(`  ${label.padEnd(48)} ${values.join('   ')}`);
}
