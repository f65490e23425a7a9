import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * The caller's IP for sessions, the audit log and per-IP limits, or undefined when the address
 * the proxies forwarded is not an IP (stored as no IP rather than a bad one).
 */
export function clientIp(request: FastifyRequest): string | undefined {
  return isIP(request.ip) ? request.ip : undefined;
}
