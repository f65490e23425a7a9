/**
 * `npm run seed:city -- [--scale <f>] [--force] [--message-months <n> [--messages-per-class-day <n>]]`:
 * fills the database at DATABASE_URL with a
 * synthetic city for the scale benchmarks (bench/hours.ts) — at scale 1 about 1,000,000
 * students in 25,000 classes of 4,000 schools over 12 districts, 1.6 M guardians (60% of
 * households have two), 16,012 published lectures (4 × 2 h per school, 12 × 1.5 h city-wide
 * 父母大讲堂) and ≈ 8 M hour-ledger credits with the household credits and progress rows the
 * app would have written for them (a lecture counts once per household; progress is the sum
 * of the household's credits).
 *
 * Rows are made set-based inside PostgreSQL (`INSERT … SELECT generate_series(…)`), in chunks
 * of students on two connections, with a progress bar on stderr. Ids are UUIDs that ascend
 * with the serial number (like UUIDv7), so every index is appended to rather than split at
 * random, and the children of a chunk are found by an id range. Foreign-key triggers are off
 * for the load when the role may do that (session_replication_role, as pg_restore does): the
 * rows are consistent by construction; every index and constraint stays in place.
 *
 * With `--message-months n` each class also gets its class group holding n months of messages
 * (seeds/synthetic-city-messages.ts), one monthly partition after the other.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, schoolYearBounds, schoolYearOf } from '@jiaxiao/common';
import { openDatabase } from '@jiaxiao/db';
import { ensureClassGroups, insertCityMonth, planCityMessages } from './synthetic-city-messages';

export interface CityOptions {
  /** fraction of the full city (1 = 1,000,000 students) */
  scale?: number;
  /** fill a database that already holds data */
  force?: boolean;
  /** parallel connections (default 2: one per core of the reference machine) */
  connections?: number;
  now?: Date;
  /** called with the fraction done, 0–1 */
  onProgress?: (done: number, detail: string) => void;
}

export interface CityResult {
  schoolYearId: string;
  schoolYear: string;
  districts: number;
  schools: number;
  classes: number;
  students: number;
  guardians: number;
  lectures: number;
  ledgerRows: number;
  householdCredits: number;
  progressRows: number;
  ms: number;
}

const DISTRICTS = [
  ['奎文区', '370705'],
  ['潍城区', '370702'],
  ['寒亭区', '370703'],
  ['坊子区', '370704'],
  ['青州市', '370781'],
  ['诸城市', '370782'],
  ['寿光市', '370783'],
  ['安丘市', '370784'],
  ['高密市', '370785'],
  ['昌邑市', '370786'],
  ['临朐县', '370724'],
  ['昌乐县', '370725'],
] as const;

const STUDENTS_PER_CLASS = 40;
const FULL_STUDENTS = 1_000_000;
const FULL_SCHOOLS = 4_000;
const SCHOOL_LECTURES = 4;
const CITY_LECTURES = 12;
/** candidate lectures per guardian: the school's 4 and 4 of the city's 12 */
const CANDIDATES = 8;
/** a guardian attends 5 of 8 candidates on average: 1.6 M × 5 ≈ 8 M ledger rows */
const ATTEND_OF_8 = 5;
const CHUNK_STUDENTS = 20_000;

const SURNAMES = "array['王','李','张','刘','陈','杨','赵','黄','周','吴','徐','孙','马','朱','胡','郭','何','高','林','郑']";
const GIVEN = "array['子轩','欣怡','浩然','梓涵','宇航','诗琪','俊杰','雨萱','博文','佳怡','明轩','思彤']";
const ADULT = "array['建华','秀兰','国强','丽娟','志刚','海燕','伟','静','军','敏']";
const SCHOOL_TYPES = "array['primary','primary','junior','senior','nine_year','kindergarten','vocational','twelve_year']";

