import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { createTestContext, TestContext } from './support/harness';

/**
 * The error contract of every HTTP app (CONTRACT.md, "HTTP"): one JSON shape, stable codes,
 * Chinese by default and English on request, and no 500 for anything a client can send.
 */
describe('errors and the HTTP basics (parent-api and admin-api)', () => {
  let ctx: TestContext;
  const api = (name: 'parent' | 'admin') => (name === 'parent' ? ctx.parent() : ctx.admin());

  beforeAll(async () => {
    // Every request comes from 127.0.0.1: keep the per-IP login throttle out of the way.
    ctx = await createTestContext({ apps: ['parent', 'admin'], env: { LOGIN_MAX_FAILURES_PER_IP: '1000' } });
  });
  afterAll(() => ctx.close());

  /** Asserts the error shape and returns the body. */
  function expectError(res: Response, status: number, code: string) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.body.statusCode).toBe(status);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message.length).toBeGreaterThan(0);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.body as { statusCode: number; code: string; message: string; errors?: { field: string; message: string }[] };
  }

  function call(name: 'parent' | 'admin', method: string, url: string): Test {
    const agent = api(name);
    switch (method) {
      case 'get':
        return agent.get(url);
      case 'post':
        return agent.post(url).send({});
      case 'put':
        return agent.put(url).send({});
      case 'patch':
        return agent.patch(url).send({});
      case 'delete':
        return agent.delete(url);
      default:
        throw new Error(`no ${method} in this test`);
    }
  }

  /** The id routes an app documents, as OpenAPI path templates with their methods. */
  async function idRoutes(name: 'parent' | 'admin'): Promise<{ method: string; path: string }[]> {
    const docs = await api(name).get('/docs-json').expect(200);
    const routes: { method: string; path: string }[] = [];
    for (const [path, operations] of Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)) {
      if (!path.includes('{')) continue;
      for (const method of Object.keys(operations)) routes.push({ method, path });
    }
    return routes;
  }

  describe('validation errors', () => {
    it('answer 400 VALIDATION_FAILED with one entry per bad field, in Chinese by default', async () => {
      const res = await ctx.parent().post('/auth/login').send({ phone: '12' });
      const body = expectError(res, 400, 'VALIDATION_FAILED');
      expect(body.errors).toEqual([
        { field: 'phone', message: '必须是有效的中国大陆手机号' },
        { field: 'password', message: '必须是文本' },
      ]);
      expect(body.message).toBe('请求参数有误：phone 必须是有效的中国大陆手机号；password 必须是文本');
    });

    it('answer in English with Accept-Language: en', async () => {
      const res = await ctx.parent().post('/auth/login').set('Accept-Language', 'en').send({ phone: '12', password: 'x' });
      const body = expectError(res, 400, 'VALIDATION_FAILED');
      expect(body.errors).toEqual([{ field: 'phone', message: 'must be a valid mainland China mobile number' }]);
      expect(body.message).toBe('The request has invalid fields: phone must be a valid mainland China mobile number');
    });

    it('follow the preferred language of a weighted Accept-Language', async () => {
      const english = await ctx
        .parent()
        .post('/auth/login')
        .set('Accept-Language', 'zh-CN;q=0.5, en-US;q=0.9')
        .send({ phone: '12', password: 'x' });
      expect(english.body.errors).toEqual([{ field: 'phone', message: 'must be a valid mainland China mobile number' }]);
      const chinese = await ctx
        .parent()
        .post('/auth/login')
        .set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.8')
        .send({ phone: '12', password: 'x' });
      expect(chinese.body.errors).toEqual([{ field: 'phone', message: '必须是有效的中国大陆手机号' }]);
      // q=0 means "not English".
      const refused = await ctx.parent().post('/auth/login').set('Accept-Language', 'en;q=0').send({ phone: '12', password: 'x' });
      expect(refused.body.errors).toEqual([{ field: 'phone', message: '必须是有效的中国大陆手机号' }]);
    });

    it('report a field once even when it breaks several rules, the wrong type first', async () => {
      const res = await ctx.parent().post('/auth/login').send({ phone: '13900000003', password: 12345 });
      expect(expectError(res, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'password', message: '必须是文本' }]);
    });

    it('fill in the limits of a rule', async () => {
      const long = await ctx
        .parent()
        .post('/auth/login')
        .send({ phone: '13900000003', password: 'x'.repeat(129) });
      expect(expectError(long, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'password', message: '长度不能超过 128 个字符' }]);
      const en = await ctx.parent().post('/auth/login').set('Accept-Language', 'en').send({ phone: '13900000003', password: '' });
      expect(en.body.errors).toEqual([{ field: 'password', message: 'must be at least 1 characters long' }]);
    });

    it('check query strings too', async () => {
      const token = await ctx.login('13900000000', 'admin');
      const res = await ctx.admin().get('/schools?limit=0&districtId=nope').set('Authorization', `Bearer ${token}`);
      const errors = expectError(res, 400, 'VALIDATION_FAILED').errors ?? [];
      expect([...errors].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
        { field: 'districtId', message: '必须是有效的编号（UUID）' },
        { field: 'limit', message: '不能小于 1' },
      ]);
      const unknown = await ctx.admin().get('/schools?admin=1').set('Authorization', `Bearer ${token}`);
      expect(expectError(unknown, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'admin', message: '不是允许的字段' }]);
    });
  });

  describe('hostile bodies never give 500', () => {
    const login = () => ctx.parent().post('/auth/login');

    it('a JSON array, a JSON string and null are not objects', async () => {
      for (const raw of ['[{"phone":"13900000003","password":"Jiaxiao#2016"}]', '"13900000003"', 'null', '42']) {
        const res = await login().set('Content-Type', 'application/json').send(raw);
        expect(expectError(res, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'body', message: '请求体必须是 JSON 对象' }]);
      }
    });

    it('an object where a string belongs is a type error, not a query operator', async () => {
      const res = await login().send({ phone: { $gt: '' }, password: 'x' });
      expect(expectError(res, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'phone', message: '必须是文本' }]);
      const nested = await login().send({ phone: ['13900000003'], password: { toString: 'x' } });
      expect(expectError(nested, 400, 'VALIDATION_FAILED').errors?.map((e) => e.field)).toEqual(['phone', 'password']);
    });

    it('unknown extra fields are refused, each by name', async () => {
      const res = await login().send({ phone: '13900000003', password: 'x', role: 'city_admin', isAdmin: true });
      expect(expectError(res, 400, 'VALIDATION_FAILED').errors).toEqual([
        { field: 'role', message: '不是允许的字段' },
        { field: 'isAdmin', message: '不是允许的字段' },
      ]);
    });

    it('a prototype-polluting body is refused as malformed', async () => {
      const res = await login()
        .set('Content-Type', 'application/json')
        .send('{"__proto__":{"admin":true},"phone":"13900000003","password":"x"}');
      expectError(res, 400, 'MALFORMED_REQUEST');
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('a 2 MB body is 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await login().send({ phone: '13900000003', password: 'x'.repeat(2 * 1024 * 1024) });
      expect(expectError(res, 413, 'PAYLOAD_TOO_LARGE').message).toBe('请求内容过大');
    });

    it('invalid JSON is 400 MALFORMED_REQUEST, in either language', async () => {
      const zh = await login().set('Content-Type', 'application/json').send('{"phone":');
      expect(expectError(zh, 400, 'MALFORMED_REQUEST').message).toMatch(/^请求格式有误：/);
      const en = await login().set('Content-Type', 'application/json').set('Accept-Language', 'en').send('{phone: 1}');
      expect(expectError(en, 400, 'MALFORMED_REQUEST').message).toMatch(/^The request is malformed: /);
      const empty = await login().set('Content-Type', 'application/json').send('');
      expectError(empty, 400, 'MALFORMED_REQUEST');
    });

    it('a content type the API does not read is 415; plain text is not a JSON object', async () => {
      const xml = await login().set('Content-Type', 'application/xml').send('<login phone="13900000003"/>');
      expectError(xml, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const binary = await login()
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.from([0, 1, 2, 3]));
      expectError(binary, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const text = await login().set('Content-Type', 'text/plain').send('phone=13900000003');
      expect(expectError(text, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'body', message: '请求体必须是 JSON 对象' }]);
    });

    it('a NUL character in a text field is a bad field, not a database error', async () => {
      const token = await ctx.login('13900000001', 'admin');
      const me = await ctx.admin().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
      const schoolId = me.body.scopes[0].schoolId as string;
      const res = await ctx
        .admin()
        .post(`/schools/${schoolId}/classes`)
        .set('Authorization', `Bearer ${token}`)
        .send({ grade: 7, name: '初一\u0000(9)班' });
      expect(expectError(res, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'name', message: '不能包含空字符' }]);
      const staff = await ctx
        .admin()
        .post(`/schools/${schoolId}/staff`)
        .set('Authorization', `Bearer ${token}`)
        .set('Accept-Language', 'en')
        .send({ phone: '13812990001', name: 'x\u0000', role: 'coordinator' });
      expect(expectError(staff, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'name', message: 'must not contain NUL characters' }]);
      const [{ n }] = await ctx.query<{ n: number }>("select count(*)::int as n from users where phone = '13812990001'");
      expect(n).toBe(0);
    });

    it('a NUL character in an uploaded file name is dropped', async () => {
      const token = await ctx.login('13900000001', 'admin');
      const [{ id: classId }] = await ctx.query<{ id: string }>(
        "select c.id from classes c join schools s on s.id = c.school_id where s.name = '潍坊七中' and c.name = '初一(1)班'",
      );
      const boundary = 'jiaxiao-boundary';
      const body = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''%E8%8A%B1%00%E5%90%8D%E5%86%8C.csv\r\n` +
          `Content-Type: text/csv\r\n\r\n学生姓名,家长姓名,家长手机号,关系\r\n李四,李父,13812990002,父亲\r\n\r\n--${boundary}--\r\n`,
      );
      const res = await ctx
        .admin()
        .post(`/classes/${classId}/roster-imports`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
        .send(body);
      expect(res.status).toBe(201);
      expect(res.body.fileName).toBe('花名册.csv');
    });

    it('a tampered cursor, a malformed refresh token and an impossible school year are 4xx', async () => {
      const token = await ctx.login('13900000000', 'admin');
      for (const key of [['\u0000'], [{ name: 'x' }], ['a', 'b'], 'x']) {
        const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
        const res = await ctx.admin().get(`/schools?cursor=${cursor}`).set('Authorization', `Bearer ${token}`);
        expect(expectError(res, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'cursor', message: '格式不正确' }]);
      }
      for (const refreshToken of [`${'-'.repeat(36)}.secret`, `${'a'.repeat(36)}.secret`, `${randomUUID().toUpperCase()}x.secret`]) {
        const res = await ctx.parent().post('/auth/refresh').send({ refreshToken });
        expectError(res, 401, 'TOKEN_INVALID');
      }
      const year = await ctx.admin().post('/school-years').set('Authorization', `Bearer ${token}`).send({ name: '0000-0001' });
      expect(expectError(year, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'name', message: '格式不正确' }]);
    });
  });

  describe('routes and ids', () => {
    it('an unknown route is 404 ROUTE_NOT_FOUND naming it', async () => {
      const res = await ctx.parent().get('/no/such/route?x=1');
      expect(expectError(res, 404, 'ROUTE_NOT_FOUND').message).toBe('接口不存在：GET /no/such/route');
      const en = await ctx.admin().delete('/me').set('Accept-Language', 'en');
      expect(expectError(en, 404, 'ROUTE_NOT_FOUND').message).toBe('No such route: DELETE /me');
    });

    it('a URL Fastify cannot route (bad escape, over-long parameter) gets the same 404 shape', async () => {
      const bad = await ctx.parent().get('/students/%ZZ');
      expectError(bad, 404, 'ROUTE_NOT_FOUND');
      expect(bad.headers['x-request-id']).toEqual(expect.any(String));
      const long = await ctx.admin().get(`/schools/${'a'.repeat(150)}`);
      expectError(long, 404, 'ROUTE_NOT_FOUND');
    });

    it('an id that is not a UUID is 404 on every id route of both APIs, never 500', async () => {
      const tokens = { parent: await ctx.login('13900000003'), admin: await ctx.login('13900000000', 'admin') };
      const badIds = ['not-a-uuid', '123', "1' OR '1'='1", `${randomUUID()}x`, 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ'];
      let checked = 0;
      for (const name of ['parent', 'admin'] as const) {
        const routes = await idRoutes(name);
        expect(routes.length).toBeGreaterThan(0);
        for (const { method, path } of routes) {
          for (const id of badIds) {
            const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
            const res = await call(name, method, url).set('Authorization', `Bearer ${tokens[name]}`);
            expect({ route: `${name} ${method} ${path} ${id}`, status: res.status }).toEqual({
              route: `${name} ${method} ${path} ${id}`,
              status: 404,
            });
            expect(res.body.code).toMatch(/_NOT_FOUND$/);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThanOrEqual(badIds.length * 10);
    });
  });

  describe('operations', () => {
    it.each(['parent', 'admin'] as const)('GET /health on %s-api is 200 {status: "ok"} with database and Redis up', async (name) => {
      const res = await api(name).get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    });

    it('GET /docs-json is OpenAPI 3 describing the routes and DTOs of parent-api', async () => {
      const res = await ctx.parent().get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(res.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining(['/auth/login', '/auth/refresh', '/me', '/me/children', '/students/{id}', '/classes/{id}', '/health']),
      );
      expect(res.body.paths['/auth/login'].post).toBeDefined();
      expect(res.body.components.schemas.LoginDto.properties).toHaveProperty('phone');
      expect(res.body.components.securitySchemes).toHaveProperty('bearer');
      expect(paths).not.toContain('/classes/{id}/roster-imports');
    });

    it('GET /docs-json on admin-api lists the staff routes', async () => {
      const res = await ctx.admin().get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/auth/login',
          '/me',
          '/schools',
          '/schools/{id}',
          '/schools/{id}/classes',
          '/schools/{id}/staff',
          '/role-assignments/{id}',
          '/classes/{id}/students',
          '/classes/{id}/roster-imports',
          '/imports/{id}',
        ]),
      );
      expect(res.body.paths['/classes/{id}/roster-imports'].post).toBeDefined();
      expect(res.body.paths['/role-assignments/{id}'].delete).toBeDefined();
      expect(res.body.components.schemas).toHaveProperty('AppointStaffDto');
    });

    it('GET /docs serves the Swagger UI', async () => {
      const res = await ctx.admin().get('/docs').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });

    it.each(['parent', 'admin'] as const)('GET /metrics on %s-api is Prometheus text with request durations', async (name) => {
      await api(name).get('/health').expect(200);
      const res = await api(name).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(res.text).toMatch(
        new RegExp(`http_request_duration_seconds_count\\{app="${name}-api",method="GET",route="/health",status="200"\\} [1-9]`),
      );
    });

    it('every response carries an x-request-id, a new one per request unless the client sent one', async () => {
      const token = await ctx.login('13900000003');
      const responses = await Promise.all([
        ctx.parent().get('/health'),
        ctx.parent().get('/me').set('Authorization', `Bearer ${token}`),
        ctx.parent().get('/me'),
        ctx.parent().post('/auth/login').send({ phone: '1' }),
        ctx.parent().post('/auth/login').set('Content-Type', 'application/json').send('{'),
        ctx.parent().post('/auth/login').set('Content-Type', 'application/xml').send('<a/>'),
        ctx.parent().get('/nowhere'),
        ctx.parent().get('/metrics'),
        ctx.parent().get('/docs-json'),
        ctx.admin().get('/me').set('Authorization', `Bearer ${token}`),
        ctx.admin().get('/students/%ZZ'),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 400, 400, 415, 404, 200, 200, 403, 404]);
      const ids = responses.map((r) => r.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(ids.length);

      const traced = await ctx.parent().get('/health').set('x-request-id', 'lb-trace-42');
      expect(traced.headers['x-request-id']).toBe('lb-trace-42');
    });
  });
});
