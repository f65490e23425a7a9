import { runStandalone } from '../../launcher';
import { createParentApi } from './parent-api.app';

void runStandalone(
  'parent-api',
  async (infra) => {
    const app = await createParentApi(infra);
    return { app, port: infra.config.PARENT_API_PORT };
  },
  { scalable: true },
);
