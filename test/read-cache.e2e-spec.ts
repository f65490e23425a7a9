import { Client } from 'pg';
import { issueToken } from '@jiaxiao/courses';
import { auth, createLecture, demoPlaces, MINUTE, minutesFromNow } from './support/courses';
import { freshFamily, Family } from './support/families';
import { createTestContext, TestContext } from './support/harness';
import { testEnv } from './support/env';

// The read caches listen to PostgreSQL's notifications; with the embedded PGlite nothing is cached.
const describeOnPostgres = testEnv.databaseUrl ? describe : describe.skip;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (a notification from another connection arrives a moment after its commit). */
async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
}

interface Household {
  studentId: string;
  studentName: string;
  className: string;
}

describeOnPostgres("read caches (a caller's session and places, a family's course hours, a lecture)", () => {
  let ctx: TestContext;
  /** Another process's connection: its writes reach the apps only through the change feed. */
  let other: Client;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    other = new Client({ connectionString: ctx.config.DATABASE_URL });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await ctx?.close();
  });

  const courseHours = (family: Family) => ctx.parent().get('/me/course-hours').set('Authorization', `Bearer ${family.token}`);
  const households = async (family: Family): Promise<Household[]> => {
    const response = await courseHours(family).expect(200);
    return response.body.households as Household[];
  };
  /** parent-api's read_cache_reads_total for one cache and outcome. */
  const cacheReads = async (cache: string, outcome: string): Promise<number> => {
    const text = await (await fetch(`${ctx.urls.parent}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`read_cache_reads_total{cache="${cache}",outcome="${outcome}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  /** A published offline lecture of 潍坊七中 (freshFamily's school) for the next day, and the venue's current code. */
  const schoolLecture = async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const startsAt = minutesFromNow(24 * 60);
    const lecture = await createLecture(ctx, coordinator, (await demoPlaces(ctx)).wf7, {
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 60 * MINUTE),
    });
    const venue = async () => {
      const [{ secret }] = await ctx.query<{ secret: string }>(`select checkin_secret as secret from lectures where id = '${lecture.id}'`);
      return issueToken(secret, lecture.id, new Date()).token;
    };
    return { id: lecture.id, venue };
  };
  /** Times a lecture: started `startedAgo` minutes ago, ends in `endsIn`. */
  const running = (startedAgo: number, endsIn: number) =>
    `set starts_at = now() - interval '${startedAgo} minutes', ends_at = now() + interval '${endsIn} minutes'`;
  /** Keeps the listening session busy for `seconds`: PostgreSQL hands it notifications only once it is idle again. */
  const holdNotifications = async (seconds: number): Promise<{ done: Promise<unknown> }> => {
    const listening = (ctx.infra.changes as unknown as { client: Client }).client;
    const done = listening.query(`select pg_sleep(${seconds})`);
    await eventually(async () => {
      const { rows } = await other.query(
        `select 1 from pg_stat_activity where application_name = 'jiaxiao change feed' and datname = current_database() and query like 'select pg_sleep%' and state = 'active'`,
      );
      return rows.length > 0;
    }, 'the listening session is busy');
    return { done };
  };
  /** A write the triggers do not see (as if made before they existed): only the cache can hide it. */
  const unnoticed = async (text: string) => {
    await other.query('begin');
    await other.query('set local session_replication_role = replica');
    await other.query(text);
    await other.query('commit');
  };

  it('answers a read again from memory, until the database notifies a change to what it depends on', async () => {
    await eventually(async () => ctx.infra.changes.live, 'the change feed listens');
    const family = await freshFamily(ctx);
    expect((await households(family))[0].studentName).toBe(family.studentName);

    await unnoticed(`update students set name = '缓存学生' where id = '${family.studentId}'`);
    // Kept: the unnoticed write does not show.
    expect((await households(family))[0].studentName).toBe(family.studentName);
    expect(await cacheReads('course_hours', 'hit')).toBeGreaterThan(0);

    await other.query(`select pg_notify('jx_changes', 'student:${family.studentId}')`);
    await eventually(async () => (await households(family))[0].studentName === '缓存学生', 'the notified change shows');
  });

  it("shows another process's committed change a moment later: a revoked session ends, a moved class shows", async () => {
    const family = await freshFamily(ctx);
    const second = await freshFamily(ctx);
    await households(family);
    await households(second);

    await other.query(`update auth_sessions set revoked_at = now(), revoked_reason = 'logout' where user_id = '${family.userId}'`);
    await eventually(async () => (await courseHours(family)).status === 401, 'the revoked session is refused');

    const [{ id: otherClass, name }] = (
      await other.query<{ id: string; name: string }>(
        `select c.id, c.name from classes c where c.school_id = (select school_id from classes where id = '${second.classId}') and c.id <> '${second.classId}' limit 1`,
      )
    ).rows;
    await other.query(`update students set class_id = '${otherClass}' where id = '${second.studentId}'`);
    await eventually(async () => (await households(second))[0].className === name, 'the new class shows');
  });

  it("shows this process's own writes to the very next read, with no wait", async () => {
    const family = await freshFamily(ctx, { children: 2 });
    expect((await households(family)).map((h) => h.studentId).sort()).toEqual(family.children.map((c) => c.id).sort());

    // Through this process's pool, as a service of any app here would write.
    await ctx.query(`delete from guardianships where user_id = '${family.userId}' and student_id = '${family.children[1].id}'`);
    expect((await households(family)).map((h) => h.studentId)).toEqual([family.children[0].id]);

    await ctx.query(`update classes set name = '初一(1)班·改' where id = '${family.classId}'`);
    expect((await households(family))[0].className).toBe('初一(1)班·改');
    await ctx.query(`update classes set name = '初一(1)班' where id = '${family.classId}'`);

    await ctx.parent().post('/auth/logout').set('Authorization', `Bearer ${family.token}`).expect(204);
    expect((await courseHours(family)).body.code).toBe('TOKEN_INVALID');
  });

  it('catches up before a read that follows a write of this process, even when the notification is late', async () => {
    const family = await freshFamily(ctx, { signIn: false });
    const heard: string[] = [];
    const unsubscribe = ctx.infra.changes.subscribe({ changed: (payload) => heard.push(payload), reset: () => undefined });
    try {
      const { done: busy } = await holdNotifications(2);
      await ctx.query(`update students set name = '迟到的通知' where id = '${family.studentId}'`);
      expect(heard).not.toContain(`student:${family.studentId}`);
      await ctx.infra.changes.caughtUp();
      expect(heard).toContain(`student:${family.studentId}`);
      await busy;
    } finally {
      unsubscribe();
    }
  });

  it("keeps the caller's own view (GET /me) until the account, a child or a place changes", async () => {
    const family = await freshFamily(ctx);
    const me = async () =>
      (await ctx.parent().get('/me').set('Authorization', `Bearer ${family.token}`).expect(200)).body as {
        name: string;
        children: { id: string; name: string; className: string }[];
      };
    expect((await me()).children.map((c) => c.name)).toEqual([family.studentName]);

    await unnoticed(`update users set name = '缓存家长' where id = '${family.userId}'`);
    expect((await me()).name).toBe(family.name);
    expect(await cacheReads('me', 'hit')).toBeGreaterThan(0);
    await other.query(`select pg_notify('jx_changes', 'user:${family.userId}')`);
    await eventually(async () => (await me()).name === '缓存家长', "the account's notified change shows");

    await other.query(`update students set name = '改名学生' where id = '${family.studentId}'`);
    await eventually(async () => (await me()).children[0]?.name === '改名学生', "a child's committed change shows");

    // Its consent withdrawn by this process, the account's view shows no child at the very next read.
    await ctx.query(`update consents set withdrawn_at = now() where user_id = '${family.userId}'`);
    expect((await me()).children).toEqual([]);
  });

  it('reads every request afresh while the feed is down, and caches again once it is back', async () => {
    const family = await freshFamily(ctx);
    await households(family);
    await other.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where application_name = 'jiaxiao change feed' and datname = current_database()`,
    );
    await eventually(async () => !ctx.infra.changes.live, 'the feed notices it is down');

    const bypassed = await cacheReads('course_hours', 'bypass');
    await unnoticed(`update students set name = '断线学生' where id = '${family.studentId}'`);
    expect((await households(family))[0].studentName).toBe('断线学生');
    expect(await cacheReads('course_hours', 'bypass')).toBeGreaterThan(bypassed);

    await eventually(async () => ctx.infra.changes.live, 'the feed is back');
    await households(family);
    await unnoticed(`update students set name = '复原学生' where id = '${family.studentId}'`);
    expect((await households(family))[0].studentName).toBe('断线学生');
  });

  it("keeps a lecture for its access rule until any lecture changes, and shows this process's own change at once", async () => {
    const family = await freshFamily(ctx);
    const lecture = await schoolLecture();
    const checkIn = async () =>
      ctx
        .parent()
        .post(`/lectures/${lecture.id}/check-in`)
        .set(auth(family.token))
        .send({ token: await lecture.venue() });
    expect((await checkIn()).body.code).toBe('CHECKIN_NOT_OPEN');

    // Another process opens it behind the triggers' back: the kept lecture still says it has not begun.
    const hits = await cacheReads('lecture', 'hit');
    await unnoticed(`update lectures ${running(30, 90)} where id = '${lecture.id}'`);
    expect((await checkIn()).body.code).toBe('CHECKIN_NOT_OPEN');
    expect(await cacheReads('lecture', 'hit')).toBeGreaterThan(hits);
    await other.query(`select pg_notify('jx_changes', 'courses')`);
    await eventually(async () => (await checkIn()).status === 200, 'the notified lecture opens');

    // Closed again by this process: the very next scan reads it afresh.
    const second = await freshFamily(ctx);
    await ctx.query(
      `update lectures set starts_at = now() + interval '1 day', ends_at = now() + interval '1 day 2 hours' where id = '${lecture.id}'`,
    );
    const refused = await ctx
      .parent()
      .post(`/lectures/${lecture.id}/check-in`)
      .set(auth(second.token))
      .send({ token: await lecture.venue() });
    expect(refused.body.code).toBe('CHECKIN_NOT_OPEN');
  });

  it("shows a check-out's credit in the parent's very next course-hours read, even when the notification is late", async () => {
    const family = await freshFamily(ctx);
    const lecture = await schoolLecture();
    await ctx.query(`update lectures ${running(115, 5)} where id = '${lecture.id}'`);
    const scan = async (kind: 'check-in' | 'check-out') =>
      (
        await ctx
          .parent()
          .post(`/lectures/${lecture.id}/${kind}`)
          .set(auth(family.token))
          .send({ token: await lecture.venue() })
          .expect(200)
      ).body as { credited: number };
    await scan('check-in');
    const earned = async () => (await courseHours(family).expect(200)).body.households[0].earnedHours as number;
    expect(await earned()).toBe(0);
    // Kept (a read that overlapped the lecture's own notifications is not): answered from memory.
    await eventually(async () => {
      const hits = await cacheReads('course_hours', 'hit');
      return (await earned()) === 0 && (await cacheReads('course_hours', 'hit')) > hits;
    }, 'the hours are kept');

    const { done } = await holdNotifications(2);
    // The check-out's statement writes through CTEs (PostgreSQL tags it SELECT): the read after it still catches up first.
    expect((await scan('check-out')).credited).toBe(2);
    expect(await earned()).toBe(2);
    await done;
  });
});
