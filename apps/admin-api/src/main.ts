import { runStandalone } from '../../launcher';
import { createAdminApi } from './admin-api.app';

void runStandalone(
  'admin-api',
  async (infra) => {
    const app = await createAdminApi(infra);
    return { app, port: infra.config.ADMIN_API_PORT };
  },
  { scalable: true },
);
