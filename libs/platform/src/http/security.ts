import { createRequire } from 'node:module';
import cors from '@fastify/cors';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '@jiaxiao/common';

/**
 * The Content-Security-Policy of every answer except the web apps' pages (web-app.ts sets theirs):
 * JSON, files and the Swagger UI at /docs (its own script and stylesheet files, inline styles).
 */
const API_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The helmet of @fastify/helmet: its middleware sets the headers on a Node response. */
type Helmet = (options: FastifyHelmetOptions) => (request: unknown, response: HeaderRecorder, next: (error?: unknown) => void) => void;

interface HeaderRecorder {
  setHeader(name: string, value: string | number): void;
  removeHeader(name: string): void;
}

/** The helmet options of API answers (@fastify/helmet passes them to helmet as they are). */
export function apiHelmetOptions(config: AppConfig): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // Files fetched by a configured cross-origin web app must stay readable there.
    crossOriginResourcePolicy: { policy: config.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  };
}

/**
 * The security headers of every answer (helmet: CSP, HSTS, nosniff, frame and referrer policies,
 * cross-origin isolation headers), lower-case names. None depends on the request, so they are
 * worked out once, by helmet's own middleware run against a response that only records them: the
 * same set as helmet sets per request, without helmet parsing its options on every request.
 * (Helmet also removes X-Powered-By, which nothing here sets.)
 */
export function apiSecurityHeaders(config: AppConfig): Readonly<Record<string, string>> {
  // The helmet version @fastify/helmet (the declared dependency) requires.
  const helmet = createRequire(require.resolve('@fastify/helmet'))('helmet') as Helmet;
  const headers: Record<string, string> = {};
  const recorder: HeaderRecorder = {
    setHeader: (name, value) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name) => delete headers[name.toLowerCase()],
  };
  helmet(apiHelmetOptions(config))(undefined, recorder, (error) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

/**
 * CORS for the origins in CORS_ORIGINS only. None by default: the web apps are served from the
 * API's own origin and need none, so then the plugin is not registered at all (with no origin it
 * would still run a hook on every request to add nothing, and answer a preflight 404 as the router
 * does).
 */
export async function registerCors(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const origins = config.corsOrigins;
  if (origins.length === 0) return;
  await fastify.register(cors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'accept-language', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after', 'content-disposition'],
    maxAge: 600,
  });
}

/** What the built H5 and console may load: their own files, the gateway's socket, and files from S3 when configured. */
export function webPageCsp(config: AppConfig, gatewayUrl: string): string {
  const gateway = new URL(gatewayUrl);
  // Socket.IO starts with HTTP long-polling, then upgrades to a WebSocket.
  const secure = gateway.protocol === 'https:' || gateway.protocol === 'wss:';
  const socketOrigins = [`${secure ? 'https' : 'http'}://${gateway.host}`, `${secure ? 'wss' : 'ws'}://${gateway.host}`];
  const storage = config.S3_ENDPOINT ? storageOrigins(config.S3_ENDPOINT) : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // Vant and Element Plus position popups and transitions with inline styles.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...storage],
    'media-src': ["'self'", 'blob:', ...storage],
    // Vant's icon font: inline woff2, with fallbacks on Alibaba's CDN that browsers still fetch.
    'font-src': ["'self'", 'data:', 'at.alicdn.com'],
    'connect-src': ["'self'", ...socketOrigins, ...storage],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The endpoint's origin and, for virtual-hosted buckets, its sub-domains. */
function storageOrigins(endpoint: string): string[] {
  const url = new URL(endpoint);
  return [`${url.protocol}//${url.host}`, `${url.protocol}//*.${url.host}`];
}
