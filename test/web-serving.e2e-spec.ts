import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestContext, TestContext } from './support/harness';

const INDEX = '<!doctype html><html><head><!--jx-runtime--><title>t</title></head><body></body></html>';

/** A built app as Vite leaves it: index.html, hashed assets, a public file. */
function fakeBuild(root: string, app: string, marker: string) {
  const dist = join(root, app, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX.replace('<title>t</title>', `<title>${marker}</title>`));
  writeFileSync(join(dist, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
}

describe('the web apps served by parent-api (/h5/) and admin-api (/console/)', () => {
  let ctx: TestContext;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'jiaxiao-web-'));
    fakeBuild(webRoot, 'parent-h5', 'h5');
    fakeBuild(webRoot, 'admin-console', 'console');
    ctx = await createTestContext({
      apps: ['parent', 'admin'],
      env: { WEB_ROOT: webRoot, GATEWAY_PUBLIC_URL: 'wss://ws.example.cn', PUBLIC_BASE_URL: 'https://jx.example.cn' },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('redirects the bare prefix and serves index.html, never cached, with the gateway written in', async () => {
    const bare = await ctx.parent().get('/h5').expect(301);
    expect(bare.headers.location).toBe('/h5/');
    const index = await ctx.parent().get('/h5/').expect(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.text).toContain('<title>h5</title>');
    expect(index.text).toContain('<meta name="jx-gateway" content="wss://ws.example.cn" />');
    // WeChat is not configured here: the H5 must not send anyone to WeChat's authorization.
    expect(index.text).not.toContain('jx-wechat');
  });

  it('gives the pages a Content-Security-Policy that reaches their own files and the gateway only', async () => {
    const csp = (await ctx.parent().get('/h5/').expect(200)).headers['content-security-policy'] as string;
    const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'", 'https://ws.example.cn', 'wss://ws.example.cn']);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    const console = await ctx.admin().get('/console/').expect(200);
    expect(console.headers['content-security-policy']).toBe(csp);
    expect(console.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(console.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers deep links with index.html so the app opens the right screen', async () => {
    for (const path of ['/h5/messages', '/h5/chat/0b7c6a1e-3f7e-4c55-9d55-1c1f5a0f2a11', '/h5/lectures/x/check-in?token=abc']) {
      const response = await ctx.parent().get(path).expect(200);
      expect(response.text).toContain('<title>h5</title>');
    }
    const console = await ctx.admin().get('/console/reports/course-hours').expect(200);
    expect(console.text).toContain('<title>console</title>');
  });

  it('serves hashed assets with a year-long immutable cache and other files uncached', async () => {
    const asset = await ctx.parent().get('/h5/assets/index-Ab12Cd34.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toBe('console.log(1)');
    const icon = await ctx.admin().get('/console/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with a 404 in the error format, not with the page', async () => {
    const missing = await ctx.parent().get('/h5/assets/index-Old00000.js').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    await ctx.parent().get('/h5/robots.txt').expect(404);
  });

  it('never serves a file outside the build', async () => {
    for (const path of [
      '/h5/../package.json',
      '/h5/%2e%2e/%2e%2e/package.json',
      '/h5/assets/..%2f..%2f..%2fpackage.json',
      '/h5/%E0%A4%A',
    ]) {
      const response = await ctx.parent().get(path);
      expect(response.text).not.toContain('"workspaces"');
      expect([200, 404]).toContain(response.status);
    }
  });

  it('each app serves only its own client, and the API stays where it was', async () => {
    await ctx.admin().get('/h5/').expect(404);
    await ctx.parent().get('/console/').expect(404);
    await ctx.parent().get('/health').expect(200);
  });

  it('a check-in QR code links to the H5 check-in screen under PUBLIC_BASE_URL', async () => {
    const token = await ctx.login('13900000001', 'admin');
    const [lecture] = await ctx.query<{ id: string }>(
      `select id from lectures where mode = 'offline' and status = 'published' order by starts_at limit 1`,
    );
    const code = await ctx.admin().get(`/lectures/${lecture.id}/check-in-code`).set('authorization', `Bearer ${token}`).expect(200);
    expect(code.body.url).toBe(`https://jx.example.cn/h5/lectures/${lecture.id}/check-in?token=${encodeURIComponent(code.body.token)}`);
    expect(code.body.qr).toMatch(/^data:image\/png;base64,/);
  });
});

describe('a platform whose web apps are not built', () => {
  it('answers the H5 with a 404 that says how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'jiaxiao-web-empty-'));
    const ctx = await createTestContext({ apps: ['parent'], env: { WEB_ROOT: empty } });
    try {
      const response = await request(ctx.urls.parent!).get('/h5/messages').expect(404);
      expect(response.body.message).toContain('npm run build:web');
    } finally {
      await ctx.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
