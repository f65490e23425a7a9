/**
 * `npm run bench`: the platform's figures beside a raw baseline run in the same process tree
 * on the same machine, and their ratio. Prints, never asserts; not part of `npm test`.
 *
 * (a) roster import of a 3,000-row XLSX through admin-api + worker vs. the same rows
 *     inserted with plain multi-row INSERTs through `pg` in one transaction (goal: < 10 s);
 * (b) GET /health on parent-api vs. bare Fastify answering the same JSON;
 * (c) authenticated GET /me on parent-api vs. bare Fastify answering the same JSON;
 * (d) authenticated GET /me/course-hours (a parent's hot read) vs. bare Fastify answering the same
 *     JSON (issue #15's target: ≥ 40% of its requests per second), and the same on a platform with
 *     its read caches off (what a parent's first visit costs).
 *
 * Each HTTP comparison takes five rounds, baseline and platform in turn, and prints the round
 * with the median ratio.
 *
 * `npm run bench -- me course-hours` runs only the phases named (import, health, me, course-hours).
 *
 * Uses its own scratch database (migrated and seeded from scratch, dropped afterwards) on
 * DATABASE_URL and its own Redis key prefix; every server listens on 127.0.0.1 only.
 */
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import {
  bareJsonServer,
  benchEnv,
  dropRedisKeys,
  fmt,
  line,
  load,
  LoadResult,
  Platform,
  rosterLines,
  RosterLine,
  rosterXlsx,
  runId,
  scratchDatabase,
  startPlatform,
} from './support';

