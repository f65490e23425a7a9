import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { DATABASE_HANDLE, REDIS } from '../tokens';
import { HealthController } from './health.controller';

/** The two answers of GET /health, with stand-ins for a database and Redis that answer or fail. */
describe('HealthController', () => {
  async function controller(redisPing: () => Promise<unknown>) {
    const module = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: DATABASE_HANDLE, useValue: { ping: () => Promise.resolve() } },
        { provide: REDIS, useValue: { ping: redisPing } },
      ],
    }).compile();
    return module.get(HealthController);
  }
  const reply = () => {
    const sent = { status: 200 };
    return { sent, reply: { status: (code: number) => ((sent.status = code), undefined) } as never };
  };

  it('is ok when both answer', async () => {
    const { sent, reply: r } = reply();
    await expect((await controller(() => Promise.resolve('PONG'))).check(r)).resolves.toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(sent.status).toBe(200);
  });

  it('answers 503 naming the dependency that is down', async () => {
    const { sent, reply: r } = reply();
    const body = await (await controller(() => Promise.reject(new Error('connection refused')))).check(r);
    expect(sent.status).toBe(503);
    expect(body).toMatchObject({
      status: 'error',
      code: 'SERVICE_UNAVAILABLE',
      error: { redis: { status: 'down', message: 'connection refused' } },
    });
  });
});
