import { createConfig, lintFromString, NormalizedProblem } from '@redocly/openapi-core';
import { ERROR_CATALOG } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';

/**
 * Both REST apps' OpenAPI documents, as /docs-json serves them, pass Redocly's recommended
 * rules with no error: this holds for every route, including ones added later.
 */
describe('OpenAPI documents', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
  });
  afterAll(() => ctx.close());

  async function lint(api: 'parent' | 'admin'): Promise<{ document: OpenApiDocument; problems: NormalizedProblem[] }> {
    const response = await ctx[api]().get('/docs-json').expect(200);
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: response.text, absoluteRef: `${api}-api.json`, config });
    return { document: response.body as OpenApiDocument, problems };
  }

  const describeProblems = (problems: NormalizedProblem[]) =>
    problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`).join('\n');

  it.each(['parent', 'admin'] as const)('%s-api passes the recommended rules with no error', async (api) => {
    const { problems } = await lint(api);
    const errors = problems.filter((p) => p.severity === 'error');
    expect(describeProblems(errors)).toBe('');
  });

  it.each(['parent', 'admin'] as const)(
    '%s-api: servers, a summary, security and shared error responses on every operation',
    async (api) => {
      const { document } = await lint(api);
      expect(document.servers?.length).toBeGreaterThan(0);
      const errorSchema = document.components.schemas.ErrorResponse;
      expect(errorSchema.properties.code.enum).toEqual(Object.keys(ERROR_CATALOG));
      const refs = new Set(Object.keys(document.components.responses).map((name) => `#/components/responses/${name}`));
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const where = `${method.toUpperCase()} ${path}`;
          expect([where, typeof operation.summary]).toEqual([where, 'string']);
          expect([where, Array.isArray(operation.security)]).toEqual([where, true]);
          for (const [status, response] of Object.entries(operation.responses)) {
            if (!status.startsWith('4')) continue;
            const schema = response.$ref ? refs.has(response.$ref) && 'shared' : response.content?.['application/json']?.schema?.$ref;
            expect([where, status, schema]).toEqual([
              where,
              status,
              expect.stringMatching(/^(shared|#\/components\/schemas\/ErrorResponse)$/),
            ]);
          }
        }
      }
    },
  );

  it('asks for a token on guarded routes and none on public ones', async () => {
    const parent = (await lint('parent')).document;
    expect(parent.paths['/me'].get.security).toEqual([{ bearer: [] }]);
    expect(parent.paths['/me'].get.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(parent.paths['/auth/login'].post.security).toEqual([]);
    expect(parent.paths['/model-schools'].get.security).toEqual([]);
    expect(parent.paths['/public/lectures'].get.security).toEqual([]);
    expect(parent.paths['/public/articles'].get.security).toEqual([]);
    expect(parent.paths['/health'].get.security).toEqual([]);
    const admin = (await lint('admin')).document;
    expect(admin.paths['/lectures/{id}/check-in-code'].get.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    expect(admin.paths['/auth/login'].post.security).toEqual([]);
  });
});

interface OpenApiResponse {
  $ref?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}

interface OpenApiDocument {
  components: {
    schemas: Record<string, { properties: Record<string, { enum?: string[] }> }>;
    responses: Record<string, OpenApiResponse>;
  };
  servers?: { url: string }[];
  paths: Record<
    string,
    Record<string, { summary?: string; security?: Record<string, string[]>[]; responses: Record<string, OpenApiResponse> }>
  >;
}
