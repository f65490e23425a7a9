import { consentSql, createTestContext, TestContext } from './support/harness';

/**
 * Secret ballots and the anonymous survey against someone holding the whole database: 36
 * households vote (and answer) one after another, each with a choice nobody else makes, and the
 * test then tries to line markers up with the anonymous rows the ways a DBA or a dump would — by
 * transaction id (xmin), by physical order (ctid), by primary-key order — and counts how many
 * households it identifies. Written the old way (marker and ballot in one transaction) every join
 * identifies all 36. Now the xmin joins find nothing, and an order join is a random permutation:
 * its correct guesses are its fixed points, about Poisson(1) for one shuffled batch, so the bound
 * of 8 fails by chance less than once in 10^5 runs.
 */

const HOUSEHOLDS = 36;
const SURVEY_BATCH = 12;

describe('secret ballots and the anonymous survey cannot be linked to households', () => {
  let ctx: TestContext;
  let token: string;
  let committeeId: string;
  let schoolId: string;
  const studentIds: string[] = [];
  const candidates: string[] = [];
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'], env: { ANONYMOUS_BATCH_SIZE: String(SURVEY_BATCH) } });
    const [{ password_hash: hash }] = await ctx.query<{ password_hash: string }>(
      `select password_hash from users where phone = '13900000003'`,
    );
    const [cls] = await ctx.query<{ id: string; school_id: string }>(
      `select c.id, c.school_id from classes c join schools s on s.id = c.school_id where s.name = '潍坊七中' and c.name = '初一(1)班' order by c.created_at desc limit 1`,
    );
    schoolId = cls.school_id;
    // One guardian of 36 children in 初一(1)班: each child is a household with its own vote.
    const [voter] = await ctx.query<{ id: string }>(
      `insert into users (phone, name, password_hash, status) values ('13900000301', '孙秘密', '${hash}', 'active') returning id`,
    );
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const [student] = await ctx.query<{ id: string }>(
        `insert into students (class_id, name) values ('${cls.id}', '投票学生${i}') returning id`,
      );
      await ctx.query(`insert into guardianships (student_id, user_id, relation) values ('${student.id}', '${voter.id}', '母亲')`);
      studentIds.push(student.id);
    }
    for (let i = 0; i < 6; i++) {
      const [candidate] = await ctx.query<{ id: string }>(
        `insert into users (phone, name, status) values ('1390000031${i}', '候选人${i}', 'active') returning id`,
      );
      candidates.push(candidate.id);
    }
    // An activated guardian who has accepted the privacy notice, as the demo parents have.
    await ctx.query(consentSql(`id = '${voter.id}'`));
    token = await ctx.login('13900000301');
    const committees = await ctx.parent().get('/committees').set(auth()).expect(200);
    committeeId = committees.body.items.find((c: { name: string }) => c.name === '初一(1)班家长委员会').id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** 36 distinct ballots over 6 candidates and 3 seats: the 6 singles, the 15 pairs, 15 of the triples. */
  function distinctChoices(): string[][] {
    const out: string[][] = candidates.map((c) => [c]);
    for (let a = 0; a < 6; a++) for (let b = a + 1; b < 6; b++) out.push([candidates[a], candidates[b]]);
    for (let a = 0; a < 6 && out.length < HOUSEHOLDS; a++)
      for (let b = a + 1; b < 6 && out.length < HOUSEHOLDS; b++)
        for (let c = b + 1; c < 6 && out.length < HOUSEHOLDS; c++) out.push([candidates[a], candidates[b], candidates[c]]);
    return out.map((c) => [...c].sort());
  }

  it('elections: xmin, physical-order and id-order joins of markers and ballots do no better than chance', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const now = Date.now();
    const opened = await ctx
      .admin()
      .post(`/committees/${committeeId}/elections`)
      .set({ Authorization: `Bearer ${coordinator}` })
      .send({
        title: '家委会委员选举（保密测试）',
        role: 'member',
        seats: 3,
        nominationStartsAt: new Date(now - 60_000).toISOString(),
        nominationEndsAt: new Date(now + 3600_000).toISOString(),
        votingStartsAt: new Date(now + 3600_000).toISOString(),
        votingEndsAt: new Date(now + 7200_000).toISOString(),
      })
      .expect(201);
    const electionId: string = opened.body.id;
    for (const c of candidates)
      await ctx.query(
        `insert into nominations (election_id, nominee_id, nominated_by, status) values ('${electionId}', '${c}', '${c}', 'accepted')`,
      );
    await ctx.query(
      `update elections set nomination_ends_at = now() - interval '2 seconds', voting_starts_at = now() - interval '1 second' where id = '${electionId}'`,
    );

    const choices = distinctChoices();
    const expected = new Map<string, string>();
    for (let i = 0; i < HOUSEHOLDS; i++) {
      await ctx
        .parent()
        .post(`/elections/${electionId}/ballot`)
        .set(auth())
        .send({ studentId: studentIds[i], choices: choices[i] })
        .expect(200);
      expected.set(studentIds[i], JSON.stringify(choices[i]));
    }

    // While voting is open: nothing readable in the database shares a transaction with a marker.
    const byXmin = await ctx.query(
      `select v.student_id from election_voters v join ballots b on b.xmin = v.xmin where v.election_id = '${electionId}'`,
    );
    expect(byXmin).toHaveLength(0);
    const sealed = await ctx.query<{ n: number; lengths: number; plain: number }>(
      `select count(*)::int as n, count(distinct length(sealed))::int as lengths,
         count(*) filter (where ${candidates.map((c) => `position(convert_to('${c}', 'UTF8') in sealed) > 0`).join(' or ')})::int as plain
       from sealed_ballots where election_id = '${electionId}'`,
    );
    expect(sealed[0]).toEqual({ n: HOUSEHOLDS, lengths: 1, plain: 0 });
    expect(await ctx.query(`select 1 from ballots where election_id = '${electionId}'`)).toHaveLength(0);

    const closed = await ctx
      .admin()
      .post(`/elections/${electionId}/close`)
      .set({ Authorization: `Bearer ${coordinator}` })
      .expect(200);
    expect(closed.body.result.ballots).toBe(HOUSEHOLDS);
    const votesFor = (c: string) => choices.filter((set) => set.includes(c)).length;
    for (const c of closed.body.result.counts as { userId: string; votes: number }[]) expect(c.votes).toBe(votesFor(c.userId));
    expect(await ctx.query(`select 1 from sealed_ballots where election_id = '${electionId}'`)).toHaveLength(0);

    // After the tally: one transaction wrote every ballot, none shared with a marker.
    const xmins = await ctx.query<{ n: number }>(
      `select count(distinct xmin::text)::int as n from ballots where election_id = '${electionId}'`,
    );
    expect(xmins[0].n).toBe(1);
    expect(
      await ctx.query(`select 1 from election_voters v join ballots b on b.xmin = v.xmin where v.election_id = '${electionId}'`),
    ).toHaveLength(0);

    const markers = await ctx.query<{ student_id: string }>(
      `select student_id from election_voters where election_id = '${electionId}' order by ctid`,
    );
    for (const order of ['ctid', 'id']) {
      const ballots = await ctx.query<{ choices: string[] }>(
        `select choices from ballots where election_id = '${electionId}' order by ${order}`,
      );
      expect(ballots).toHaveLength(HOUSEHOLDS);
      const identified = markers.filter((m, k) => expected.get(m.student_id) === JSON.stringify(ballots[k].choices)).length;
      expect({ order, identified: identified <= 8 }).toEqual({ order, identified: true });
    }
  });

  it('the survey: xmin joins find nothing; order joins do no better than chance within each shuffled batch', async () => {
    for (let i = 0; i < HOUSEHOLDS; i++) {
      await ctx
        .parent()
        .post('/satisfaction-survey')
        .set(auth())
        .send({ studentId: studentIds[i], score: (i % 5) + 1, comment: `答卷${i}` })
        .expect(201);
    }
    const coordinator = await ctx.login('13900000001', 'admin');
    const summary = await ctx
      .admin()
      .get(`/model-schools/satisfaction?schoolId=${schoolId}`)
      .set({ Authorization: `Bearer ${coordinator}` })
      .expect(200);
    expect(summary.body.responses).toBe(HOUSEHOLDS);
    expect(summary.body.distribution).toEqual({ '1': 8, '2': 7, '3': 7, '4': 7, '5': 7 });

    expect(await ctx.query(`select 1 from sealed_survey_answers where school_id = '${schoolId}'`)).toHaveLength(0);
    const batches = await ctx.query<{ n: number }>(
      `select count(*)::int as n from satisfaction_responses where school_id = '${schoolId}' group by xmin::text`,
    );
    expect(batches.map((b) => b.n)).toEqual(Array(HOUSEHOLDS / SURVEY_BATCH).fill(SURVEY_BATCH));
    expect(
      await ctx.query(
        `select 1 from satisfaction_respondents m join satisfaction_responses r on r.xmin = m.xmin where m.school_id = '${schoolId}'`,
      ),
    ).toHaveLength(0);

    const comment = new Map(studentIds.map((id, i) => [id, `答卷${i}`]));
    const markers = await ctx.query<{ student_id: string }>(
      `select student_id from satisfaction_respondents where school_id = '${schoolId}' order by ctid`,
    );
    for (const order of ['ctid', 'id']) {
      const rows = await ctx.query<{ comment: string }>(
        `select comment from satisfaction_responses where school_id = '${schoolId}' order by ${order}`,
      );
      const identified = markers.filter((m, k) => comment.get(m.student_id) === rows[k].comment).length;
      // ctid: three shuffled batches, fixed points about Poisson(3) (P(> 12) < 10^-4); id order: about Poisson(1).
      expect({ order, identified: identified <= 12 }).toEqual({ order, identified: true });
    }
  });
});
