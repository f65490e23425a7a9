import { NestFactory } from '@nestjs/core';
import { Infrastructure, PinoNestLogger } from '@jiaxiao/platform';
import { WorkerModule } from './worker.module';

export async function createWorker(infra: Infrastructure) {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(infra), {
    logger: new PinoNestLogger(infra.logger.child({ app: 'worker' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
