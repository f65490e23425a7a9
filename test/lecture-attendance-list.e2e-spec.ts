import { createTestContext, TestContext } from './support/harness';

describe('a lecture’s attendance for its organisers (admin-api GET /lectures/:id/attendance)', () => {
  let ctx: TestContext;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
  });
  afterAll(() => ctx?.close());

  it('lists check-ins with their credit, and a revocation with its reason', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const lectures = await ctx.admin().get('/lectures').set(auth(coordinator)).expect(200);
    const lecture = (lectures.body.items as { id: string; series: string; status: string; mode: string }[]).find(
      (l) => l.series === 'parents_forum' && l.status === 'published' && l.mode === 'offline',
    );
    const path = `/lectures/${lecture?.id}/attendance`;
    await expect(ctx.admin().get(path).set(auth(coordinator))).resolves.toMatchObject({ status: 200, body: { items: [] } });

    await ctx.admin().post(path).set(auth(coordinator)).send({ phone: '13900000003', reason: '家长无智能手机' }).expect(200);
    const listed = await ctx.admin().get(path).set(auth(coordinator)).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        name: expect.any(String),
        phone: '139****0003',
        ledgerId: expect.any(String),
        hours: 2,
        source: 'manual',
        revokedAt: null,
        revokeReason: null,
      }),
    ]);
    expect(listed.body.items[0].checkedInAt).toEqual(expect.any(String));

    await ctx.admin().post(`/ledger/${listed.body.items[0].ledgerId}/revoke`).set(auth(coordinator)).send({ reason: '误录' }).expect(204);
    const revoked = await ctx.admin().get(path).set(auth(coordinator)).expect(200);
    expect(revoked.body.items[0]).toMatchObject({
      ledgerId: listed.body.items[0].ledgerId,
      revokeReason: '误录',
      revokedAt: expect.any(String),
    });

    // The coordinator of another school does not organise it.
    const other = await ctx.login('13900000067', 'admin');
    const refused = await ctx.admin().get(path).set(auth(other));
    expect(refused.status).toBe(403);
  });
});