export async function generateCity(databaseUrl: string, options: CityOptions = {}): Promise<CityResult> {
  const started = performance.now();
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError('--scale must be a positive number');
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => undefined);

  const nStudents = Math.max(STUDENTS_PER_CLASS, Math.round(FULL_STUDENTS * scale));
  const nClasses = Math.ceil(nStudents / STUDENTS_PER_CLASS);
  const nSchools = Math.min(nClasses, Math.max(1, Math.round(FULL_SCHOOLS * scale)));
  const nLectures = nSchools * SCHOOL_LECTURES + CITY_LECTURES;

  const database = await openDatabase({ url: databaseUrl, dataDir: '', poolSize: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }

  const main = await connect(databaseUrl);
  const workers: Client[] = [];
  try {
    const { rows: filled } = await main.query<{ filled: boolean }>(
      'select exists (select 1 from users) or exists (select 1 from schools) as filled',
    );
    if (filled[0].filled && !options.force) throw new Error('the database already holds data; pass --force to add a synthetic city to it');

    // A namespace per run in every generated id, so a forced second run does not collide with the first.
    const ns = randomBytes(2).toString('hex');
    const u = (kind: number, serial: string) =>
      `(lpad(to_hex(${kind}), 4, '0') || '${ns}-0000-4000-8000-' || lpad(to_hex(${serial}), 12, '0'))::uuid`;

    const schoolYear = schoolYearOf(now);
    const bounds = schoolYearBounds(schoolYear);
    // Lectures fall between two days into the year and yesterday: all are over, all credited.
    const first = bounds.startsAt.getTime() + 2 * 86_400_000;
    const span = Math.max(86_400_000, now.getTime() - 86_400_000 - first);
    const t0 = new Date(first).toISOString();
    const schoolStep = Math.floor(span / SCHOOL_LECTURES / 1000);
    const cityStep = Math.floor(span / CITY_LECTURES / 1000);
    // Start of school lecture k of school s, and of city lecture i (seconds after t0).
    const schoolStart = (s: string, k: string) =>
      `'${t0}'::timestamptz + ((${k}) * ${schoolStep} + ((${s}) % 5) * 86400 + 3600 * 10) * interval '1 second'`;
    const cityStart = (i: string) => `'${t0}'::timestamptz + ((${i}) * ${cityStep} + 3600 * 14) * interval '1 second'`;

    await main.query('begin');
    await main.query(`insert into districts (name, code) select * from unnest($1::text[], $2::text[]) on conflict do nothing`, [
      DISTRICTS.map((d) => d[0]),
      DISTRICTS.map((d) => d[1]),
    ]);
    await main.query(`insert into school_years (name, starts_on, ends_on) values ($1, $2, $3) on conflict (name) do nothing`, [
      schoolYear,
      bounds.startsOn,
      bounds.endsOn,
    ]);
    const { rows: years } = await main.query<{ id: string }>('select id from school_years where name = $1', [schoolYear]);
    const yearId = years[0].id;
    await main.query('insert into course_requirements (school_year_id, required_hours) values ($1, 8) on conflict do nothing', [yearId]);
    await main.query(
      `create temp table jx_district on commit drop as
         select (row_number() over (order by d.code) - 1)::int as n, d.id, d.name from districts d where d.name = any($1::text[])`,
      [DISTRICTS.map((d) => d[0])],
    );
    const nDistricts = DISTRICTS.length;
    await main.query(
      `insert into schools (id, district_id, name, type, address)
       select ${u(2, 's')}, d.id, d.name || '第' || (s + 1) || '学校(${ns})', (${SCHOOL_TYPES})[1 + s % 8], '潍坊市' || d.name
       from generate_series(0, ${nSchools - 1}) s join jx_district d on d.n = s % ${nDistricts}`,
    );
    await main.query(
      `insert into course_plans (id, school_id, school_year_id, note)
       select ${u(9, 's')}, ${u(2, 's')}, $1, '4 次 × 2 学时' from generate_series(0, ${nSchools - 1}) s`,
      [yearId],
    );
    // Class c is in school c % nSchools; the c / nSchools-th class of its school.
    await main.query(
      `insert into classes (id, school_id, school_year_id, grade, name)
       select ${u(3, 'c')}, ${u(2, `c % ${nSchools}`)}, $1, 1 + (c / ${nSchools}) % 12, (1 + (c / ${nSchools}) % 12) || '年级(' || (c / ${nSchools} + 1) || ')班'
       from generate_series(0, ${nClasses - 1}) c`,
      [yearId],
    );
    await main.query(
      `insert into lectures (id, series, title, curriculum_label, school_year_id, plan_id, school_id, district_id, speaker, audience, mode,
                             starts_at, ends_at, venue, credit_hours, status, checkin_secret)
       select ${u(7, `s * ${SCHOOL_LECTURES} + k`)}, 'school_course', '《牵手两代》第' || (k + 1) || '单元', '《牵手两代》第' || (k + 1) || '单元', $1,
              ${u(9, 's')}, ${u(2, 's')}, d.id, '家庭教育讲师', jsonb_build_object('scope', 'school', 'schoolId', ${u(2, 's')}), 'offline',
              ${schoolStart('s', 'k')}, ${schoolStart('s', 'k')} + interval '2 hours', '学校报告厅', 2, 'published', md5(random()::text)
       from generate_series(0, ${nSchools - 1}) s cross join generate_series(0, ${SCHOOL_LECTURES - 1}) k join jx_district d on d.n = s % ${nDistricts}`,
      [yearId],
    );
    await main.query(
      `insert into lectures (id, series, title, school_year_id, speaker, audience, mode, starts_at, ends_at, venue, stream_url, credit_hours, status, checkin_secret)
       select ${u(7, `${nSchools * SCHOOL_LECTURES} + i`)}, 'parents_forum', '父母大讲堂 第' || (i + 1) || '期', $1, '市家庭教育专家', '{"scope":"city"}'::jsonb, 'hybrid',
              ${cityStart('i')}, ${cityStart('i')} + interval '90 minutes', '市文化艺术中心', 'https://live.example.cn/forum/' || (i + 1), 1.5, 'published', md5(random()::text)
       from generate_series(0, ${CITY_LECTURES - 1}) i`,
      [yearId],
    );
    await main.query('commit');

    // ── households, chunk by chunk ────────────────────────────────────────────────
    // Student j is in class j / 40; its guardians are users 2j and (for 60% of households) 2j + 1.
    const guardiansOf = (a: number, b: number) =>
      `(select j, r, 2 * j + r as g from generate_series(${a}::bigint, ${b - 1}::bigint) j cross join generate_series(0, 1) r where r = 0 or j % 5 < 3)`;
    const schoolOf = (j: string) => `((${j}) / ${STUDENTS_PER_CLASS}) % ${nSchools}`;
    const lectureOf = `case when k < ${SCHOOL_LECTURES} then ${schoolOf('x.j')} * ${SCHOOL_LECTURES} + k
                            else ${nSchools * SCHOOL_LECTURES} + (x.g + (k - ${SCHOOL_LECTURES}) * 3) % ${CITY_LECTURES} end`;
    const lectureEnd = `case when k < ${SCHOOL_LECTURES} then ${schoolStart(schoolOf('x.j'), 'k')} + interval '2 hours'
                             else ${cityStart(`(x.g + (k - ${SCHOOL_LECTURES}) * 3) % ${CITY_LECTURES}`)} + interval '90 minutes' end`;

    const chunk = async (client: Client, a: number, b: number) => {
      await client.query(
        `insert into students (id, class_id, name)
         select ${u(4, 'j')}, ${u(3, `j / ${STUDENTS_PER_CLASS}`)}, (${SURNAMES})[1 + j % 20] || (${GIVEN})[1 + (j / 20) % 12] || (j % ${STUDENTS_PER_CLASS} + 1)
         from generate_series(${a}::bigint, ${b - 1}::bigint) j`,
      );
      await client.query(
        `insert into users (id, phone, name, status)
         select ${u(5, 'x.g')}, '15' || lpad(x.g::text, 9, '0'), (${SURNAMES})[1 + (x.g * 7) % 20] || (${ADULT})[1 + x.g % 10], case when x.g % 4 = 3 then 'invited' else 'active' end
         from ${guardiansOf(a, b)} x order by x.g`,
      );
      await client.query(
        `insert into guardianships (id, student_id, user_id, relation, is_primary)
         select ${u(6, 'x.g')}, ${u(4, 'x.j')}, ${u(5, 'x.g')},
                case when x.r = 1 then '母亲' when x.j % 5 < 3 then '父亲' when x.j % 10 = 9 then '祖父母' else '母亲' end, x.r = 0
         from ${guardiansOf(a, b)} x order by x.g`,
      );
      const ledger = await client.query(
        `insert into hour_ledger (id, guardian_id, lecture_id, school_year_id, kind, hours, source, created_at)
         select ${u(8, `x.g * ${CANDIDATES} + k`)}, ${u(5, 'x.g')}, ${u(7, lectureOf)}, '${yearId}', 'credit',
                case when k < ${SCHOOL_LECTURES} then 2 else 1.5 end,
                case when k >= ${SCHOOL_LECTURES} and x.g % 3 = 0 then 'online' else 'offline' end,
                ${lectureEnd}
         from ${guardiansOf(a, b)} x cross join generate_series(0, ${CANDIDATES - 1}) k
         where (hashint8(x.g * ${CANDIDATES} + k) & 7) < ${ATTEND_OF_8}
         order by x.g, k`,
      );
      // What HourLedgerService.credit writes beside each entry: the lecture once per household, then the sum.
      const credits = await client.query(
        `insert into household_credits (student_id, lecture_id, school_year_id, hours, created_at)
         select gs.student_id, l.lecture_id, l.school_year_id, min(l.hours), min(l.created_at)
         from guardianships gs join hour_ledger l on l.guardian_id = gs.user_id and l.kind = 'credit'
         where gs.student_id between ${u(4, String(a))} and ${u(4, String(b - 1))}
         group by gs.student_id, l.lecture_id, l.school_year_id
         order by gs.student_id, l.lecture_id`,
      );
      const households = await client.query(
        `insert into household_progress (student_id, school_year_id, earned_hours, updated_at)
         select student_id, school_year_id, sum(hours), max(created_at) from household_credits
         where student_id between ${u(4, String(a))} and ${u(4, String(b - 1))}
         group by student_id, school_year_id order by student_id`,
      );
      return { ledger: ledger.rowCount ?? 0, credits: credits.rowCount ?? 0, households: households.rowCount ?? 0 };
    };

    const ranges: [number, number][] = [];
    for (let a = 0; a < nStudents; a += CHUNK_STUDENTS) ranges.push([a, Math.min(nStudents, a + CHUNK_STUDENTS)]);
    const totals = { students: 0, ledger: 0, credits: 0, households: 0 };
    let next = 0;
    progress(0, 'schools, classes and lectures');
    for (let i = 0; i < Math.max(1, options.connections ?? 2); i++) workers.push(await connect(databaseUrl));
    await Promise.all(
      workers.map(async (client) => {
        while (next < ranges.length) {
          const [a, b] = ranges[next++];
          const done = await chunk(client, a, b);
          totals.students += b - a;
          totals.ledger += done.ledger;
          totals.credits += done.credits;
          totals.households += done.households;
          progress(
            (0.95 * totals.students) / nStudents,
            `${totals.students.toLocaleString('en-US')} / ${nStudents.toLocaleString('en-US')} students, ${totals.ledger.toLocaleString('en-US')} ledger rows`,
          );
        }
      }),
    );

    // What the triggers keep (they do not fire for a replica-role load): each student's membership
    // and the per-class totals. Idempotent, so also right when the triggers did fire.
    progress(0.95, 'class memberships and totals');
    await main.query(
      `insert into class_memberships (student_id, school_year_id, class_id, left_at)
       select s.id, c.school_year_id, s.class_id, s.left_at from students s join classes c on c.id = s.class_id
       on conflict do nothing`,
    );
    await main.query(
      `insert into class_hour_totals (class_id, school_year_id, school_id, households, compliant, earned_hours)
       select c.id, c.school_year_id, c.school_id, count(m.student_id)::int,
              (count(m.student_id) filter (where coalesce(p.earned_hours, 0) >= course_required_hours(c.school_year_id)))::int,
              coalesce(sum(p.earned_hours), 0)
       from classes c
       left join class_memberships m on m.class_id = c.id and m.left_at is null
       left join household_progress p on p.student_id = m.student_id and p.school_year_id = m.school_year_id
       group by c.id, c.school_year_id, c.school_id
       on conflict (class_id) do update set households = excluded.households, compliant = excluded.compliant, earned_hours = excluded.earned_hours`,
    );

    // Fresh statistics and visibility maps: the state autovacuum would reach on a live system.
    progress(0.96, 'vacuum and analyze');
    await Promise.all([
      workers[0].query(
        'vacuum (analyze) household_progress, students, classes, schools, districts, lectures, class_memberships, class_hour_totals',
      ),
      (workers[1] ?? workers[0]).query('vacuum (analyze) guardianships, users, household_credits'),
    ]);
    await main.query('analyze hour_ledger');
    progress(1, 'done');

    return {
      schoolYearId: yearId,
      schoolYear,
      districts: nDistricts,
      schools: nSchools,
      classes: nClasses,
      students: nStudents,
      guardians: Math.round(nStudents) + countTwoGuardianHouseholds(nStudents),
      lectures: nLectures,
      ledgerRows: totals.ledger,
      householdCredits: totals.credits,
      progressRows: totals.households,
      ms: performance.now() - started,
    };
  } finally {
    for (const client of workers) await client.end();
    await main.end();
  }
}

