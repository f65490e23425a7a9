import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, DemoPlaces, demoPlaces, HOUR, minutesFromNow, newFamily } from './support/courses';

interface LecturePage {
  items: { id: string; title: string; series: string; status: string; startsAt: string; creditHours: number; venue: string | null }[];
  nextCursor: null;
  total: number;
}

interface RosterPage {
  class: { id: string };
  students: { id: string; name: string; guardians: { name: string; phone: string; status: string }[] }[];
  total: number;
}

/** Server-side paging, sorting and filters of the console's big tables: GET /lectures and a class roster. */
describe('admin-api list routes: pages, sorts and filters', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let classId: string;
  /** the five lectures this file creates at 潍坊七中, titled 分页讲座 1 … 5, a day apart */
  let created: string[];

  const lectures = async (query: string) =>
    (
      await ctx
        .admin()
        .get(`/lectures?${encodeURI(query)}`)
        .set(auth(coordinator))
        .expect(200)
    ).body as LecturePage;
  const roster = async (query: string) =>
    (
      await ctx
        .admin()
        .get(`/classes/${classId}/students?${encodeURI(query)}`)
        .set(auth(coordinator))
        .expect(200)
    ).body as RosterPage;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
    created = [];
    for (let i = 1; i <= 5; i++) {
      const startsAt = minutesFromNow(i * 24 * 60);
      const lecture = await createLecture(
        ctx,
        coordinator,
        places.wf7,
        {
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * HOUR),
          series: 'school_course',
          title: `分页讲座 ${i}`,
          venue: i === 3 ? '七中_礼堂' : '七中报告厅',
        },
        i !== 5,
      );
      created.push(lecture.id);
    }
    classId = (
      await ctx.admin().post(`/schools/${places.wf7}/classes`).set(auth(coordinator)).send({ grade: 8, name: '分页测试班' }).expect(201)
    ).body.id as string;
    // newFamily numbers the names: 丁一…, 王二… (two guardians), 张三…
    for (const name of ['丁一', '王二', '张三']) await newFamily(ctx, classId, name === '王二' ? 2 : 1, name);
  });
  afterAll(() => ctx?.close());

  it('lists every lecture of the year in one page without `page`, with the total', async () => {
    const all = await lectures('');
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((l) => l.id)).toEqual(expect.arrayContaining(created));
    expect(all.nextCursor).toBeNull();
  });

  it('pages, sorts and filters lectures on the server', async () => {
    const mine = 'q=分页讲座&sort=startsAt&pageSize=2';
    const first = await lectures(`${mine}&page=1`);
    expect(first.total).toBe(5);
    expect(first.items.map((l) => l.id)).toEqual(created.slice(0, 2));
    expect((await lectures(`${mine}&page=3`)).items.map((l) => l.id)).toEqual([created[4]]);
    expect((await lectures(`${mine}&page=4`)).items).toEqual([]);
    expect((await lectures('q=分页讲座&sort=-startsAt&page=1&pageSize=2')).items.map((l) => l.id)).toEqual([created[4], created[3]]);
    expect((await lectures('q=分页讲座&sort=-title&page=1')).items.map((l) => l.title)).toEqual([
      '分页讲座 5',
      '分页讲座 4',
      '分页讲座 3',
      '分页讲座 2',
      '分页讲座 1',
    ]);

    const drafts = await lectures('q=分页讲座&status=draft&page=1');
    expect({ total: drafts.total, ids: drafts.items.map((l) => l.id) }).toEqual({ total: 1, ids: [created[4]] });
    const forum = await lectures('q=分页讲座&series=parents_forum&page=1');
    expect(forum.total).toBe(0);
    // The search matches the venue too, and its wildcards are literal.
    expect((await lectures('q=七中_礼堂&page=1')).items.map((l) => l.id)).toEqual([created[2]]);
    expect((await lectures('q=七中%礼&page=1')).total).toBe(0);
    // A window of start times: the calendar's month.
    const from = minutesFromNow(2 * 24 * 60 - 60).toISOString();
    const to = minutesFromNow(4 * 24 * 60 - 60).toISOString();
    expect((await lectures(`q=分页讲座&from=${from}&to=${to}`)).items.map((l) => l.id)).toEqual([created[1], created[2]]);
  });

  it('refuses bad paging parameters with VALIDATION_FAILED', async () => {
    for (const query of ['page=0', 'pageSize=201', 'sort=venue', 'status=open', 'from=yesterday']) {
      const res = await ctx.admin().get(`/lectures?${query}`).set(auth(coordinator)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    for (const query of ['page=-1', 'sort=age', 'guardianStatus=gone']) {
      expect((await ctx.admin().get(`/classes/${classId}/students?${query}`).set(auth(coordinator)).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
    }
  });

  it('pages, sorts and searches a class roster on the server', async () => {
    const whole = await roster('');
    expect(whole.total).toBe(3);
    expect((await roster('sort=name')).students).toEqual(whole.students);

    const first = await roster('page=1&pageSize=2');
    const second = await roster('page=2&pageSize=2');
    expect(first.total).toBe(3);
    expect([...first.students, ...second.students].map((s) => s.id)).toEqual(whole.students.map((s) => s.id));
    expect(second.students).toHaveLength(1);
    expect((await roster('sort=-name')).students.map((s) => s.id)).toEqual([...whole.students].reverse().map((s) => s.id));
    expect((await roster('sort=-guardians&page=1&pageSize=1')).students.map((s) => s.name)).toEqual([expect.stringMatching(/^王二/)]);

    const byStudent = await roster('q=张三');
    expect({ total: byStudent.total, names: byStudent.students.map((s) => s.name) }).toEqual({
      total: 1,
      names: [expect.stringMatching(/^张三/)],
    });
    const guardian = whole.students.find((s) => s.name.startsWith('王二'))?.guardians[1];
    expect(guardian?.phone).toMatch(/^1\d{10}$/);
    expect((await roster(`q=${guardian?.phone.slice(-5)}`)).students.map((s) => s.name)).toEqual([expect.stringMatching(/^王二/)]);
    expect((await roster('guardianStatus=disabled')).total).toBe(0);
    expect((await roster('guardianStatus=active')).total).toBe(3);
  });
});
