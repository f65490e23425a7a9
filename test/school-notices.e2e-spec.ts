import { setTimeout as sleep } from 'node:timers/promises';
import { eventually as untilPasses } from './support/courses';
import { createTestContext, TestContext } from './support/harness';

interface Notice {
  id: string;
  audience: string;
  title: string;
  recipientCount: number | null;
  readAt: string | null;
  ackedAt: string | null;
}

interface Rollup {
  total: number;
  read: number;
  confirmed: number;
  groups: { id: string; name: string; grade: number | null; total: number; read: number; confirmed: number }[];
}

/**
 * School notices (校务公开) through the real apps: a coordinator posts to the families of the
 * school (or some grades or classes) without being in their class groups, the worker fans it
 * out to every guardian's inbox, families confirm, receipts roll up per class; a district posts
 * to its coordinators.
 */
describe('school notices (admin-api, parent-api, worker)', () => {
  let ctx: TestContext;
  const tokens = new Map<string, string>();
  const ids = {} as { qz: string; gw: string; kuiwen: string; class1: string; class2: string; gwClass: string; xiaoyu: string };

  async function token(phone: string, api: 'parent' | 'admin'): Promise<string> {
    const key = `${api}:${phone}`;
    if (!tokens.has(key)) tokens.set(key, await ctx.login(phone, api));
    return tokens.get(key) as string;
  }
  const admin = async (phone: string) => ({ Authorization: `Bearer ${await token(phone, 'admin')}` });
  const parent = async (phone: string) => ({ Authorization: `Bearer ${await token(phone, 'parent')}` });

  async function post(phone: string, body: Record<string, unknown>): Promise<Notice> {
    const res = await ctx
      .admin()
      .post('/school-notices')
      .set(await admin(phone))
      .send({ title: '校务公开：本学期收费项目', body: '本学期除教材费外不收取任何费用。', needsAck: true, ...body });
    expect(res.status).toBe(201);
    return res.body as Notice;
  }

  /** Polls until the worker has fanned the notice out. */
  async function fannedOut(noticeId: string, phone = '13900000001'): Promise<Notice> {
    for (;;) {
      const res = await ctx
        .admin()
        .get(`/school-notices/${noticeId}`)
        .set(await admin(phone))
        .expect(200);
      if (res.body.recipientCount !== null) return res.body as Notice;
      await sleep(50);
    }
  }

  async function eventually<T>(text: string): Promise<T[]> {
    for (;;) {
      const rows = await ctx.query<T>(text);
      if (rows.length > 0) return rows;
      await sleep(50);
    }
  }

  /** Guardians of the school's students in this year's open classes (optionally of some classes). */
  async function guardiansOf(schoolId: string, classIds?: string[]): Promise<string[]> {
    const rows = await ctx.query<{ user_id: string }>(`
      select distinct g.user_id::text from guardianships g join students s on s.id = g.student_id join classes c on c.id = s.class_id
      join school_years y on y.id = c.school_year_id
      where c.school_id = '${schoolId}' and y.starts_on <= current_date and y.ends_on >= current_date and s.left_at is null and c.archived_at is null
      ${classIds ? `and c.id in (${classIds.map((id) => `'${id}'`).join(',')})` : ''}`);
    return rows.map((r) => r.user_id).sort();
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'], env: { FAMILY_QUIET_HOURS: '00:00-00:00' } });
    const rows = await ctx.query<{ school: string; class: string; id: string; school_id: string; district_id: string }>(
      'select s.name as school, c.name as class, c.id::text, s.id::text as school_id, s.district_id::text from classes c join schools s on s.id = c.school_id',
    );
    const place = (school: string, name: string) => rows.find((c) => c.school === school && c.class === name) as (typeof rows)[number];
    const [xiaoyu] = await ctx.query<{ id: string }>("select id::text from students where name = '陈小雨'");
    Object.assign(ids, {
      qz: place('潍坊七中', '初一(1)班').school_id,
      gw: place('广文中学', '初一(1)班').school_id,
      kuiwen: place('潍坊七中', '初一(1)班').district_id,
      class1: place('潍坊七中', '初一(1)班').id,
      class2: place('潍坊七中', '初一(2)班').id,
      gwClass: place('广文中学', '初一(1)班').id,
      xiaoyu: xiaoyu.id,
    });
  });
  afterAll(() => ctx.close());

  it('reaches every family of the school in their inbox and notice feed, without the coordinator joining any class group', async () => {
    const notice = await post('13900000001', { audience: 'families', schoolId: ids.qz });
    expect(notice).toMatchObject({ audience: 'families', recipientCount: null, readAt: null, ackedAt: null });
    const done = await fannedOut(notice.id);

    const expected = await guardiansOf(ids.qz);
    const recipients = await ctx.query<{ user_id: string }>(
      `select user_id::text from school_notice_recipients where notice_id = '${notice.id}' order by 1`,
    );
    expect(recipients.map((r) => r.user_id).sort()).toEqual(expected);
    expect(done.recipientCount).toBe(expected.length);
    const inbox = await ctx.query<{ user_id: string }>(
      `select user_id::text from notifications where kind = 'school_notice.new' and data->>'schoolNoticeId' = '${notice.id}'`,
    );
    expect(inbox.map((r) => r.user_id).sort()).toEqual(expected);
    // The recipients are counted when the fan-out commits; its pushes go out right after.
    await untilPasses(async () => {
      const [pushed] = await ctx.query<{ n: number }>(`
      select count(*)::int as n from notification_deliveries d join notifications n on n.id = d.notification_id
      where d.channel = 'realtime' and d.status = 'sent' and n.data->>'schoolNoticeId' = '${notice.id}'`);
      expect(pushed.n).toBe(expected.length);
    });
    const member = await ctx.query(`
      select 1 from conversation_members m join conversations c on c.id = m.conversation_id
      where c.kind = 'class_group' and m.user_id = (select id from users where phone = '13900000001')`);
    expect(member).toEqual([]);

    const feed = await ctx
      .parent()
      .get('/school-notices')
      .set(await parent('13900000003'))
      .expect(200);
    expect(feed.body.items[0]).toMatchObject({
      id: notice.id,
      schoolName: '潍坊七中',
      senderName: '王秀英',
      needsAck: true,
      readAt: null,
      ackedAt: null,
    });
    const notifications = await ctx
      .parent()
      .get('/notifications')
      .set(await parent('13900000003'))
      .expect(200);
    expect(notifications.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'school_notice.new', data: expect.objectContaining({ schoolNoticeId: notice.id }) }),
      ]),
    );

    // 赵敏's child is at 广文中学: the notice does not exist for her.
    const outsider = await ctx
      .parent()
      .get(`/school-notices/${notice.id}`)
      .set(await parent('13900000005'));
    expect({ status: outsider.status, code: outsider.body.code }).toEqual({ status: 404, code: 'SCHOOL_NOTICE_NOT_FOUND' });
    const outsiderFeed = await ctx
      .parent()
      .get('/school-notices')
      .set(await parent('13900000005'))
      .expect(200);
    expect(outsiderFeed.body.items.map((n: Notice) => n.id)).not.toContain(notice.id);
  });

  it('rolls 回执 up per class, a family once whichever guardian confirms; reminds only the families not confirmed', async () => {
    const notice = await post('13900000001', { audience: 'families', schoolId: ids.qz });
    await fannedOut(notice.id);
    const rollup = async (): Promise<Rollup> =>
      (
        await ctx
          .admin()
          .get(`/school-notices/${notice.id}/rollup`)
          .set(await admin('13900000001'))
          .expect(200)
      ).body;
    const before = await rollup();
    const [{ n: families }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from school_notice_families where notice_id = '${notice.id}'`,
    );
    expect(before).toMatchObject({ total: families, read: 0, confirmed: 0 });
    const class1 = () => before.groups.find((g) => g.id === ids.class1);
    expect(class1()).toMatchObject({ name: '初一(1)班', grade: 7, confirmed: 0 });

    const opened = await ctx
      .parent()
      .get(`/school-notices/${notice.id}`)
      .set(await parent('13900000003'))
      .expect(200);
    expect(opened.body.readAt).not.toBeNull();
    const ack = await ctx
      .parent()
      .post(`/school-notices/${notice.id}/ack`)
      .set(await parent('13900000003'))
      .expect(200);
    const again = await ctx
      .parent()
      .post(`/school-notices/${notice.id}/ack`)
      .set(await parent('13900000003'))
      .expect(200);
    expect(again.body.ackedAt).toBe(ack.body.ackedAt);

    const after = await rollup();
    expect(after.groups.find((g) => g.id === ids.class1)).toMatchObject({ total: class1()?.total, read: 1, confirmed: 1 });
    expect(after.groups.find((g) => g.id === ids.class2)).toMatchObject({ confirmed: 0 });
    expect(after.confirmed).toBe(1);

    const pending = await ctx
      .admin()
      .get(`/school-notices/${notice.id}/pending?groupId=${ids.class1}`)
      .set(await admin('13900000001'))
      .expect(200);
    expect(pending.body.map((p: { id: string }) => p.id)).not.toContain(ids.xiaoyu);
    expect(pending.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: '刘子涵', groupName: '初一(1)班' })]));
    expect(pending.body).toHaveLength((class1()?.total ?? 0) - 1);

    const remind = await ctx
      .admin()
      .post(`/school-notices/${notice.id}/remind`)
      .set(await admin('13900000001'))
      .expect(200);
    expect(remind.body).toEqual({ noticeId: notice.id, pending: families - 1 });
    const tooSoon = await ctx
      .admin()
      .post(`/school-notices/${notice.id}/remind`)
      .set(await admin('13900000001'));
    expect({ status: tooSoon.status, code: tooSoon.body.code }).toEqual({ status: 429, code: 'NOTICE_REMIND_TOO_SOON' });
    const reminded = await eventually<{ phone: string }>(`
      select u.phone from notifications n join users u on u.id = n.user_id where n.kind = 'school_notice.remind' and n.data->>'schoolNoticeId' = '${notice.id}'`);
    const phones = reminded.map((r) => r.phone);
    expect(phones).toContain('13900000004');
    expect(phones).not.toContain('13900000003');
  });

  it('goes to chosen classes or grades only', async () => {
    const byClass = await fannedOut((await post('13900000001', { audience: 'families', schoolId: ids.qz, classIds: [ids.class2] })).id);
    const recipients = await ctx.query<{ user_id: string }>(
      `select user_id::text from school_notice_recipients where notice_id = '${byClass.id}'`,
    );
    expect(recipients.map((r) => r.user_id).sort()).toEqual(await guardiansOf(ids.qz, [ids.class2]));

    const byGrade = await fannedOut((await post('13900000001', { audience: 'families', schoolId: ids.qz, grades: [8] })).id);
    const classes = await ctx.query<{ grade: number }>(
      `select distinct c.grade from school_notice_families f join classes c on c.id = f.class_id where f.notice_id = '${byGrade.id}'`,
    );
    expect(classes.every((c) => c.grade === 8)).toBe(true);
    const chen = await ctx.query(
      `select 1 from school_notice_recipients where notice_id = '${byGrade.id}' and user_id = (select id from users where phone = '13900000003')`,
    );
    expect(chen).toEqual([]);
  });

  it('a district admin reaches the coordinators of the district’s schools, who confirm on admin-api', async () => {
    const notice = await post('13900000006', { audience: 'coordinators', districtId: ids.kuiwen, title: '关于报送家长学校工作总结的通知' });
    const done = await fannedOut(notice.id, '13900000006');
    const expected = await ctx.query<{ user_id: string }>(`
      select distinct ra.user_id::text from role_assignments ra join schools s on s.id = ra.scope_id
      where ra.role = 'coordinator' and ra.scope_type = 'school' and s.district_id = '${ids.kuiwen}' order by 1`);
    const recipients = await ctx.query<{ user_id: string }>(
      `select user_id::text from school_notice_recipients where notice_id = '${notice.id}' order by 1`,
    );
    expect(recipients).toEqual(expected);
    expect(done.recipientCount).toBe(expected.length);

    const received = await ctx
      .admin()
      .get('/school-notices/received')
      .set(await admin('13900000001'))
      .expect(200);
    expect(received.body.items[0]).toMatchObject({ id: notice.id, audience: 'coordinators', senderName: '孙海涛' });
    await ctx
      .admin()
      .post(`/school-notices/${notice.id}/ack`)
      .set(await admin('13900000001'))
      .expect(200);
    const rollup = await ctx
      .admin()
      .get(`/school-notices/${notice.id}/rollup`)
      .set(await admin('13900000006'))
      .expect(200);
    expect(rollup.body.groups).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.qz, name: '潍坊七中', confirmed: 1 })]));
    // A recipient confirms but does not manage: the receipts of others stay with the district.
    const peek = await ctx
      .admin()
      .get(`/school-notices/${notice.id}/rollup`)
      .set(await admin('13900000001'));
    expect({ status: peek.status, code: peek.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    // 北辰中学 is in 潍城区: not a recipient.
    const beichen = await ctx
      .admin()
      .get(`/school-notices/${notice.id}`)
      .set(await admin('13900000067'));
    expect(beichen.status).toBe(404);
  });

  it('refuses bad input with a clear 4xx', async () => {
    const h = await admin('13900000001');
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['no school', { audience: 'families' }, 400, 'VALIDATION_FAILED'],
      ['unknown audience', { audience: 'everyone', schoolId: ids.qz }, 400, 'VALIDATION_FAILED'],
      ['grade 13', { audience: 'families', schoolId: ids.qz, grades: [13] }, 400, 'VALIDATION_FAILED'],
      ['empty title', { audience: 'families', schoolId: ids.qz, title: '' }, 400, 'VALIDATION_FAILED'],
      ['not a uuid', { audience: 'families', schoolId: ids.qz, classIds: ['初一(1)班'] }, 400, 'VALIDATION_FAILED'],
      ['another school’s class', { audience: 'families', schoolId: ids.qz, classIds: [ids.gwClass] }, 404, 'CLASS_NOT_FOUND'],
      ['unknown school', { audience: 'families', schoolId: '00000000-0000-4000-8000-000000000000' }, 404, 'SCHOOL_NOT_FOUND'],
      ['grades on a coordinator notice', { audience: 'coordinators', grades: [7] }, 403, 'SCHOOL_NOTICE_AUDIENCE_INVALID'],
    ];
    for (const [what, body, status, code] of cases) {
      const res = await ctx
        .admin()
        .post('/school-notices')
        .set(h)
        .send({ title: '通知', body: '内容', ...body });
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
    }
    const plain = await post('13900000001', { audience: 'families', schoolId: ids.qz, needsAck: false, classIds: [ids.class1] });
    await fannedOut(plain.id);
    const ack = await ctx
      .parent()
      .post(`/school-notices/${plain.id}/ack`)
      .set(await parent('13900000003'));
    expect({ status: ack.status, code: ack.body.code }).toEqual({ status: 409, code: 'NOT_A_NOTICE' });
    const missing = await ctx
      .parent()
      .get('/school-notices/00000000-0000-4000-8000-000000000000')
      .set(await parent('13900000003'));
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'SCHOOL_NOTICE_NOT_FOUND' });
  });

  it('carries the files its sender uploaded: the notice’s readers download them, nobody else; another’s file or too many are refused', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
    const upload = await ctx
      .parent()
      .post('/uploads')
      .set(await parent('13900000001'))
      .attach('file', pdf, '收费公示.pdf')
      .expect(201);
    const fileId = upload.body.id as string;
    const notice = await post('13900000001', { audience: 'families', schoolId: ids.qz, classIds: [ids.class1], fileIds: [fileId] });
    const attachment = { fileId, name: '收费公示.pdf', mime: 'application/pdf', size: pdf.length, url: `/files/${fileId}` };
    expect((notice as unknown as { attachments: unknown[] }).attachments).toEqual([attachment]);
    await fannedOut(notice.id);

    // A family of the class reads it and downloads the file; so does the district that manages the school.
    const opened = await ctx
      .parent()
      .get(`/school-notices/${notice.id}`)
      .set(await parent('13900000003'))
      .expect(200);
    expect(opened.body.attachments).toEqual([attachment]);
    const feed = await ctx
      .parent()
      .get('/school-notices')
      .set(await parent('13900000003'))
      .expect(200);
    expect(feed.body.items.find((n: Notice) => n.id === notice.id).attachments).toEqual([attachment]);
    const file = await ctx
      .parent()
      .get(`/files/${fileId}`)
      .set(await parent('13900000003'))
      .expect(200);
    expect(
      Buffer.from(file.body as Buffer)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await ctx
      .parent()
      .get(`/files/${fileId}`)
      .set(await parent('13900000006'))
      .expect(200);
    // 赵敏 (广文中学) and 北辰中学's coordinator are neither recipients nor managers.
    for (const outsider of ['13900000005', '13900000067']) {
      const denied = await ctx
        .parent()
        .get(`/files/${fileId}`)
        .set(await parent(outsider));
      expect({ outsider, status: denied.status, code: denied.body.code }).toEqual({ outsider, status: 403, code: 'FORBIDDEN' });
    }

    // Only one's own uploads (attaching shares them), at most 9, by id.
    const parentsFile = await ctx
      .parent()
      .post('/uploads')
      .set(await parent('13900000003'))
      .attach('file', pdf, 'mine.pdf')
      .expect(201);
    const h = await admin('13900000001');
    const cases: [string, unknown, number, string][] = [
      ['another’s upload', [parentsFile.body.id], 404, 'FILE_NOT_FOUND'],
      ['unknown file', ['00000000-0000-4000-8000-000000000000'], 404, 'FILE_NOT_FOUND'],
      ['ten files', Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`), 400, 'VALIDATION_FAILED'],
      ['not ids', ['收费公示.pdf'], 400, 'VALIDATION_FAILED'],
      ['the same file twice', [fileId, fileId], 400, 'VALIDATION_FAILED'],
    ];
    for (const [what, fileIds, status, code] of cases) {
      const res = await ctx
        .admin()
        .post('/school-notices')
        .set(h)
        .send({ audience: 'families', schoolId: ids.qz, title: '通知', body: '内容', fileIds });
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
    }
  });
});
