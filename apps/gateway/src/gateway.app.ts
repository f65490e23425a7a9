import { createHttpApp, Infrastructure } from '@jiaxiao/platform';
import { GatewayModule } from './gateway.module';
import { RedisStreamsIoAdapter } from './redis-streams.adapter';

export function createGateway(infra: Infrastructure) {
  return createHttpApp(GatewayModule.forRoot(infra), {
    name: 'gateway',
    title: '家校共育 实时网关 (gateway)',
    description: 'Socket.IO on the default path; this HTTP side serves /health and /metrics.',
    infra,
    configure: (app) => app.useWebSocketAdapter(new RedisStreamsIoAdapter(app, infra.config)),
  });
}
