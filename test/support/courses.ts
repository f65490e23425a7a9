import type { Test } from 'supertest';
import { consentSql, type TestContext } from './harness';

/** Test helpers of the course programme: demo places, extra families, lectures with chosen times. */

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A whole minute from now, so ISO strings round-trip and job ids are predictable. */
export function minutesFromNow(minutes: number): Date {
  return new Date(Math.floor(Date.now() / MINUTE) * MINUTE + minutes * MINUTE);
}

export interface DemoPlaces {
  schoolYear: string;
  wf7: string;
  guangwen: string;
  shiyan: string;
  beichen: string;
  class1: string;
  guangwenClass: string;
  shiyanClass: string;
  kuiwen: string;
  weicheng: string;
}

export async function demoPlaces(ctx: TestContext): Promise<DemoPlaces> {
  const schools = await ctx.query<{ id: string; name: string; district: string }>(
    'select s.id::text, s.name, d.name as district from schools s join districts d on d.id = s.district_id',
  );
  const school = (name: string) => schools.find((s) => s.name === name)?.id as string;
  const classOf = async (schoolName: string, className: string) =>
    (
      await ctx.query<{ id: string }>(
        `select c.id::text from classes c join schools s on s.id = c.school_id where s.name = '${schoolName}' and c.name = '${className}'`,
      )
    )[0].id;
  const districts = await ctx.query<{ id: string; name: string }>('select id::text, name from districts');
  const [year] = await ctx.query<{ name: string }>('select name from school_years order by name desc limit 1');
  return {
    schoolYear: year.name,
    wf7: school('潍坊七中'),
    guangwen: school('广文中学'),
    shiyan: school('潍坊实验学校'),
    beichen: school('北辰中学'),
    class1: await classOf('潍坊七中', '初一(1)班'),
    guangwenClass: await classOf('广文中学', '初一(1)班'),
    shiyanClass: await classOf('潍坊实验学校', '三年级(2)班'),
    kuiwen: districts.find((d) => d.name === '奎文区')?.id as string,
    weicheng: districts.find((d) => d.name === '潍城区')?.id as string,
  };
}

let serial = 0;

/** A phone number of the 136 block, unique within this test file's database. */
export function newPhone(): string {
  serial += 1;
  return `136${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(5, '0')}`;
}

export interface Guardian {
  id: string;
  phone: string;
  name: string;
}

/** An active user who logs in with the demo password (the hash is copied from a demo account). */
export async function newUser(ctx: TestContext, name = '测试家长'): Promise<Guardian> {
  const phone = newPhone();
  const [row] = await ctx.query<{ id: string }>(
    `insert into users (phone, name, password_hash, status) select '${phone}', '${name}', password_hash, 'active' from users where phone = '13900000003' returning id::text`,
  );
  await ctx.query(consentSql(`phone = '${phone}'`));
  return { id: row.id, phone, name };
}

/** A family-education coordinator of a school (admin-api login with the demo password). */
export async function newCoordinator(ctx: TestContext, schoolId: string): Promise<Guardian> {
  const user = await newUser(ctx, '测试协调员');
  await ctx.query(
    `insert into role_assignments (user_id, role, scope_type, scope_id) values ('${user.id}', 'coordinator', 'school', '${schoolId}')`,
  );
  return user;
}

/** A student of the class; a number is added to the name, as names are unique within a class. */
export async function newStudent(ctx: TestContext, classId: string, name = '测试学生'): Promise<string> {
  serial += 1;
  const [row] = await ctx.query<{ id: string }>(
    `insert into students (class_id, name) values ('${classId}', '${name}${serial}') returning id::text`,
  );
  return row.id;
}

export async function addGuardian(ctx: TestContext, studentId: string, userId: string, relation = '母亲'): Promise<void> {
  await ctx.query(`insert into guardianships (student_id, user_id, relation) values ('${studentId}', '${userId}', '${relation}')`);
}

/** A household of its own: one student in the class and `guardians` guardians who can log in. */
export async function newFamily(
  ctx: TestContext,
  classId: string,
  guardians = 1,
  name = '测试学生',
): Promise<{ studentId: string; guardians: Guardian[] }> {
  const studentId = await newStudent(ctx, classId, name);
  const list: Guardian[] = [];
  for (let i = 0; i < guardians; i++) {
    const guardian = await newUser(ctx, i === 0 ? `${name}父亲` : `${name}母亲`);
    await addGuardian(ctx, studentId, guardian.id, i === 0 ? '父亲' : '母亲');
    list.push(guardian);
  }
  return { studentId, guardians: list };
}

