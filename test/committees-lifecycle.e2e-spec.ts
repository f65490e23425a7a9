import { consentSql, createTestContext, TestContext } from './support/harness';
import { png } from './support/png';

/**
 * 家长委员会, the parts that cross into other contexts: chair_training lectures open to committee
 * chairs (courses), receipts and oversight photos readable by the guardians served (messaging
 * files), the end of a member's term, and a grade committee's scope.
 */

const HOUR = 3600_000;
/** A whole minute, so ISO strings round-trip. */
const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000).toISOString();

describe('committees across contexts (parent-api, admin-api)', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const phones: Record<string, string> = {};
  let committeeId: string; // 初一(1)班家长委员会 (seed): chair 刘芳, vice chair 13700000002, member 13700000001
  let wf7: string;
  let kuiwen: string;
  let weicheng: string;
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  /** Gives an invited (roster-imported) guardian the demo password and logs them in. */
  const activate = async (who: string, phone: string) => {
    await ctx.query(
      `update users set password_hash = (select password_hash from users where phone = '13900000003'), status = 'active' where phone = '${phone}'`,
    );
    await ctx.query(consentSql(`phone = '${phone}'`));
    phones[who] = phone;
    tokens[who] = await ctx.login(phone);
    ids[who] = (await ctx.query<{ id: string }>(`select id::text from users where phone = '${phone}'`))[0].id;
  };

  const groupMembers = async () =>
    (
      await ctx.query<{ phone: string }>(
        `select u.phone from conversations c join conversation_members m on m.conversation_id = c.id join users u on u.id = m.user_id where c.kind = 'committee_group' and c.ref_id = '${committeeId}'`,
      )
    ).map((r) => r.phone);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    for (const [who, phone] of [
      ['chen', '13900000003'],
      ['liu', '13900000004'],
      ['zhao', '13900000005'],
      ['vice', '13700000002'],
      ['other', '13700000020'], // 初一(2)班
    ]) {
      await activate(who, phone);
    }
    // A guardian of 初二(1)班 (grade 8) of the same school.
    const [grade8] = await ctx.query<{ phone: string }>(
      `select u.phone from users u join guardianships g on g.user_id = u.id join students s on s.id = g.student_id join classes c on c.id = s.class_id join schools sc on sc.id = c.school_id
       where sc.name = '潍坊七中' and c.name = '初二(1)班' order by u.phone limit 1`,
    );
    await activate('grade8', grade8.phone);
    tokens.coordinator = await ctx.login('13900000001', 'admin');
    tokens.city = await ctx.login('13900000000', 'admin');
    const mine = await ctx.parent().get('/committees').set(auth('liu')).expect(200);
    committeeId = mine.body.items.find((c: { name: string }) => c.name === '初一(1)班家长委员会').id;
    wf7 = (await ctx.query<{ id: string }>(`select id::text from schools where name = '潍坊七中'`))[0].id;
    kuiwen = (await ctx.query<{ id: string }>(`select id::text from districts where name = '奎文区'`))[0].id;
    weicheng = (await ctx.query<{ id: string }>(`select id::text from districts where name = '潍城区'`))[0].id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('chair_training lectures are open to committee chairs', () => {
    let lectureId: string;

    const createLecture = async (audience: Record<string, unknown>, title: string) => {
      const created = await ctx
        .admin()
        .post('/lectures')
        .set(auth('city'))
        .send({
          series: 'chair_training',
          title,
          audience,
          mode: 'offline',
          startsAt: at(2 * HOUR),
          endsAt: at(4 * HOUR),
          venue: '潍坊七中报告厅',
          creditHours: 2,
        })
        .expect(201);
      await ctx.admin().post(`/lectures/${created.body.id}/publish`).set(auth('city')).expect(200);
      return created.body.id as string;
    };

    it('the city bureau creates one for 潍坊七中’s chairs: the chair and the vice chair see it, a plain parent does not', async () => {
      lectureId = await createLecture({ scope: 'committee_chairs', schoolId: wf7 }, '家委会主任能力提升培训（潍坊七中）');
      for (const who of ['liu', 'vice']) {
        const list = await ctx.parent().get('/lectures').set(auth(who)).expect(200);
        expect({ who, listed: list.body.items.some((l: { id: string }) => l.id === lectureId) }).toEqual({ who, listed: true });
        await ctx.parent().get(`/lectures/${lectureId}`).set(auth(who)).expect(200);
      }
      for (const who of ['chen', 'zhao']) {
        const list = await ctx.parent().get('/lectures').set(auth(who)).expect(200);
        expect(list.body.items.some((l: { id: string }) => l.id === lectureId)).toBe(false);
        const res = await ctx.parent().get(`/lectures/${lectureId}`).set(auth(who));
        expect({ who, status: res.status, code: res.body.code }).toEqual({ who, status: 404, code: 'LECTURE_NOT_FOUND' });
        expect((await ctx.parent().post(`/lectures/${lectureId}/registrations`).set(auth(who))).status).toBe(404);
      }
    });

    it('the chair registers, is credited by hand by the coordinator, and the chair-training report counts it', async () => {
      const registered = await ctx.parent().post(`/lectures/${lectureId}/registrations`).set(auth('liu'));
      expect(registered.status).toBeLessThan(300);
      expect(registered.body.status).toBe('registered');
      const hours = await ctx.parent().get('/me/course-hours').set(auth('liu')).expect(200);
      expect(hours.body.households[0].nextSessions.map((l: { id: string }) => l.id)).toContain(lectureId);

      // A plain parent is not credited: the lecture is not for them.
      const stranger = await ctx
        .admin()
        .post(`/lectures/${lectureId}/attendance`)
        .set(auth('coordinator'))
        .send({ phone: '13900000003', reason: '现场签到表已核对' });
      expect(stranger.body.code).toBe('GUARDIAN_NOT_IN_AUDIENCE');
      const credited = await ctx
        .admin()
        .post(`/lectures/${lectureId}/attendance`)
        .set(auth('coordinator'))
        .send({ phone: '13900000004', reason: '现场签到表已核对' })
        .expect(200);
      expect(credited.body).toEqual(expect.objectContaining({ credited: 2 }));

      const report = await ctx.admin().get('/committees/chair-training/report').set(auth('coordinator')).expect(200);
      expect(report.body.chairs.find((c: { userId: string }) => c.userId === ids.liu)).toEqual(expect.objectContaining({ earnedHours: 2 }));
    });

    it('a city-wide committee_chairs lecture is open to any chair; one for another district is not', async () => {
      const citywide = await createLecture({ scope: 'committee_chairs' }, '家委会主任培训（全市）');
      const kuiwenOnly = await createLecture({ scope: 'committee_chairs', districtId: kuiwen }, '家委会主任培训（奎文区）');
      const elsewhere = await createLecture({ scope: 'committee_chairs', districtId: weicheng }, '家委会主任培训（潍城区）');
      const listed = (await ctx.parent().get('/lectures').set(auth('liu')).expect(200)).body.items.map((l: { id: string }) => l.id);
      expect(listed).toEqual(expect.arrayContaining([citywide, kuiwenOnly]));
      expect(listed).not.toContain(elsewhere);
      expect((await ctx.parent().get(`/lectures/${elsewhere}`).set(auth('liu'))).status).toBe(404);
      const plain = (await ctx.parent().get('/lectures').set(auth('chen')).expect(200)).body.items.map((l: { id: string }) => l.id);
      expect(plain).not.toContain(citywide);
    });
  });

  describe('receipts and oversight photos', () => {
    it('guardians of the class download a receipt and a photo uploaded by the chair; parents elsewhere get 403', async () => {
      const receipt = await ctx.parent().post('/uploads').set(auth('liu')).attach('file', png(), 'receipt.png').expect(201);
      const photo = await ctx.parent().post('/uploads').set(auth('liu')).attach('file', png(), 'canteen.png').expect(201);
      // Not referenced by anything yet: only the uploader.
      expect((await ctx.parent().get(`/files/${receipt.body.id}`).set(auth('chen'))).status).toBe(403);

      await ctx
        .parent()
        .post(`/committees/${committeeId}/fund`)
        .set(auth('liu'))
        .send({ kind: 'expense', amountFen: 2500, description: '购买图书角图书', occurredOn: '2026-10-08', receiptFileId: receipt.body.id })
        .expect(201);
      await ctx
        .parent()
        .post(`/committees/${committeeId}/oversight`)
        .set(auth('liu'))
        .send({
          area: 'canteen',
          title: '食堂午餐检查',
          inspectedAt: '2026-10-12T12:00:00+08:00',
          findings: '饭菜温度合格',
          photoFileIds: [photo.body.id],
        })
        .expect(201);

      for (const fileId of [receipt.body.id, photo.body.id]) {
        const res = await ctx
          .parent()
          .get(`/files/${fileId}`)
          .set(auth('chen'))
          .buffer(true)
          .parse((response, callback) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => callback(null, Buffer.concat(chunks)));
          })
          .expect(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(Buffer.compare(res.body as Buffer, png())).toBe(0);
        for (const who of ['other', 'zhao']) {
          const denied = await ctx.parent().get(`/files/${fileId}`).set(auth(who));
          expect({ who, status: denied.status, code: denied.body.code }).toEqual({ who, status: 403, code: 'FORBIDDEN' });
        }
      }
    });
  });

  describe('the end of a member’s term', () => {
    const membersOf = async () =>
      (await ctx.admin().get(`/committees/${committeeId}/members`).set(auth('coordinator')).expect(200)).body.items as {
        id: string;
        userId: string;
        role: string;
      }[];

    it('only whoever manages the committee ends a term', async () => {
      const vice = (await membersOf()).find((m) => m.userId === ids.vice) as { id: string };
      const [{ id: guangwen }] = await ctx.query<{ id: string }>(`select id::text from schools where name = '广文中学'`);
      const [foreign] = await ctx.query<{ phone: string }>(
        `insert into users (phone, name, password_hash, status) select '13600000991', '广文协调员', password_hash, 'active' from users where phone = '13900000003' returning phone`,
      );
      await ctx.query(
        `insert into role_assignments (user_id, role, scope_type, scope_id) select id, 'coordinator', 'school', '${guangwen}' from users where phone = '${foreign.phone}'`,
      );
      const foreignToken = await ctx.login(foreign.phone, 'admin');
      const res = await ctx
        .admin()
        .post(`/committee-members/${vice.id}/end`)
        .set({ Authorization: `Bearer ${foreignToken}` })
        .send({});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('COMMITTEE_MEMBER_NOT_FOUND');
      expect(
        (await ctx.admin().post(`/committee-members/00000000-0000-4000-8000-000000000000/end`).set(auth('coordinator')).send({})).status,
      ).toBe(404);
    });

    it('ending the vice chair keeps the row with an end date, leaves the chat, the reads and the chair_training audience, and is audited', async () => {
      const vice = (await membersOf()).find((m) => m.userId === ids.vice) as { id: string };
      expect(await groupMembers()).toContain(phones.vice);
      const chairLecture = (await ctx.parent().get('/lectures').set(auth('vice')).expect(200)).body.items.find(
        (l: { series: string }) => l.series === 'chair_training',
      );
      expect(chairLecture).toBeDefined();

      const ended = await ctx
        .admin()
        .post(`/committee-members/${vice.id}/end`)
        .set(auth('coordinator'))
        .send({ reason: '本人申请辞去副主任' })
        .expect(200);
      expect(ended.body.items.map((m: { userId: string }) => m.userId)).not.toContain(ids.vice);
      const [row] = await ctx.query<{ ended: boolean; role: string }>(
        `select term_ends_on < (now() at time zone 'Asia/Shanghai')::date as ended, role from committee_members where id = '${vice.id}'`,
      );
      expect(row).toEqual({ ended: true, role: 'vice_chair' });
      const parentView = await ctx.parent().get(`/committees/${committeeId}/members`).set(auth('chen')).expect(200);
      expect(parentView.body.items.map((m: { userId: string }) => m.userId)).not.toContain(ids.vice);
      expect(await groupMembers()).not.toContain(phones.vice);
      expect((await ctx.parent().get(`/lectures/${chairLecture.id}`).set(auth('vice'))).status).toBe(404);
      // No longer an officer: cannot keep the books (still a guardian of the class, so the committee is visible).
      const book = await ctx
        .parent()
        .post(`/committees/${committeeId}/fund`)
        .set(auth('vice'))
        .send({ kind: 'income', amountFen: 100, description: '收取班费', occurredOn: '2026-10-01' });
      expect(book.status).toBe(403);

      const audit = await ctx.query<{ detail: { userId: string; role: string; reason: string } }>(
        `select detail from audit_log where action = 'committee.member_ended' and target_id = '${committeeId}'`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].detail).toEqual(expect.objectContaining({ userId: ids.vice, role: 'vice_chair', reason: '本人申请辞去副主任' }));

      // Ending it again changes nothing, and records nothing more.
      await ctx.admin().post(`/committee-members/${vice.id}/end`).set(auth('coordinator')).send({}).expect(200);
      expect(
        await ctx.query(`select 1 from audit_log where action = 'committee.member_ended' and target_id = '${committeeId}'`),
      ).toHaveLength(1);
    });

    it('a former member can be appointed again: the seat gets a new term', async () => {
      await ctx
        .admin()
        .post(`/committees/${committeeId}/members`)
        .set(auth('coordinator'))
        .send({ userId: ids.vice, role: 'member' })
        .expect(200);
      const members = await membersOf();
      expect(members.find((m) => m.userId === ids.vice)).toEqual(expect.objectContaining({ role: 'member' }));
      expect(await groupMembers()).toContain(phones.vice);
      expect(
        await ctx.query(`select 1 from committee_members where committee_id = '${committeeId}' and user_id = '${ids.vice}'`),
      ).toHaveLength(1);
    });

    it('a chair whose term has ended drops out of the chair-training report and the chair_training audience', async () => {
      const chair = (await membersOf()).find((m) => m.role === 'chair') as { id: string; userId: string };
      expect(chair.userId).toBe(ids.liu);
      await ctx.admin().post(`/committee-members/${chair.id}/end`).set(auth('coordinator')).send({ reason: '孩子转学' }).expect(200);
      const report = await ctx.admin().get('/committees/chair-training/report').set(auth('coordinator')).expect(200);
      expect(report.body.chairs.map((c: { userId: string }) => c.userId)).not.toContain(ids.liu);
      const listed = (await ctx.parent().get('/lectures').set(auth('liu')).expect(200)).body.items;
      expect(listed.some((l: { series: string }) => l.series === 'chair_training')).toBe(false);
      expect(await groupMembers()).not.toContain('13900000004');
    });
  });

  describe('a grade committee', () => {
    it('serves every class of its grade and no other grade', async () => {
      const created = await ctx
        .admin()
        .post('/committees')
        .set(auth('coordinator'))
        .send({ level: 'grade', schoolId: wf7, grade: 7, charter: ['school_management', 'volunteering'] })
        .expect(201);
      const gradeId = created.body.id as string;
      for (const who of ['chen', 'other']) {
        await ctx.parent().get(`/committees/${gradeId}`).set(auth(who)).expect(200);
        const mine = await ctx.parent().get('/committees').set(auth(who)).expect(200);
        expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(gradeId);
      }
      for (const path of ['', '/members', '/fund', '/minutes', '/oversight', '/elections']) {
        const res = await ctx.parent().get(`/committees/${gradeId}${path}`).set(auth('grade8'));
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'COMMITTEE_NOT_FOUND' });
      }
      const mine = await ctx.parent().get('/committees').set(auth('grade8')).expect(200);
      expect(mine.body.items.map((c: { id: string }) => c.id)).not.toContain(gradeId);
      // Members come from the grade: a guardian of 初二 cannot be seated, one of 初一(2)班 can.
      const refused = await ctx
        .admin()
        .post(`/committees/${gradeId}/members`)
        .set(auth('coordinator'))
        .send({ userId: ids.grade8, role: 'member' });
      expect(refused.body.code).toBe('NOT_A_GUARDIAN_IN_SCOPE');
      await ctx
        .admin()
        .post(`/committees/${gradeId}/members`)
        .set(auth('coordinator'))
        .send({ userId: ids.other, role: 'chair' })
        .expect(200);
    });
  });
});
