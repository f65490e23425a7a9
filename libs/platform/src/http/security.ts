import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
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

/**
 * Security headers (helmet: CSP, HSTS, nosniff, frame and referrer policies, cross-origin
 * isolation headers) on every answer, and CORS for the origins in CORS_ORIGINS only (none by
 * default: the web apps are served from the API's own origin and need none).
 */
export async function registerSecurityHeaders(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const origins = config.corsOrigins;
  await fastify.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // Files fetched by a configured cross-origin web app must stay readable there.
    crossOriginResourcePolicy: { policy: origins.length > 0 ? 'cross-origin' : 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  await fastify.register(cors, {
    origin: origins.length > 0 ? origins : false,
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
