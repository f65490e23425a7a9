import fc from 'fast-check';
import {
  describeRequest,
  FuzzContext,
  hostileRequests,
  OpenApiDocument,
  operationsOf,
  requestArbitrary,
  send,
} from '../bench/fuzz-requests';
import { createTestContext, TestContext } from './support/harness';

/**
 * Every route of parent-api and admin-api, as their OpenAPI documents list them, under hostile
 * requests (fast-check): every path, query and body field plausible or junk, bodies of the wrong
 * kind, 3,000-level JSON, multipart without a boundary or truncated, missing and forged tokens.
 * No answer may be a 5xx. `npm run bench:fuzz` runs the same generator at campaign size.
 */

const RUNS_PER_ROUTE = 6;

describe('HTTP fuzzing of every route (fast-check)', () => {
  let ctx: TestContext;
  let fuzz: FuzzContext;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    const tokens = [
      await ctx.login('13900000003'),
      await ctx.login('13900000002'),
      await ctx.login('13900000001', 'admin'),
      await ctx.login('13900000000', 'admin'),
    ];
    const ids = await ctx.query<{ id: string }>(
      `(select id::text from students limit 3) union all (select id::text from classes limit 3) union all (select id::text from schools limit 2)
       union all (select id::text from lectures limit 2) union all (select id::text from conversations limit 2) union all (select id::text from committees limit 2)
       union all (select id::text from elections limit 2) union all (select id::text from messages limit 2) union all (select id::text from users limit 2)`,
    );
    fuzz = { doc: { paths: {} }, tokens, ids: ids.map((r) => r.id) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it.each(['parent', 'admin'] as const)('%s-api: no request gets a 5xx', async (app) => {
    const base = ctx.urls[app] as string;
    const doc = (await ctx[app]().get('/docs-json').expect(200)).body as OpenApiDocument;
    const here = { ...fuzz, doc };
    const failures: string[] = [];
    let sent = 0;
    for (const op of operationsOf(doc)) {
      for (const req of hostileRequests(op, here)) {
        const res = await send(base, req);
        sent++;
        if (res.status >= 500) failures.push(`${res.status} ${res.code} ${describeRequest(req)}`);
      }
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op, here), async (req) => {
          const res = await send(base, req);
          sent++;
          if (res.status >= 500) failures.push(`${res.status} ${res.code} ${describeRequest(req)}`);
          return res.status < 500;
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(operationsOf(doc).length * RUNS_PER_ROUTE);
  });
});
