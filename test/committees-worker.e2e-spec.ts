import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';

/**
 * The election tally through the real worker: opening an election queues a delayed
 * `election.tally` job for the end of its voting window; the worker runs it, closes the
 * election, appoints the winner and tells the guardians in scope.
 */
describe('committees worker (election.tally)', () => {
  let ctx: TestContext;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('closes an election when its voting window ends and publishes the result', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const chen = await ctx.login('13900000003');
    const [{ id: chenId }] = await ctx.query<{ id: string }>(`select id::text from users where phone = '13900000003'`);
    const [{ id: committeeId }] = await ctx.query<{ id: string }>(`select id::text from committees where name = '初一(1)班家长委员会'`);

    // Nominations already over, voting open now and for a few more seconds.
    const now = Date.now();
    const opened = await ctx
      .admin()
      .post(`/committees/${committeeId}/elections`)
      .set(auth(coordinator))
      .send({
        title: '家委会秘书选举',
        role: 'secretary',
        seats: 1,
        nominationStartsAt: new Date(now - 120_000).toISOString(),
        nominationEndsAt: new Date(now - 60_000).toISOString(),
        votingStartsAt: new Date(now - 60_000).toISOString(),
        votingEndsAt: new Date(now + 4_000).toISOString(),
      })
      .expect(201);
    const electionId = opened.body.id as string;
    // The nomination window is already past, so the accepted candidate is written directly.
    await ctx.query(
      `insert into nominations (election_id, nominee_id, nominated_by, status) values ('${electionId}', '${chenId}', '${chenId}', 'accepted')`,
    );
    await ctx
      .parent()
      .post(`/elections/${electionId}/ballot`)
      .set(auth(chen))
      .send({ choices: [chenId] })
      .expect(200);
    expect((await ctx.parent().get(`/elections/${electionId}`).set(auth(chen)).expect(200)).body.status).toBe('open');
    const queue = ctx.apps.admin!.get<Queue>(getQueueToken(QUEUES.committees), { strict: false });
    expect(await queue.getJobState(`election-tally-${electionId}`)).toBe('delayed');

    // Nothing but the delayed job closes it: no route is called from here on, and the
    // close-due safety net runs every 5 minutes, far outside this wait.
    const deadline = Date.now() + 20_000;
    let election: { status: string; result: { ballots: number; winners: string[] } | null } | undefined;
    while (Date.now() < deadline) {
      election = (await ctx.parent().get(`/elections/${electionId}`).set(auth(chen)).expect(200)).body;
      if (election?.status === 'closed') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(election?.status).toBe('closed');
    expect(election?.result).toEqual(expect.objectContaining({ ballots: 1, winners: [chenId] }));
    const [closed] = await ctx.query<{ closed_at: Date; ends: Date }>(
      `select closed_at, voting_ends_at as ends from elections where id = '${electionId}'`,
    );
    expect(new Date(closed.closed_at).getTime()).toBeGreaterThanOrEqual(new Date(closed.ends).getTime());

    const members = await ctx.parent().get(`/committees/${committeeId}/members`).set(auth(chen)).expect(200);
    expect(members.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ userId: chenId, role: 'secretary' })]));
    const [tallied] = await ctx.query<{ actor_id: string | null }>(
      `select actor_id from audit_log where action = 'election.tallied' and target_id = '${electionId}'`,
    );
    expect(tallied.actor_id).toBeNull();
    const notes = await ctx.query(`select 1 from notifications where user_id = '${chenId}' and kind = 'election.result'`);
    expect(notes).toHaveLength(1);
  });
});
