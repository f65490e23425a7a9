import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@jiaxiao/common';
import { webPageCsp } from './security';

/** A built single-page app served by an HTTP app under a path prefix (the H5 at /h5/, the console at /console/). */
export interface WebAppOptions {
  /** URL prefix without slashes, e.g. `h5` */
  prefix: string;
  /** the app's folder under WEB_ROOT, e.g. `parent-h5` (its Vite build is in `dist/`) */
  app: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The project folder: the nearest parent of this file holding package.json (works from src and from dist). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function webRoot(config: AppConfig): string {
  return resolve(config.WEB_ROOT ?? join(projectRoot(), 'web'));
}

/**
 * Serves the app's `dist/`: hashed files under `assets/` cached for a year, any other existing
 * file as is, and every other path (a deep link such as /h5/chat/…) the app's index.html,
 * never cached, with the runtime settings the browser needs written into it and a
 * Content-Security-Policy that lets it reach only its own files, the gateway and file storage.
 */
export function registerWebApp(fastify: FastifyInstance, config: AppConfig, options: WebAppOptions): void {
  const root = join(webRoot(config), options.app, 'dist');
  const base = `/${options.prefix}/`;
  let cachedIndex: string | null = null;

  const notFound = (reply: FastifyReply, message: string) =>
    reply.status(404).header('content-type', 'application/json; charset=utf-8').send({ statusCode: 404, code: 'NOT_FOUND', message });

  const index = (request: FastifyRequest, reply: FastifyReply) => {
    const file = join(root, 'index.html');
    if (!existsSync(file)) return notFound(reply, `页面尚未构建：请运行 npm run build:web（${options.app}）`);
    // Read once in production; in development a rebuild shows without a restart.
    const html = config.NODE_ENV === 'production' && cachedIndex ? cachedIndex : readFileSync(file, 'utf8');
    if (config.NODE_ENV === 'production') cachedIndex = html;
    const gateway = config.GATEWAY_PUBLIC_URL ?? `${request.protocol}://${request.hostname.replace(/:\d+$/, '')}:${config.GATEWAY_PORT}`;
    // jx-wechat: WeChat sign-in and the JS-SDK are configured (the H5 uses them only inside WeChat).
    const runtime = `<meta name="jx-gateway" content="${escapeAttribute(gateway)}" />${config.wechatEnabled ? '<meta name="jx-wechat" content="on" />' : ''}`;
    return reply
      .header('content-type', TYPES['.html'])
      .header('cache-control', 'no-cache')
      .header('content-security-policy', webPageCsp(config, gateway))
      .send(html.replace('<!--jx-runtime-->', runtime));
  };

  fastify.get(`/${options.prefix}`, (_request, reply) => reply.redirect(base, 301));
  fastify.get(`${base}*`, (request, reply) => {
    const wildcard = (request.params as { '*': string })['*'] ?? '';
    let path: string;
    try {
      path = decodeURIComponent(wildcard.split('?')[0]);
    } catch {
      return notFound(reply, '页面不存在');
    }
    if (path === '' || path === 'index.html') return index(request, reply);
    const file = resolve(root, path);
    const inside = file.startsWith(root + sep);
    if (inside && existsSync(file) && statSync(file).isFile()) {
      const immutable = path.startsWith('assets/');
      return reply
        .header('content-type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(createReadStream(file));
    }
    // A missing asset is a 404 (a stale page asking for an old chunk must not get HTML); anything else is a screen.
    if (path.startsWith('assets/') || extname(path) !== '') return notFound(reply, '文件不存在');
    return index(request, reply);
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
