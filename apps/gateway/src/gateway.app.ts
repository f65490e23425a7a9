import { createHttpApp, Infrastructure } from '@jiaxiao/platform';
import { GatewayModule } from './gateway.module';
import { GatewayIoAdapter } from './gateway-io.adapter';

export function createGateway(infra: Infrastructure) {
  return createHttpApp(GatewayModule.forRoot(infra), {
    name: 'gateway',
    title: '家校共育 实时网关 (gateway)',
    description: 'Socket.IO on the default path; this HTTP side serves /health and /metrics.',
    infra,
    configure: (app) => app.useWebSocketAdapter(new GatewayIoAdapter(app)),
  });
}
