import { randomUUID } from 'node:crypto';
import { Controller, Delete, Get, INestApplicationContext, Param, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUTHORIZE, Authorize, AuthorizeRule, PolicyService } from '@jiaxiao/auth';
import { IS_PUBLIC, Public } from '@jiaxiao/common';
import { listen } from '@jiaxiao/platform';
import { createAdminApi } from '../apps/admin-api/src/admin-api.app';
import { createParentApi } from '../apps/parent-api/src/parent-api.app';
import { createTestContext, TestContext } from './support/harness';

/** The only routes reachable without a bearer token. Adding one is a decision: make it here, on purpose. */
const PUBLIC_ROUTES = [
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/sms-codes',
  'POST /auth/login/sms',
  'POST /auth/password/reset',
  'GET /privacy-notice',
  'GET /health',
  'GET /metrics',
];
/**
 * parent-api only: the public list of designated model schools (CONTRACT: no login needed); the development SMS outbox (never in production); WeChat sign-in;
 * the 公共服务平台's public reads (lecture calendar, counselling sites, published campaign entries, the bureau's library).
 */
const PARENT_PUBLIC_ROUTES = [
  'GET /model-schools',
  'GET /dev/outbox',
  'GET /auth/wechat/authorize-url',
  'POST /auth/wechat',
  'GET /public/lectures',
  'GET /public/support-sites',
  'GET /public/campaign-entries',
  'GET /public/articles',
  'GET /public/articles/:id',
];

interface Route {
  method: string;
  path: string;
  controller: string;
  handler: string;
  params: string[];
  isPublic: boolean;
  rule: AuthorizeRule | undefined;
}

/**
 * Every controller route of an app as Nest registers it, with the metadata the global AuthGuard
 * reads: IS_PUBLIC on the handler or its class, AUTHORIZE on the handler only.
 */
function routesOf(app: INestApplicationContext): Route[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
    if (!controller) continue;
    const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
    const classPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const prefix of prefixes) {
        for (const path of asArray(paths)) {
          const full = `/${[prefix, path].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
          routes.push({
            method,
            path: full,
            controller: controller.name,
            handler: name,
            params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1]),
            isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, handler) === true,
            rule: Reflect.getMetadata(AUTHORIZE, handler) as AuthorizeRule | undefined,
          });
        }
      }
    }
  }
  return routes;
}

const label = (r: Route) => `${r.method} ${r.path} (${r.controller}.${r.handler})`;

/** What is wrong with the id routes: each must name its parameter in an @Authorize rule for a known resource. */
function authorizeProblems(routes: Route[], knows: (resource: string) => boolean): string[] {
  const problems: string[] = [];
  // A @Public() route has no principal to authorize: the exact list of them below pins each one, and
  // its handler answers what anyone may read (GET /public/articles/:id: published articles only).
  for (const r of routes.filter((route) => route.params.length > 0 && !route.isPublic)) {
    if (!r.rule) {
      problems.push(`${label(r)}: no @Authorize`);
      continue;
    }
    if (!r.params.includes(r.rule.param))
      problems.push(`${label(r)}: @Authorize checks :${r.rule.param}, the path has :${r.params.join(', :')}`);
    if (r.params.length > 1) problems.push(`${label(r)}: one @Authorize rule cannot cover :${r.params.join(', :')}`);
    if (!knows(r.rule.resource)) problems.push(`${label(r)}: no access rule for resource "${r.rule.resource}"`);
  }
  return problems;
}

function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value : [value];
}

describe('every route is guarded (parent-api and admin-api)', () => {
  let ctx: TestContext;
  const apps: Record<'parent' | 'admin', { app: NestFastifyApplication; url: string; routes: Route[] }> = {} as never;

  beforeAll(async () => {
    // The harness gives this file its database and Redis; the apps are built here so their Nest containers can be inspected.
    ctx = await createTestContext({ apps: [] });
    for (const [name, create] of [
      ['parent', createParentApi],
      ['admin', createAdminApi],
    ] as const) {
      const app = await create(ctx.infra);
      apps[name] = { app, url: await listen(app, 0), routes: routesOf(app) };
    }
  });
  afterAll(async () => {
    for (const { app } of Object.values(apps)) await app?.close();
    await ctx?.close();
  });

  it('the check itself catches an unguarded id route, a misnamed parameter and a stray @Public()', async () => {
    @Controller('rogue')
    class RogueController {
      @Get(':id')
      unguarded(@Param('id') id: string) {
        return id;
      }

      @Delete(':schoolId')
      @Authorize('manage', 'school')
      misnamed(@Param('schoolId') id: string) {
        return id;
      }

      @Get()
      @Public()
      open() {
        return [];
      }
    }
    const module = await Test.createTestingModule({ controllers: [RogueController] }).compile();
    try {
      const routes = routesOf(module);
      expect(routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rogue']);
      expect(authorizeProblems(routes, () => true)).toEqual([
        'GET /rogue/:id (RogueController.unguarded): no @Authorize',
        'DELETE /rogue/:schoolId (RogueController.misnamed): @Authorize checks :id, the path has :schoolId',
      ]);
    } finally {
      await module.close();
    }
  });

  describe.each(['parent', 'admin'] as const)('%s-api', (name) => {
    const routes = () => apps[name].routes;

    it('the walk finds every documented route', async () => {
      const docs = await request(apps[name].url).get('/docs-json').expect(200);
      const documented = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const walked = routes().map((r) => `${r.method} ${r.path}`);
      expect(documented.length).toBeGreaterThan(3);
      expect(walked).toEqual(expect.arrayContaining(documented));
      expect(walked).toEqual(expect.arrayContaining(['GET /health', 'GET /metrics', 'POST /auth/login', 'GET /me']));
      // Each walked route is one Fastify really serves.
      const fastify = apps[name].app.getHttpAdapter().getInstance();
      for (const r of routes())
        expect({ route: label(r), served: fastify.hasRoute({ method: r.method as 'GET', url: r.path }) }).toEqual({
          route: label(r),
          served: true,
        });
    });

    it('every route with a path parameter carries an @Authorize rule naming that parameter, for a resource the policy knows', () => {
      const policy = apps[name].app.get(PolicyService);
      expect(routes().filter((r) => r.params.length > 0).length).toBeGreaterThan(0);
      expect(authorizeProblems(routes(), (resource) => policy.knows(resource))).toEqual([]);
    });

    it('only the login, refresh, health and metrics routes (and parent-api’s model-school list) are @Public()', () => {
      const open = routes()
        .filter((r) => r.isPublic)
        .map((r) => `${r.method} ${r.path}`)
        .sort();
      expect(open).toEqual([...PUBLIC_ROUTES, ...(name === 'parent' ? PARENT_PUBLIC_ROUTES : [])].sort());
    });

    it('and the guard really runs: without a token every other route answers 401 UNAUTHENTICATED', async () => {
      const id = randomUUID();
      const guarded = routes().filter((r) => !r.isPublic);
      expect(guarded.length).toBeGreaterThan(3);
      for (const r of guarded) {
        const url = r.path.replace(/:(\w+)/g, id);
        const res = await request(apps[name].url)[r.method.toLowerCase() as 'get'](url);
        expect({ route: label(r), status: res.status, code: res.body.code }).toEqual({
          route: label(r),
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
    });
  });
});
