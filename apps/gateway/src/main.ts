import { runStandalone } from '../../launcher';
import { createGateway } from './gateway.app';

void runStandalone('gateway', async (infra) => {
  const app = await createGateway(infra);
  return { app, port: infra.config.GATEWAY_PORT };
});
