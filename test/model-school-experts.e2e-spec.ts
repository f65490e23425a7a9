import { createTestContext, TestContext } from './support/harness';

describe('model-school experts for assignment (admin-api GET /model-schools/experts)', () => {
  let ctx: TestContext;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
  });
  afterAll(() => ctx?.close());

  it('lists the registered experts with their own district to city staff only', async () => {
    const city = await ctx.login('13900000000', 'admin');
    const listed = await ctx.admin().get('/model-schools/experts').set(auth(city)).expect(200);
    const [expert] = await ctx.query<{ id: string }>(`select id from users where phone = '13900000066'`);
    expect(listed.body.items).toEqual([{ userId: expert.id, name: '周文博', districtId: expect.any(String), districtName: '昌乐县' }]);

    for (const phone of ['13900000001', '13900000006']) {
      const refused = await ctx
        .admin()
        .get('/model-schools/experts')
        .set(auth(await ctx.login(phone, 'admin')))
        .expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
    }
  });
});
