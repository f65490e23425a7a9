/**
 * `npm run bench:school-notices`: a school notice (校务公开) to a school of 3,000 families
 * (6,000 guardians in 60 classes), posted through admin-api and fanned out by the worker: the
 * time from the POST until every guardian's inbox entry exists and has been pushed (in-app
 * delivery recorded, outside channels queued), beside the raw baseline of one bare
 * `INSERT … SELECT` of the same 6,000 inbox rows, and their ratio. Prints, never asserts; not
 * part of `npm test`. A scratch database on DATABASE_URL (migrated and seeded) and the run's
 * Redis keys are removed afterwards.
 */
import { Client } from 'pg';
import { schoolYearOf } from '@jiaxiao/common';
import { benchEnv, dropRedisKeys, fmt, line, runId, scratchDatabase, startPlatform, withDatabase } from './support';

const FAMILIES = 3000;
const CLASSES = 60;
const COORDINATOR = '13900000001';
const PASSWORD = 'Jiaxiao#2016';

/** A junior school of 奎文区 with CLASSES classes this school year, FAMILIES students and two guardians each; the demo coordinator runs it. */
async function buildSchool(db: Client): Promise<string> {
  const year = schoolYearOf(new Date());
  const { rows } = await db.query<{ id: string }>(
    `insert into schools (district_id, name, type) select id, '基准测试中学', 'junior' from districts where name = '奎文区' returning id`,
  );
  const schoolId = rows[0].id;
  await db.query(
    `insert into classes (school_id, school_year_id, grade, name)
     select $1, y.id, 7 + (i % 3), (array['初一','初二','初三'])[1 + i % 3] || '(' || (i / 3 + 1) || ')班'
     from school_years y, generate_series(0, $2::int - 1) i where y.name = $3`,
    [schoolId, CLASSES, year],
  );
  await db.query(
    `insert into students (class_id, name)
     select c.id, '学生' || n from (select id, row_number() over (order by name) - 1 as k from classes where school_id = $1) c,
       generate_series(0, $2::int / $3::int - 1) n`,
    [schoolId, FAMILIES, CLASSES],
  );
  await db.query(
    `with s as (select id, row_number() over (order by id) as k from students where class_id in (select id from classes where school_id = $1)),
     g as (select s.id as student_id, p, '170' || lpad((s.k * 2 + p)::text, 8, '0') as phone from s, generate_series(0, 1) p),
     u as (insert into users (phone, name, status) select phone, '家长' || phone, 'active' from g returning id, phone)
     insert into guardianships (student_id, user_id, relation, is_primary)
     select g.student_id, u.id, case when g.p = 0 then '父亲' else '母亲' end, g.p = 0 from g join u on u.phone = g.phone`,
    [schoolId],
  );
  await db.query(
    `insert into role_assignments (user_id, role, scope_type, scope_id) select id, 'coordinator', 'school', $1 from users where phone = $2`,
    [schoolId, COORDINATOR],
  );
  await db.query('analyze students, guardianships, classes, users');
  return schoolId;
}

/** The raw baseline: the same inbox rows in one statement, rolled back. */
async function bareInsert(db: Client, schoolId: string): Promise<{ ms: number; rows: number }> {
  await db.query('begin');
  try {
    const started = performance.now();
    const result = await db.query(
      `insert into notifications (user_id, kind, title, body, data, dedupe_key)
       select g.user_id, 'bench', '通知', '内容', '{}'::jsonb, 'bench-baseline'
       from guardianships g join students s on s.id = g.student_id join classes c on c.id = s.class_id where c.school_id = $1`,
      [schoolId],
    );
    return { ms: performance.now() - started, rows: result.rowCount ?? 0 };
  } finally {
    await db.query('rollback');
  }
}

async function main(): Promise<void> {
  const scratch = await scratchDatabase();
  const db = new Client({ connectionString: withDatabase(benchEnv.databaseUrl, runId) });
  let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
  try {
    await db.connect();
    // Development settings: production refuses the development SMS provider, and this notice is not
    // urgent, so no text message would go out anyway. No quiet hours: every push is due now.
    platform = await startPlatform(scratch.url, { NODE_ENV: 'development', FAMILY_QUIET_HOURS: '00:00-00:00' });
    const schoolId = await buildSchool(db);
    const login = await fetch(`${platform.urls.admin}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: COORDINATOR, password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const baseline = await bareInsert(db, schoolId);

    const started = performance.now();
    const posted = await fetch(`${platform.urls.admin}/school-notices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        audience: 'families',
        schoolId,
        title: '关于本学期收费项目的公示',
        body: '本学期除教材费外不收取任何费用。',
        needsAck: true,
      }),
    });
    const notice = (await posted.json()) as { id: string };
    if (posted.status !== 201) throw new Error(`post: ${posted.status} ${JSON.stringify(notice)}`);
    const postedMs = performance.now() - started;
    let stored = 0;
    let pushed = 0;
    for (;;) {
      const { rows } = await db.query<{ stored: number; pushed: number; expected: number | null }>(
        `select count(*)::int as stored, (count(*) filter (where pushed_at is not null))::int as pushed,
           (select recipient_count from school_notices where id = $1) as expected
         from notifications where dedupe_key = 'school-notice:' || $1`,
        [notice.id],
      );
      ({ stored, pushed } = rows[0]);
      if (rows[0].expected !== null && pushed === rows[0].expected) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const fanOutMs = performance.now() - started;

    console.log(
      `\nschool notice fan-out: ${FAMILIES.toLocaleString('en-US')} families, ${CLASSES} classes (PostgreSQL ${benchEnv.databaseUrl.replace(/\/\/[^@]*@/, '//')})`,
    );
    line('POST /school-notices answered', fmt.seconds(postedMs));
    line(
      `fan-out: ${stored.toLocaleString('en-US')} inbox entries stored and pushed`,
      fmt.seconds(fanOutMs),
      `${pushed.toLocaleString('en-US')} pushed`,
    );
    line(
      `baseline: bare INSERT…SELECT of ${baseline.rows.toLocaleString('en-US')} rows`,
      fmt.seconds(baseline.ms),
      `ratio ${fmt.ratio(fanOutMs / baseline.ms)}`,
    );
  } finally {
    await db.end();
    await platform?.close();
    await scratch.drop();
    await dropRedisKeys(runId);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
