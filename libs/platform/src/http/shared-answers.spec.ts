import Fastify from 'fastify';
import { serializeReply, shareAnswer } from './shared-answers';

describe('serializeReply', () => {
  it('serializes a shared answer once and sends its bytes as JSON to every caller', async () => {
    const answer = { name: '陈小阳', hours: [2, 1.5] };
    shareAnswer(answer);
    const fastify = Fastify();
    fastify.setReplySerializer(serializeReply as (payload: unknown) => string);
    fastify.get('/shared', () => answer);
    fastify.get('/fresh', () => ({ name: '陈小雨' }));

    const first = serializeReply(answer);
    expect(first).toBeInstanceOf(Buffer);
    expect(serializeReply(answer)).toBe(first);
    expect(serializeReply({ name: '陈小雨' })).toBe('{"name":"陈小雨"}');

    for (const url of ['/shared', '/shared', '/fresh']) {
      const response = await fastify.inject(url);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
      expect(response.json()).toEqual(url === '/shared' ? answer : { name: '陈小雨' });
    }
    await fastify.close();
  });

  it('serializes what is not an object as JSON.stringify does', () => {
    for (const value of ['文字', 3, null, true]) expect(serializeReply(value)).toBe(JSON.stringify(value));
  });
});
