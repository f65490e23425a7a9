import { createTestContext, TestContext } from './support/harness';

describe('the audit log (admin-api GET /audit-log)', () => {
  let ctx: TestContext;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
  });
  afterAll(() => ctx?.close());

  it('city staff page through the trail newest first, filtered by action, with masked actor phones', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const city = await ctx.login('13900000000', 'admin');
    const classes = await ctx.admin().get('/me').set(auth(coordinator)).expect(200);
    const schoolId = (classes.body.scopes as { schoolId: string }[])[0].schoolId;
    const [first] = (await ctx.admin().get(`/schools/${schoolId}/classes`).set(auth(coordinator)).expect(200)).body as { id: string }[];
    await ctx.admin().get(`/classes/${first.id}/roster.xlsx`).set(auth(coordinator)).expect(200);
    await ctx.admin().get(`/classes/${first.id}/roster.xlsx`).set(auth(coordinator)).expect(200);

    const page1 = await ctx.admin().get('/audit-log?action=roster.exported&limit=1').set(auth(city)).expect(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({
      action: 'roster.exported',
      actorName: '王秀英',
      actorPhone: '139****0001',
      targetId: first.id,
    });
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await ctx
      .admin()
      .get(`/audit-log?action=roster.exported&limit=1&cursor=${page1.body.nextCursor}`)
      .set(auth(city))
      .expect(200);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect(new Date(page2.body.items[0].createdAt).getTime()).toBeLessThanOrEqual(new Date(page1.body.items[0].createdAt).getTime());
    expect(page2.body.nextCursor).toBeNull();

    const all = await ctx.admin().get('/audit-log').set(auth(city)).expect(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses everyone but city staff, and a tampered cursor is a 400', async () => {
    for (const phone of ['13900000001', '13900000002', '13900000006']) {
      const token = await ctx.login(phone, 'admin');
      const refused = await ctx.admin().get('/audit-log').set(auth(token)).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
    }
    const city = await ctx.login('13900000000', 'admin');
    const bad = await ctx.admin().get('/audit-log?cursor=not-a-cursor').set(auth(city)).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await ctx.admin().get('/audit-log?action=DROP%20TABLE').set(auth(city)).expect(400);
  });
});