/** Students j with j % 5 < 3, for j in [0, n). */
function countTwoGuardianHouseholds(n: number): number {
  return Math.floor(n / 5) * 3 + Math.min(3, n % 5);
}

export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  try {
    // Skips the foreign-key triggers for this session only; needs a superuser, else the load just checks them.
    await client.query('set session_replication_role = replica');
  } catch {
    // not allowed for this role: keep the checks
  }
  return client;
}

/** A one-line progress bar on stderr, redrawn in place. */
export function progressBar(label: string): (done: number, detail: string) => void {
  const started = performance.now();
  let last = '';
  return (done, detail) => {
    const width = 30;
    const filled = Math.round(done * width);
    const text = `${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)}%  ${detail}  ${((performance.now() - started) / 1000).toFixed(0)} s`;
    if (text === last) return;
    last = text;
    process.stderr.write(process.stderr.isTTY ? `\r${text}\x1b[K${done >= 1 ? '\n' : ''}` : `${text}\n`);
  };
}

/**
 * A year (or `months`) of messages in every class group of the city, oldest month first, then
 * vacuumed so the visibility maps are set as autovacuum would leave them. Returns the rows made.
 */
export async function generateCityMessages(
  databaseUrl: string,
  options: { months: number; perClassDay?: number; onProgress?: (done: number, detail: string) => void },
): Promise<{ groups: number; messages: number; ms: number }> {
  const started = performance.now();
  const plan = planCityMessages(options);
  const progress = options.onProgress ?? (() => undefined);
  const client = await connect(databaseUrl);
  try {
    const groups = await ensureClassGroups(client);
    let messages = 0;
    for (let ago = plan.months - 1; ago >= 0; ago--) {
      progress(
        (plan.months - 1 - ago) / plan.months,
        `${messages.toLocaleString('en-US')} messages in ${groups.toLocaleString('en-US')} class groups`,
      );
      messages += await insertCityMonth(client, plan, ago);
    }
    progress(0.99, 'vacuum and analyze');
    await client.query('vacuum (analyze) messages, conversations, conversation_members');
    progress(1, `${messages.toLocaleString('en-US')} messages`);
    return { groups, messages, ms: performance.now() - started };
  } finally {
    await client.end();
  }
}

