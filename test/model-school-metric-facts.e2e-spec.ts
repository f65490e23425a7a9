import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DomainEvents, EventName, QUEUES } from '@jiaxiao/common';
import { OutboxService } from '@jiaxiao/platform';
import { ModelSchoolsRepository } from '../libs/model-schools/src/model-schools.repository';
import { auth, createLecture, demoPlaces, DemoPlaces, eventually, HOUR, minutesFromNow, newPhone } from './support/courses';
import { createTestContext, TestContext } from './support/harness';

/**
 * 示范学校's counted indicators follow the other contexts' events through the worker: appointing
 * and revoking a coordinator, establishing a committee, publishing, moving and cancelling a lecture,
 * entering a campaign and having the entry rejected. Each event queues one job that writes its
 * facts; a metric as of an instant sums them, so an earlier instant keeps its count. An event
 * delivered twice writes its facts once.
 */
describe('model-school metric facts (admin-api, parent-api, worker)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let city: string;
  let schoolYearId: string;
  let repository: ModelSchoolsRepository;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'] });
    places = await demoPlaces(ctx);
    city = await ctx.login('13900000000', 'admin');
    schoolYearId = (await ctx.query<{ id: string }>(`select id::text from school_years where name = '${places.schoolYear}'`))[0].id;
    repository = ctx.apps.admin!.get(ModelSchoolsRepository, { strict: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const counted = (at: Date) => repository.countedInputs(places.guangwen, schoolYearId, at);
  const later = () => new Date(Date.now() + 30 * 24 * HOUR);
  /** Every event handed on and every fact job run. */
  const settled = () =>
    eventually(async () => {
      expect(await ctx.query(`select 1 from outbox_events`)).toEqual([]);
      const jobs = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.modelSchools), { strict: false });
      expect(await jobs.getJobCounts('waiting', 'active', 'delayed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    });

  it('a coordinator counts from the appointment until the revocation; an instant in between keeps the count', async () => {
    const before = (await counted(later())).coordinators;
    const appointed = await ctx
      .admin()
      .post(`/schools/${places.guangwen}/staff`)
      .set(auth(city))
      .send({ phone: newPhone(), name: '孙协调', role: 'coordinator' })
      .expect(201);
    await eventually(async () => expect((await counted(later())).coordinators).toBe(before + 1));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ctx.admin().delete(`/role-assignments/${appointed.body.id}`).set(auth(city)).expect(204);
    await eventually(async () => expect((await counted(later())).coordinators).toBe(before));
    expect((await counted(between)).coordinators).toBe(before + 1);
    // A teacher's appointment is no coordinator.
    await ctx
      .admin()
      .post(`/schools/${places.guangwen}/staff`)
      .set(auth(city))
      .send({ phone: newPhone(), name: '钱老师', role: 'teacher', classId: places.guangwenClass })
      .expect(201);
    await settled();
    expect((await counted(later())).coordinators).toBe(before);
  });

  it('an established committee adds its level once, however many committees of that level', async () => {
    const before = (await counted(later())).committeeLevels;
    await ctx
      .admin()
      .post('/committees')
      .set(auth(city))
      .send({ schoolId: places.guangwen, level: 'grade', grade: 7, charter: [] })
      .expect(201);
    await eventually(async () => expect((await counted(later())).committeeLevels).toBe(before + 1));
    await ctx
      .admin()
      .post('/committees')
      .set(auth(city))
      .send({ schoolId: places.guangwen, level: 'grade', grade: 8, charter: [] })
      .expect(201);
    await settled();
    expect(
      await ctx.query(`select delta from model_school_metric_facts where subject = 'grade' and school_id = '${places.guangwen}'`),
    ).toEqual([{ delta: 1 }, { delta: 1 }]);
    expect((await counted(later())).committeeLevels).toBe(before + 1);
  });

  it('a published lecture counts from its start; a move moves it, a cancellation takes it back', async () => {
    const startsAt = minutesFromNow(3 * 24 * 60);
    const movedTo = minutesFromNow(4 * 24 * 60);
    const held = async (at: Date) => (await counted(at)).lecturesHeld;
    const [beforeFirst, beforeMoved] = [await held(new Date(startsAt.getTime() + HOUR)), await held(new Date(movedTo.getTime() + HOUR))];
    const lecture = await createLecture(ctx, city, places.guangwen, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR) });
    await eventually(async () => expect(await held(new Date(startsAt.getTime() + HOUR))).toBe(beforeFirst + 1));
    expect(await held(new Date(startsAt.getTime() - HOUR))).toBe(await held(new Date(startsAt.getTime() - 2 * HOUR)));

    await ctx
      .admin()
      .patch(`/lectures/${lecture.id}`)
      .set(auth(city))
      .send({ startsAt: movedTo.toISOString(), endsAt: new Date(movedTo.getTime() + 2 * HOUR).toISOString() })
      .expect(200);
    await eventually(async () => expect(await held(new Date(startsAt.getTime() + HOUR))).toBe(beforeFirst));
    expect(await held(new Date(movedTo.getTime() + HOUR))).toBe(beforeMoved + 1);

    await ctx.admin().post(`/lectures/${lecture.id}/cancel`).set(auth(city)).expect(200);
    await eventually(async () => expect(await held(new Date(movedTo.getTime() + HOUR))).toBe(beforeMoved));
    // A draft cancelled was never held: nothing below zero.
    const draft = await createLecture(ctx, city, places.guangwen, { startsAt, endsAt: new Date(startsAt.getTime() + HOUR) }, false);
    await ctx.admin().post(`/lectures/${draft.id}/cancel`).set(auth(city)).expect(200);
    await settled();
    expect(await ctx.query(`select delta from model_school_metric_facts where subject = '${draft.id}'`)).toEqual([{ delta: -1 }]);
    expect(await held(new Date(movedTo.getTime() + HOUR))).toBe(beforeMoved);
  });

  it('a campaign entry counts its household; its rejection takes it back', async () => {
    const zhao = await ctx.login('13900000005');
    const child = (await ctx.query<{ id: string }>(`select id::text from students where name = '赵一鸣'`))[0].id;
    const campaign = (await ctx.query<{ id: string }>(`select id::text from campaigns where kind = 'family_story' limit 1`))[0].id;
    const households = async () => (await counted(later())).campaignHouseholds;
    const before = await households();
    const entry = await ctx
      .parent()
      .post(`/campaigns/${campaign}/submissions`)
      .set(auth(zhao))
      .send({ studentId: child, familyName: '赵家', title: '家和万事兴', body: '我家的家训是……' })
      .expect(201);
    await eventually(async () => expect(await households()).toBe(before + 1));
    await ctx
      .admin()
      .post(`/campaign-submissions/${entry.body.id}/review`)
      .set(auth(city))
      .send({ decision: 'reject', reason: '内容与主题不符' })
      .expect(200);
    await eventually(async () => expect(await households()).toBe(before));
  });

  describe('an event delivered twice', () => {
    const queue = () => ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.modelSchools), { strict: false });

    /** Writes the event, relays it, waits for its job; then the same row (same id) once more. */
    async function deliverTwice<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<number> {
      const outbox = ctx.apps.worker!.get(OutboxService, { strict: false });
      const json = JSON.stringify(payload);
      const [{ id }] = await ctx.query<{ id: string }>(
        `insert into outbox_events (name, payload) values ('${name}', '${json}') returning id::text`,
      );
      for (let round = 0; round < 2; round += 1) {
        if (round > 0) await ctx.query(`insert into outbox_events (id, name, payload) values (${id}, '${name}', '${json}')`);
        await outbox.relayDue();
        await eventually(async () => expect(await queue().getJob(`model-school-fact-${id}`)).toBeUndefined());
      }
      return Number(id);
    }

    it('writes its facts once', async () => {
      const assignmentId = '00000000-0000-4000-8000-00000000a001';
      const before = (await counted(later())).coordinators;
      await deliverTwice('staff.appointed', {
        assignmentId,
        role: 'coordinator',
        scopeType: 'school',
        scopeId: places.guangwen,
        at: new Date().toISOString(),
      });
      await settled();
      expect(await ctx.query(`select delta from model_school_metric_facts where subject = '${assignmentId}'`)).toEqual([{ delta: 1 }]);
      expect((await counted(later())).coordinators).toBe(before + 1);

      const lecture = await createLecture(ctx, city, places.guangwen, {
        startsAt: minutesFromNow(5 * 24 * 60),
        endsAt: minutesFromNow(5 * 24 * 60 + 60),
      });
      await eventually(async () =>
        expect(await ctx.query(`select 1 from model_school_metric_facts where subject = '${lecture.id}'`)).toHaveLength(1),
      );
      const [from, to] = [lecture.startsAt, minutesFromNow(6 * 24 * 60).toISOString()];
      const moved = await deliverTwice('lecture.rescheduled', { lectureId: lecture.id, from, to });
      await settled();
      const rows = await ctx.query<{ key: string; delta: number }>(
        `select key, delta from model_school_metric_facts where key like 'lecture.rescheduled:${moved}:%' order by key`,
      );
      expect(rows).toEqual([
        { key: `lecture.rescheduled:${moved}:from`, delta: -1 },
        { key: `lecture.rescheduled:${moved}:to`, delta: 1 },
      ]);
    });
  });
});
