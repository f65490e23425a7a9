import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { loadConfig } from '@jiaxiao/common';
import { apiHelmetOptions, apiSecurityHeaders } from './security';

/** The headers a Fastify answer carries, without their values where they change per answer. */
async function answerHeaders(withHelmet: Parameters<typeof apiHelmetOptions>[0] | null): Promise<Record<string, unknown>> {
  const fastify = Fastify();
  if (withHelmet) await fastify.register(helmet, apiHelmetOptions(withHelmet));
  fastify.get('/', () => ({ ok: true }));
  const response = await fastify.inject('/');
  await fastify.close();
  return response.headers;
}

describe('apiSecurityHeaders', () => {
  it.each([[''], ['https://h5.example.cn']])('is the set @fastify/helmet writes on every answer (CORS_ORIGINS "%s")', async (origins) => {
    const config = loadConfig({ CORS_ORIGINS: origins });
    const bare = await answerHeaders(null);
    const withHelmet = await answerHeaders(config);
    const helmetOnly = Object.fromEntries(Object.entries(withHelmet).filter(([name]) => !(name in bare)));

    expect(apiSecurityHeaders(config)).toEqual(helmetOnly);
    expect(helmetOnly['cross-origin-resource-policy']).toBe(origins ? 'cross-origin' : 'same-origin');
  });
});