const USAGE = 'synthetic-city [--scale <f>] [--force] [--message-months <n> [--messages-per-class-day <n>]]';

function parseArgs(argv: string[]): { scale: number; force: boolean; messageMonths: number; perClassDay: number } {
  let scale = 1;
  let force = false;
  let messageMonths = 0;
  let perClassDay = 20;
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const next = () => Number(inline ?? argv[++i]);
    if (name === '--scale') scale = next();
    else if (name === '--force') force = true;
    else if (name === '--message-months') messageMonths = next();
    else if (name === '--messages-per-class-day') perClassDay = next();
    else throw new Error(`unknown argument ${argv[i]} (usage: ${USAGE})`);
  }
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  if (!(messageMonths >= 0)) throw new Error('--message-months must be 0 or more');
  return { scale, force, messageMonths, perClassDay };
}

async function main() {
  const { scale, force, messageMonths, perClassDay } = parseArgs(process.argv.slice(2));
  // Never the embedded PGlite the app falls back to: a million students need a real server, named on purpose.
  const url = loadConfig().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: name the PostgreSQL database to fill');
  const result = await generateCity(url, { scale, force, onProgress: progressBar('synthetic city') });
  console.log(
    `synthetic city (scale ${scale}, school year ${result.schoolYear}) in ${(result.ms / 1000).toFixed(1)} s: ` +
      `${result.schools.toLocaleString('en-US')} schools, ${result.classes.toLocaleString('en-US')} classes, ${result.students.toLocaleString('en-US')} students, ` +
      `${result.guardians.toLocaleString('en-US')} guardians, ${result.lectures.toLocaleString('en-US')} lectures, ${result.ledgerRows.toLocaleString('en-US')} ledger rows, ` +
      `${result.householdCredits.toLocaleString('en-US')} household credits, ${result.progressRows.toLocaleString('en-US')} progress rows`,
  );
  if (messageMonths > 0) {
    const made = await generateCityMessages(url, { months: messageMonths, perClassDay, onProgress: progressBar('city messages') });
    console.log(
      `${made.messages.toLocaleString('en-US')} messages over ${messageMonths} months in ${made.groups.toLocaleString('en-US')} class groups in ${(made.ms / 1000).toFixed(1)} s`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