const ROSTER_ROWS = 3000;
const IMPORT_GOAL_MS = 10_000;
const IMPORT_LIMIT_MS = 120_000;
const LOAD = { connections: 10, seconds: 3, warmupSeconds: 1, rounds: 5 };
/** Issue #15: GET /me/course-hours at ≥ 40% of bare Fastify's requests per second. */
const COURSE_HOURS_TARGET = 0.4;

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function login(url: string, phone: string): Promise<string> {
  const body = await json<{ accessToken: string }>(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  return body.accessToken;
}

// ── (a) roster import ───────────────────────────────────────────────────────────

interface ImportStatus {
  id: string;
  status: string;
  totalRows: number;
  stats: Record<string, number> | null;
  failureReason: string | null;
}

async function importRoster(
  platform: Platform,
  token: string,
  classId: string,
  file: Buffer,
): Promise<{ ms: number; status: ImportStatus }> {
  const form = new FormData();
  form.append('file', new Blob([file]), 'roster.xlsx');
  const started = performance.now();
  const created = await json<ImportStatus>(`${platform.urls.admin}/classes/${classId}/roster-imports`, {
    method: 'POST',
    headers: bearer(token),
    body: form,
  });
  for (;;) {
    const status = await json<ImportStatus>(`${platform.urls.admin}/imports/${created.id}`, { headers: bearer(token) });
    if (status.status === 'succeeded' || status.status === 'failed') return { ms: performance.now() - started, status };
    if (performance.now() - started > IMPORT_LIMIT_MS) throw new Error(`import still ${status.status} after ${IMPORT_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The raw baseline: users, students and guardianships of the same rows, multi-row INSERTs, one transaction. */
async function rawInsert(databaseUrl: string, classId: string, lines: RosterLine[]): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [{ id: baselineClass }] = (
      await client.query<{ id: string }>(
        `INSERT INTO classes (school_id, school_year_id, grade, name)
         SELECT school_id, school_year_id, grade, '基准班(pg)' FROM classes WHERE id = $1 RETURNING id`,
        [classId],
      )
    ).rows;
    const values = (rows: number, columns: number) =>
      Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`).join(
        ', ',
      );
    const students = [...new Set(lines.map((l) => l.student))];

    const started = performance.now();
    await client.query('BEGIN');
    const users = await client.query<{ id: string; phone: string }>(
      `INSERT INTO users (phone, name, status) VALUES ${values(lines.length, 3)} RETURNING id, phone`,
      lines.flatMap((l) => [l.phone, l.guardian, 'invited']),
    );
    const created = await client.query<{ id: string; name: string }>(
      `INSERT INTO students (class_id, name) VALUES ${values(students.length, 2)} RETURNING id, name`,
      students.flatMap((name) => [baselineClass, name]),
    );
    const userId = new Map(users.rows.map((u) => [u.phone, u.id]));
    const studentId = new Map(created.rows.map((s) => [s.name, s.id]));
    await client.query(
      `INSERT INTO guardianships (student_id, user_id, relation, is_primary) VALUES ${values(lines.length, 4)}`,
      lines.flatMap((l) => [studentId.get(l.student), userId.get(l.phone), l.relation, l.relation === '父亲']),
    );
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

async function benchImport(platform: Platform, databaseUrl: string) {
  const token = await login(platform.urls.admin, '13900000001');
  const me = await json<{ scopes: { role: string; scopeId: string }[] }>(`${platform.urls.admin}/me`, { headers: bearer(token) });
  const schoolId = me.scopes.find((s) => s.role === 'coordinator')?.scopeId;
  const newClass = async (name: string) =>
    (
      await json<{ id: string }>(`${platform.urls.admin}/schools/${schoolId}/classes`, {
        method: 'POST',
        headers: { ...bearer(token), 'Content-Type': 'application/json' },
        body: JSON.stringify({ grade: 7, name }),
      })
    ).id;

  // A small import first, so the measured one does not pay for loading exceljs and JIT warm-up.
  await importRoster(platform, token, await newClass('预热班'), await rosterXlsx(rosterLines(100, '1361')));

  const lines = rosterLines(ROSTER_ROWS, '1360');
  const file = await rosterXlsx(lines);
  const classId = await newClass('基准班');
  const platformRun = await importRoster(platform, token, classId, file);
  const baselineMs = await rawInsert(databaseUrl, classId, rosterLines(ROSTER_ROWS, '1362'));

  console.log(
    `\n(a) roster import: ${ROSTER_ROWS.toLocaleString('en-US')}-row XLSX (${(file.length / 1024).toFixed(0)} KB), ${ROSTER_ROWS / 2} students × 2 guardians`,
  );
  const { status } = platformRun;
  line('admin-api + worker, upload → succeeded', fmt.seconds(platformRun.ms), `${status.status}, ${JSON.stringify(status.stats)}`);
  line('baseline: pg multi-row INSERTs, 1 transaction', fmt.seconds(baselineMs));
  line('ratio (platform / baseline)', fmt.ratio(platformRun.ms / baselineMs));
  line(`goal < ${IMPORT_GOAL_MS / 1000} s`, status.status === 'succeeded' && platformRun.ms < IMPORT_GOAL_MS ? 'met' : 'NOT met');
}

// ── (b), (c) HTTP throughput ────────────────────────────────────────────────────

async function measure(url: string, headers?: Record<string, string>): Promise<LoadResult> {
  await load({ url, headers, connections: LOAD.connections, seconds: LOAD.warmupSeconds });
  return load({ url, headers, connections: LOAD.connections, seconds: LOAD.seconds });
}

/** The same route on a platform with its read caches off (READ_CACHE_SECONDS=0): what a first visit costs. */
interface Uncached {
  url: string;
  headers: Record<string, string>;
}

/** The middle value (the lower middle of an even count). */
function median<T>(values: T[], by: (value: T) => number): T {
  return [...values].sort((a, b) => by(a) - by(b))[Math.floor((values.length - 1) / 2)];
}

async function benchHttp(title: string, url: string, headers?: Record<string, string>, target?: number, uncached?: Uncached) {
  // The baseline answers exactly what the platform answers.
  const body = await json<unknown>(url, { headers });
  const bare = await bareJsonServer(body);
  try {
    const path = new URL(url).pathname;
    // Baseline and platform take turns, a round each, so that a change in the machine's speed
    // (other work on it moves both by up to half within a minute) falls on both alike.
    const rounds: { baseline: LoadResult; platform: LoadResult; ratio: number }[] = [];
    for (let round = 0; round < LOAD.rounds; round += 1) {
      const baseline = await measure(`${bare.url}${path}`);
      const platform = await measure(url, headers);
      rounds.push({ baseline, platform, ratio: platform.requestsPerSecond / baseline.requestsPerSecond });
    }
    const reading = uncached ? await measure(uncached.url, uncached.headers) : undefined;
    console.log(
      `\n${title} (autocannon, ${LOAD.connections} connections, ${LOAD.seconds} s after a ${LOAD.warmupSeconds} s warm-up; ` +
        `${LOAD.rounds} rounds taking turns, the median round)`,
    );
    const describe = (r: LoadResult) => [
      fmt.rate(r.requestsPerSecond).padStart(12),
      `p50 ${fmt.ms(r.p50)}`,
      `p99 ${fmt.ms(r.p99)}`,
      ...(r.errors || r.non2xx ? [`errors ${r.errors}, non-2xx ${r.non2xx}`] : []),
    ];
    const middle = median(rounds, (r) => r.ratio);
    line('parent-api (Nest + Fastify)', ...describe(middle.platform));
    line('baseline: bare Fastify, same JSON', ...describe(middle.baseline));
    const ratio = middle.ratio;
    line('ratio (platform / baseline req/s)', fmt.ratio(ratio));
    line(
      'every round (platform / baseline req/s)',
      rounds.map((r) => `${Math.round(r.platform.requestsPerSecond)} / ${Math.round(r.baseline.requestsPerSecond)}`).join(', '),
    );
    if (target !== undefined) {
      const points = (n: number) => `${(Math.abs(n) * 100).toFixed(1)} points`;
      line(
        `target ≥ ${target * 100}% of the baseline`,
        ratio >= target ? `met (${points(ratio - target)} above)` : `MISSED by ${points(target - ratio)} (${(ratio * 100).toFixed(1)}%)`,
      );
    }
    if (reading) {
      line('parent-api, read caches off', ...describe(reading));
      line('ratio (caches off / median baseline req/s)', fmt.ratio(reading.requestsPerSecond / middle.baseline.requestsPerSecond));
    }
  } finally {
    await bare.close();
  }
}

/** The phases named on the command line (`npm run bench -- me course-hours`), else all of them. */
const PHASES = ['import', 'health', 'me', 'course-hours'];
const asked = process.argv.slice(2).filter((a) => PHASES.includes(a));
const runs = (phase: string) => asked.length === 0 || asked.includes(phase);

async function main() {
  const database = new URL(benchEnv.databaseUrl);
  console.log(
    `Jiaxiao benchmarks — Node ${process.version}, ${cpus().length} CPUs, PostgreSQL ${database.host}, Redis ${new URL(benchEnv.redisUrl).host}`,
  );
  // Other work on the machine moves every figure; the load average says how much there was.
  console.log(
    `scratch database and Redis prefix: ${runId}; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')} (servers and load generator share this machine)`,
  );
  const scratch = await scratchDatabase();
  let platform: Platform | undefined;
  try {
    platform = await startPlatform(scratch.url);
    if (runs('import')) await benchImport(platform, scratch.url);
    if (runs('health')) await benchHttp('(b) GET /health', `${platform.urls.parent}/health`);
    const token = await login(platform.urls.parent, '13900000003');
    if (runs('me')) await benchHttp('(c) GET /me, authenticated (parent 13900000003)', `${platform.urls.parent}/me`, bearer(token));
    if (runs('course-hours')) {
      // A second platform on the same database, caches off: every request reads the caller and the hours.
      const reading = await startPlatform(scratch.url, { READ_CACHE_SECONDS: '0' });
      try {
        await benchHttp(
          '(d) GET /me/course-hours, authenticated (parent 13900000003)',
          `${platform.urls.parent}/me/course-hours`,
          bearer(token),
          COURSE_HOURS_TARGET,
          { url: `${reading.urls.parent}/me/course-hours`, headers: bearer(await login(reading.urls.parent, '13900000003')) },
        );
      } finally {
        await reading.close();
      }
    }
  } finally {
    await platform?.close();
    await scratch.drop();
    await dropRedisKeys(runId);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