export interface LectureInput {
  title?: string;
  series?: string;
  mode?: 'offline' | 'live' | 'replay' | 'hybrid';
  audience?: Record<string, unknown>;
  startsAt: Date;
  endsAt: Date;
  capacity?: number;
  registrationCutoff?: Date;
  creditHours?: number;
  streamUrl?: string;
  replayUrl?: string;
  planId?: string;
  makeupOf?: string;
  venue?: string;
  /** Presence rule; unset: lenient (see createLecture), null: the platform default. */
  lateCheckinMinutes?: number | null;
  minPresencePercent?: number | null;
}

export interface LectureBody {
  id: string;
  title: string;
  series: string;
  mode: string;
  startsAt: string;
  endsAt: string;
  creditHours: number;
  status: string;
  capacity: number | null;
  registered: number;
  planId: string | null;
}

let lectureSerial = 0;

/**
 * Creates a lecture through admin-api (by default an offline one for the school, worth 2 hours or
 * its length if shorter) and publishes it. Tests that check in and out within seconds while moving
 * the lecture in time get a lenient presence rule unless they set one (test/presence.e2e-spec.ts
 * tests the rule itself).
 */
export async function createLecture(
  ctx: TestContext,
  token: string,
  schoolId: string,
  input: LectureInput,
  publish = true,
): Promise<LectureBody> {
  lectureSerial += 1;
  const lengthHours = Math.floor(((input.endsAt.getTime() - input.startsAt.getTime()) / HOUR) * 2) / 2;
  const presence = {
    lateCheckinMinutes: input.lateCheckinMinutes === undefined ? 240 : input.lateCheckinMinutes,
    minPresencePercent: input.minPresencePercent === undefined ? 0 : input.minPresencePercent,
  };
  const created = await ctx
    .admin()
    .post('/lectures')
    .set(auth(token))
    .send({
      series: input.series ?? 'parents_forum',
      title: input.title ?? `测试讲座 ${lectureSerial}`,
      audience: input.audience ?? { scope: 'school', schoolId },
      mode: input.mode ?? 'offline',
      startsAt: input.startsAt.toISOString(),
      endsAt: input.endsAt.toISOString(),
      creditHours: input.creditHours ?? Math.max(0.5, Math.min(2, lengthHours)),
      venue: input.venue ?? '报告厅',
      ...(presence.lateCheckinMinutes !== null ? { lateCheckinMinutes: presence.lateCheckinMinutes } : {}),
      ...(presence.minPresencePercent !== null ? { minPresencePercent: presence.minPresencePercent } : {}),
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
      ...(input.registrationCutoff ? { registrationCutoff: input.registrationCutoff.toISOString() } : {}),
      ...(input.streamUrl ? { streamUrl: input.streamUrl } : {}),
      ...(input.replayUrl ? { replayUrl: input.replayUrl } : {}),
      ...(input.planId ? { planId: input.planId } : {}),
      ...(input.makeupOf ? { makeupOf: input.makeupOf } : {}),
    });
  if (created.status !== 201) throw new Error(`POST /lectures: ${created.status} ${JSON.stringify(created.body)}`);
  if (!publish) return created.body as LectureBody;
  const published = await ctx.admin().post(`/lectures/${created.body.id}/publish`).set(auth(token));
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body as LectureBody;
}

/** Moves a lecture in time behind the service's back, as the clock would. */
export async function setTimes(ctx: TestContext, lectureId: string, startsAt: Date, endsAt: Date): Promise<void> {
  await ctx.query(
    `update lectures set starts_at = '${startsAt.toISOString()}', ends_at = '${endsAt.toISOString()}' where id = '${lectureId}'`,
  );
}

/** Supertest keeps binary bodies (PDF, XLSX) as Buffers with this parser. */
export const binary: Parameters<Test['parse']>[0] = (response, callback) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** Retries an assertion until it holds (for work another process finishes), failing with its last error. */
export async function eventually<T>(check: () => Promise<T>, attempts = 100, pauseMs = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await check();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  throw last;
}
