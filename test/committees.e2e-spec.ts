import { createHash } from 'node:crypto';
import { decide, ElectionService, FundService } from '@jiaxiao/committees';
import { consentSql, createTestContext, TestContext } from './support/harness';
import { png } from './support/png';

/**
 * 家长委员会 through the real parent-api and admin-api: scope, the class fund, minutes and
 * oversight, elections with a secret ballot (one per household, even under concurrent votes),
 * the tally and its tie rule, and the chair-training report.
 */

describe('committees (parent-api, admin-api)', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let committeeId: string; // 初一(1)班家长委员会 (seed)
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  const userId = async (phone: string) => (await ctx.query<{ id: string }>(`select id from users where phone = '${phone}'`))[0].id;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    const [{ password_hash: hash }] = await ctx.query<{ password_hash: string }>(
      `select password_hash from users where phone = '13900000003'`,
    );
    // A parent of 初一(2)班 (seeded as invited) activates; 刘子涵 gets a second guardian who can log in.
    await ctx.query(`update users set password_hash = '${hash}', status = 'active' where phone = '13700000020'`);
    await ctx.query(`insert into users (phone, name, password_hash, status) values ('13900000099', '王刚', '${hash}', 'active')`);
    await ctx.query(consentSql(`phone in ('13700000020', '13900000099')`));
    await ctx.query(
      `insert into guardianships (student_id, user_id, relation) select s.id, u.id, '父亲' from students s, users u where s.name = '刘子涵' and u.phone = '13900000099'`,
    );
    for (const [who, phone] of [
      ['chen', '13900000003'],
      ['liu', '13900000004'],
      ['zhao', '13900000005'],
      ['wang', '13900000099'],
      ['other', '13700000020'],
    ]) {
      tokens[who] = await ctx.login(phone);
      ids[who] = await userId(phone);
    }
    tokens.coordinator = await ctx.login('13900000001', 'admin');
    tokens.city = await ctx.login('13900000000', 'admin');
    tokens.district = await ctx.login('13900000006', 'admin');
    const mine = await ctx.parent().get('/committees').set(auth('liu')).expect(200);
    committeeId = mine.body.items.find((c: { name: string }) => c.name === '初一(1)班家长委员会').id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('scope', () => {
    it('GET /committees lists the committees serving the caller’s children, and nothing to a parent elsewhere', async () => {
      const chen = await ctx.parent().get('/committees').set(auth('chen')).expect(200);
      expect(chen.body.items.map((c: { id: string }) => c.id)).toContain(committeeId);
      expect(chen.body.items[0]).toEqual(
        expect.objectContaining({ level: 'class', charter: expect.arrayContaining(['oversight_canteen', 'home_school_communication']) }),
      );
      const zhao = await ctx.parent().get('/committees').set(auth('zhao')).expect(200);
      expect(zhao.body.items.map((c: { id: string }) => c.id)).not.toContain(committeeId);
    });

    it('a parent of another class, or another school, sees neither the fund, the minutes, the oversight nor the members', async () => {
      for (const who of ['zhao', 'other']) {
        for (const path of ['', '/members', '/fund', '/minutes', '/oversight', '/elections']) {
          const res = await ctx.parent().get(`/committees/${committeeId}${path}`).set(auth(who));
          expect({ who, path, status: res.status }).toEqual({ who, path, status: 404 });
          expect(res.body.code).toBe('COMMITTEE_NOT_FOUND');
        }
      }
    });

    it('members: phones masked for parents, full for the school’s staff', async () => {
      const parent = await ctx.parent().get(`/committees/${committeeId}/members`).set(auth('chen')).expect(200);
      const chair = parent.body.items.find((m: { role: string }) => m.role === 'chair');
      expect(chair).toEqual(expect.objectContaining({ name: '刘芳', phone: '139****0004' }));
      expect(parent.body.items.every((m: { phone: string }) => m.phone.includes('****'))).toBe(true);
      const staff = await ctx.admin().get(`/committees/${committeeId}/members`).set(auth('coordinator')).expect(200);
      expect(staff.body.items.find((m: { role: string }) => m.role === 'chair').phone).toBe('13900000004');
      // District and city staff see them masked, as in rosters: only the school's own staff need the numbers.
      for (const who of ['district', 'city'] as const) {
        const far = await ctx.admin().get(`/committees/${committeeId}/members`).set(auth(who)).expect(200);
        expect(far.body.items.find((m: { role: string }) => m.role === 'chair').phone).toBe('139****0004');
      }
    });

    it('the committee group chat holds the members, with the chair and the coordinator as staff', async () => {
      const rows = await ctx.query<{ phone: string; role: string }>(
        `select u.phone, m.role from conversations c join conversation_members m on m.conversation_id = c.id join users u on u.id = m.user_id where c.kind = 'committee_group' and c.ref_id = '${committeeId}'`,
      );
      expect(rows).toEqual(
        expect.arrayContaining([
          { phone: '13900000004', role: 'staff' },
          { phone: '13900000001', role: 'staff' },
        ]),
      );
    });
  });

  describe('class fund (班费)', () => {
    let expenseId: string;

    it('the chair records income and expenses with a receipt; every guardian of the class sees the running balance', async () => {
      const upload = await ctx.parent().post('/uploads').set(auth('liu')).attach('file', png(), 'receipt.png').expect(201);
      await ctx
        .parent()
        .post(`/committees/${committeeId}/fund`)
        .set(auth('liu'))
        .send({ kind: 'income', amountFen: 10000, description: '收取班费', occurredOn: '2026-10-01' })
        .expect(201);
      const expense = await ctx
        .parent()
        .post(`/committees/${committeeId}/fund`)
        .set(auth('liu'))
        .send({ kind: 'expense', amountFen: 2500, description: '购买图书角图书', occurredOn: '2026-10-08', receiptFileId: upload.body.id })
        .expect(201);
      expenseId = expense.body.id;
      expect(expense.body).toEqual(expect.objectContaining({ amountFen: -2500, receiptFileId: upload.body.id }));
      // The answer to a new entry carries the balance after it, as the ledger does.
      expect(expense.body.balanceFen).toBe(7500);
      const ledger = await ctx.parent().get(`/committees/${committeeId}/fund`).set(auth('chen')).expect(200);
      expect(ledger.body.balanceFen).toBe(7500);
      expect(ledger.body.items.map((e: { balanceFen: number }) => e.balanceFen)).toEqual([10000, 7500]);
    });

    it('only officers and staff record; a plain guardian cannot', async () => {
      const res = await ctx
        .parent()
        .post(`/committees/${committeeId}/fund`)
        .set(auth('chen'))
        .send({ kind: 'income', amountFen: 100, description: '测试', occurredOn: '2026-10-01' });
      expect(res.status).toBe(403);
    });

    it('entries are immutable: no update or delete route exists', async () => {
      for (const method of ['patch', 'put', 'delete'] as const) {
        const res = await ctx.parent()[method](`/fund-entries/${expenseId}`).set(auth('liu')).send({ amountFen: 1 });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      }
      const [row] = await ctx.query<{ amount_fen: number }>(`select amount_fen from fund_entries where id = '${expenseId}'`);
      expect(row.amount_fen).toBe(-2500);
    });

    it('a correction is a reversing entry, once: a second reversal is 409, and a reversal cannot be reversed', async () => {
      const reversal = await ctx
        .parent()
        .post(`/fund-entries/${expenseId}/reversal`)
        .set(auth('liu'))
        .send({ reason: '金额录入错误' })
        .expect(201);
      expect(reversal.body).toEqual(expect.objectContaining({ kind: 'reversal', amountFen: 2500, reverses: expenseId, balanceFen: 10000 }));
      const again = await ctx.parent().post(`/fund-entries/${expenseId}/reversal`).set(auth('liu')).send({ reason: '再次冲正' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('FUND_ENTRY_ALREADY_REVERSED');
      const ofReversal = await ctx
        .parent()
        .post(`/fund-entries/${reversal.body.id}/reversal`)
        .set(auth('liu'))
        .send({ reason: '冲正的冲正' });
      expect(ofReversal.status).toBe(409);
      const ledger = await ctx.parent().get(`/committees/${committeeId}/fund`).set(auth('chen')).expect(200);
      expect(ledger.body.balanceFen).toBe(10000);
      expect(ledger.body.items.find((e: { id: string }) => e.id === expenseId).reversedBy).toBe(reversal.body.id);
    });

    it('two reversals of one entry at the same moment: exactly one goes through', async () => {
      const entry = await ctx
        .admin()
        .post(`/committees/${committeeId}/fund`)
        .set(auth('coordinator'))
        .send({ kind: 'expense', amountFen: 800, description: '打印资料', occurredOn: '2026-10-09' })
        .expect(201);
      const results = await Promise.all(
        [1, 2].map((n) =>
          ctx
            .parent()
            .post(`/fund-entries/${entry.body.id}/reversal`)
            .set(auth('liu'))
            .send({ reason: `并发冲正${n}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it('a stranger cannot reverse an entry of another class', async () => {
      const res = await ctx.parent().post(`/fund-entries/${expenseId}/reversal`).set(auth('zhao')).send({ reason: '不该成功' });
      expect(res.status).toBe(404);
    });

    it('the monthly summary goes to every guardian of the class, once per month', async () => {
      const fund = ctx.apps.parent!.get(FundService);
      const sent = await fund.sendMonthlySummaries('2026-10');
      expect(sent).toBeGreaterThan(1);
      const [note] = await ctx.query<{ body: string }>(
        `select body from notifications where user_id = '${ids.chen}' and kind = 'fund.monthly_summary'`,
      );
      expect(note.body).toContain('收入 100.00 元');
      expect(await fund.sendMonthlySummaries('2026-10')).toBe(0);
      const zhao = await ctx.query(`select 1 from notifications where user_id = '${ids.zhao}' and kind = 'fund.monthly_summary'`);
      expect(zhao).toHaveLength(0);
    });
  });

  describe('minutes and oversight', () => {
    it('the chair records minutes with attendees and decisions; guardians of the class read them', async () => {
      await ctx
        .parent()
        .post(`/committees/${committeeId}/minutes`)
        .set(auth('liu'))
        .send({
          title: '第一次家委会会议',
          heldAt: '2026-10-10T19:00:00+08:00',
          attendeeIds: [ids.liu],
          decisions: ['本学期班费预算 2000 元'],
        })
        .expect(201);
      const res = await ctx.parent().get(`/committees/${committeeId}/minutes`).set(auth('chen')).expect(200);
      expect(res.body.items[0]).toEqual(expect.objectContaining({ attendees: ['刘芳'], decisions: ['本学期班费预算 2000 元'] }));
      const stranger = await ctx
        .parent()
        .post(`/committees/${committeeId}/minutes`)
        .set(auth('liu'))
        .send({ title: '会议', heldAt: '2026-10-10T19:00:00+08:00', attendeeIds: [ids.zhao], decisions: [] });
      expect(stranger.status).toBe(400);
    });

    it('oversight records with findings and photos are visible to the parents served', async () => {
      const photo = await ctx.parent().post('/uploads').set(auth('liu')).attach('file', png(), 'canteen.png').expect(201);
      await ctx
        .parent()
        .post(`/committees/${committeeId}/oversight`)
        .set(auth('liu'))
        .send({
          area: 'canteen',
          title: '食堂午餐检查',
          inspectedAt: '2026-10-12T12:00:00+08:00',
          findings: '饭菜温度合格，留样记录齐全',
          photoFileIds: [photo.body.id],
        })
        .expect(201);
      const res = await ctx.parent().get(`/committees/${committeeId}/oversight`).set(auth('chen')).expect(200);
      expect(res.body.items[0]).toEqual(expect.objectContaining({ area: 'canteen', photoFileIds: [photo.body.id] }));
    });
  });

  describe('elections', () => {
    let electionId: string;

    it('the coordinator opens an election; guardians nominate themselves or another guardian, who must accept', async () => {
      const now = Date.now();
      const opened = await ctx
        .admin()
        .post(`/committees/${committeeId}/elections`)
        .set(auth('coordinator'))
        .send({
          title: '家委会秘书选举',
          role: 'secretary',
          seats: 1,
          nominationStartsAt: new Date(now - 60_000).toISOString(),
          nominationEndsAt: new Date(now + 3600_000).toISOString(),
          votingStartsAt: new Date(now + 3600_000).toISOString(),
          votingEndsAt: new Date(now + 7200_000).toISOString(),
        })
        .expect(201);
      electionId = opened.body.id;

      const self = await ctx.parent().post(`/elections/${electionId}/nominations`).set(auth('chen')).send({}).expect(201);
      expect(self.body.status).toBe('accepted');
      const other = await ctx
        .parent()
        .post(`/elections/${electionId}/nominations`)
        .set(auth('chen'))
        .send({ nomineeId: ids.liu })
        .expect(201);
      expect(other.body.status).toBe('pending');
      const [note] = await ctx.query<{ kind: string }>(
        `select kind from notifications where user_id = '${ids.liu}' and kind = 'election.nominated'`,
      );
      expect(note).toBeDefined();
      // Only the nominee answers.
      expect((await ctx.parent().post(`/nominations/${other.body.id}/accept`).set(auth('chen'))).status).toBe(403);
      const accepted = await ctx.parent().post(`/nominations/${other.body.id}/accept`).set(auth('liu')).expect(200);
      expect(accepted.body.status).toBe('accepted');

      const outsider = await ctx.parent().post(`/elections/${electionId}/nominations`).set(auth('chen')).send({ nomineeId: ids.zhao });
      expect(outsider.status).toBe(409);
      expect(outsider.body.code).toBe('NOT_A_GUARDIAN_IN_SCOPE');
      expect((await ctx.parent().post(`/elections/${electionId}/nominations`).set(auth('zhao')).send({})).status).toBe(404);
      const early = await ctx
        .parent()
        .post(`/elections/${electionId}/ballot`)
        .set(auth('chen'))
        .send({ choices: [ids.chen] });
      expect(early.body.code).toBe('VOTING_CLOSED');
    });

    it('one ballot per household: both parents voting at once get exactly one 2xx', async () => {
      // Move the windows on: nominations closed, voting open.
      await ctx.query(
        `update elections set nomination_ends_at = now() - interval '2 seconds', voting_starts_at = now() - interval '1 second' where id = '${electionId}'`,
      );
      const invalid = await ctx
        .parent()
        .post(`/elections/${electionId}/ballot`)
        .set(auth('liu'))
        .send({ choices: [ids.zhao] });
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('INVALID_BALLOT');

      const results = await Promise.all(
        ['liu', 'wang'].map((who) =>
          ctx
            .parent()
            .post(`/elections/${electionId}/ballot`)
            .set(auth(who))
            .send({ choices: [ids.liu] }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('ALREADY_VOTED');
      await ctx
        .parent()
        .post(`/elections/${electionId}/ballot`)
        .set(auth('chen'))
        .send({ choices: [ids.chen] })
        .expect(200);
      expect(
        (
          await ctx
            .parent()
            .post(`/elections/${electionId}/ballot`)
            .set(auth('chen'))
            .send({ choices: [ids.chen] })
        ).status,
      ).toBe(409);

      const [counts] = await ctx.query<{ ballots: number; voters: number }>(
        `select (select count(*)::int from sealed_ballots where election_id = '${electionId}') as ballots, (select count(*)::int from election_voters where election_id = '${electionId}') as voters`,
      );
      expect(counts).toEqual({ ballots: 2, voters: 2 });
      const view = await ctx.parent().get(`/elections/${electionId}`).set(auth('wang')).expect(200);
      expect(view.body.householdVoted).toBe(true);
      expect(view.body.result).toBeNull();
    });

    it('ballot secrecy: the ballot table has no voter, household or time column, and the marker no time either', async () => {
      const columns = async (table: string) =>
        (
          await ctx.query<{ column_name: string }>(
            `select column_name from information_schema.columns where table_name = '${table}' order by column_name`,
          )
        ).map((c) => c.column_name);
      const ballotColumns = await columns('ballots');
      expect(ballotColumns).toEqual(['choices', 'election_id', 'id']);
      for (const column of ballotColumns) expect(column).not.toMatch(/user|voter|student|household|guardian|created|time|_at$|seq/);
      expect(await columns('election_voters')).toEqual(['election_id', 'student_id']);
      // No foreign key or serial links a ballot to anything but its election.
      const fks = await ctx.query<{ column_name: string }>(
        `select kcu.column_name from information_schema.table_constraints tc join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name where tc.table_name = 'ballots' and tc.constraint_type = 'FOREIGN KEY'`,
      );
      expect(fks.map((f) => f.column_name)).toEqual(['election_id']);
      const [idDefault] = await ctx.query<{ column_default: string }>(
        `select column_default from information_schema.columns where table_name = 'ballots' and column_name = 'id'`,
      );
      expect(idDefault.column_default).toBe('gen_random_uuid()');
    });

    it('the tally at close: a tie for the last seat opens a run-off; the audit trail records counts, never who chose whom', async () => {
      const closed = await ctx.admin().post(`/elections/${electionId}/close`).set(auth('coordinator')).expect(200);
      expect(closed.body.status).toBe('closed');
      expect(closed.body.result.ballots).toBe(2);
      expect(closed.body.result.counts.map((c: { votes: number }) => c.votes)).toEqual([1, 1]);
      expect(closed.body.result.winners).toEqual([]);
      const runoffId = closed.body.result.runoffElectionId as string;
      expect(runoffId).toBeDefined();

      // No route returns a voter next to a choice.
      const text = JSON.stringify(closed.body);
      for (const who of ['wang', 'other']) expect(text).not.toContain(ids[who]);
      expect(text).not.toMatch(/student|voter|household"/i);

      const audit = await ctx.query<{ action: string; detail: Record<string, unknown> }>(
        `select action, detail from audit_log where target_id = '${electionId}'`,
      );
      const tallied = audit.find((a) => a.action === 'election.tallied');
      expect(Object.keys(tallied?.detail ?? {}).sort()).toEqual(['ballots', 'counts', 'lotSeed', 'runoff', 'winners']);
      const all = JSON.stringify(audit);
      for (const who of ['wang']) expect(all).not.toContain(ids[who]);
      expect(audit.some((a) => a.action.includes('ballot') || a.action.includes('vote'))).toBe(false);

      // The run-off: the tied candidates, voting open now; it ties again (no ballots), so the seat is drawn by lot with a published seed.
      const runoff = await ctx.parent().get(`/elections/${runoffId}`).set(auth('chen')).expect(200);
      expect(runoff.body).toEqual(expect.objectContaining({ status: 'open', seats: 1, runoffOf: electionId }));
      expect(runoff.body.candidates.map((c: { userId: string }) => c.userId).sort()).toEqual([ids.chen, ids.liu].sort());
      await ctx.apps.admin!.get(ElectionService).tally(runoffId);
      const settled = await ctx.parent().get(`/elections/${runoffId}`).set(auth('chen')).expect(200);
      const seed = settled.body.result.lotSeed as string;
      expect(seed).toMatch(/^[0-9a-f]{32}$/);
      const order = (id: string) => createHash('sha256').update(`${seed}:${id}`).digest('hex');
      const expected = [ids.chen, ids.liu].sort((a, b) => order(a).localeCompare(order(b)))[0];
      expect(settled.body.result.winners).toEqual([expected]);

      // The winner is appointed with the election's role; the chair, if drawn, keeps the higher office.
      const members = await ctx.parent().get(`/committees/${committeeId}/members`).set(auth('chen')).expect(200);
      expect(members.body.items.map((m: { userId: string }) => m.userId)).toContain(expected);
      expect(members.body.items.find((m: { userId: string }) => m.userId === expected).role).toBe(
        expected === ids.liu ? 'chair' : 'secretary',
      );
      expect(members.body.items.filter((m: { role: string }) => m.role === 'chair').map((m: { userId: string }) => m.userId)).toEqual([
        ids.liu,
      ]);
      // Closing again changes nothing.
      await ctx.apps.admin!.get(ElectionService).tally(runoffId);
    });

    it('the tie rule itself: clear winners win; a tie across the last seat goes to a run-off, and a run-off tie to lot', () => {
      expect(
        decide(
          ['a', 'b', 'c'],
          new Map([
            ['a', 3],
            ['b', 2],
            ['c', 1],
          ]),
          2,
          false,
        ).winners,
      ).toEqual(['a', 'b']);
      const tie = decide(
        ['a', 'b', 'c'],
        new Map([
          ['a', 3],
          ['b', 2],
          ['c', 2],
        ]),
        2,
        false,
      );
      expect(tie).toEqual(expect.objectContaining({ winners: ['a'], tied: ['b', 'c'], remaining: 1 }));
      expect(
        decide(
          ['a', 'b', 'c'],
          new Map([
            ['a', 2],
            ['b', 2],
            ['c', 2],
          ]),
          3,
          false,
        ).winners,
      ).toHaveLength(3);
      const lot = decide(
        ['b', 'c'],
        new Map([
          ['b', 1],
          ['c', 1],
        ]),
        1,
        true,
        'fixedseed',
      );
      expect(lot.lot).toEqual(expect.objectContaining({ seed: 'fixedseed', candidates: ['b', 'c'] }));
      expect(lot.winners).toHaveLength(1);
      expect(
        decide(
          ['b', 'c'],
          new Map([
            ['b', 1],
            ['c', 1],
          ]),
          1,
          true,
          'fixedseed',
        ).winners,
      ).toEqual(lot.winners);
    });

    it('the seeded election of 初一(2)班 is open for its own parents only', async () => {
      const list = await ctx.parent().get('/committees').set(auth('other')).expect(200);
      const c2 = list.body.items.find((c: { name: string }) => c.name === '初一(2)班家长委员会');
      const elections = await ctx.parent().get(`/committees/${c2.id}/elections`).set(auth('other')).expect(200);
      const seeded = elections.body.items[0];
      expect(seeded).toEqual(expect.objectContaining({ status: 'open', householdVoted: false }));
      expect(seeded.candidates.length).toBeGreaterThanOrEqual(2);
      await ctx
        .parent()
        .post(`/elections/${seeded.id}/ballot`)
        .set(auth('other'))
        .send({ choices: [seeded.candidates[0].userId] })
        .expect(200);
      expect(
        (
          await ctx
            .parent()
            .post(`/elections/${seeded.id}/ballot`)
            .set(auth('chen'))
            .send({ choices: [seeded.candidates[0].userId] })
        ).status,
      ).toBe(404);
    });
  });

  describe('chair training', () => {
    it('the bureau sets the hours; the report sums chairs’ chair_training credits per school and district', async () => {
      const year = (
        await ctx.query<{ id: string; name: string }>(
          `select y.id, y.name from committees c join school_years y on y.id = c.school_year_id where c.id = '${committeeId}'`,
        )
      )[0];
      expect(
        (
          await ctx
            .admin()
            .put('/committees/chair-training/requirement')
            .set(auth('coordinator'))
            .send({ schoolYear: year.name, requiredHours: 2 })
        ).status,
      ).toBe(403);
      await ctx
        .admin()
        .put('/committees/chair-training/requirement')
        .set(auth('city'))
        .send({ schoolYear: year.name, requiredHours: 2 })
        .expect(200);

      const before = await ctx.admin().get('/committees/chair-training/report').set(auth('coordinator')).expect(200);
      const liu = () => before.body.chairs.find((c: { userId: string }) => c.userId === ids.liu);
      expect(before.body.requiredHours).toBe(2);
      expect(liu()).toEqual(expect.objectContaining({ earnedHours: 0, completed: false, phone: '13900000004' }));

      const [lecture] = await ctx.query<{ id: string }>(
        `insert into lectures (series, title, school_year_id, audience, mode, starts_at, ends_at, credit_hours, status, checkin_secret)
         values ('chair_training', '家委会主任能力提升培训', '${year.id}', '{"scope":"committee_chairs"}', 'offline', now() - interval '3 hours', now() - interval '1 hour', 2, 'finished', 'x') returning id`,
      );
      await ctx.query(
        `insert into hour_ledger (guardian_id, lecture_id, school_year_id, kind, hours, source) values ('${ids.liu}', '${lecture.id}', '${year.id}', 'credit', 2, 'manual')`,
      );
      // Hours of other series do not count.
      const [forum] = await ctx.query<{ id: string }>(`select id from lectures where series = 'parents_forum' limit 1`);
      await ctx.query(
        `insert into hour_ledger (guardian_id, lecture_id, school_year_id, kind, hours, source) values ('${ids.liu}', '${forum.id}', '${year.id}', 'credit', 2, 'manual') on conflict do nothing`,
      );

      const after = await ctx.admin().get('/committees/chair-training/report').set(auth('district')).expect(200);
      const row = after.body.chairs.find((c: { userId: string }) => c.userId === ids.liu);
      expect(row).toEqual(expect.objectContaining({ earnedHours: 2, completed: true, phone: '139****0004' }));
      const school = after.body.schools.find((s: { name: string }) => s.name === '潍坊七中');
      expect(school).toEqual(expect.objectContaining({ chairs: 1, completed: 1, rate: 1 }));
      expect(after.body.districts.map((d: { name: string }) => d.name)).toEqual(['奎文区']);
    });
  });
});
