import { createHttpApp, Infrastructure } from '@jiaxiao/platform';
import { AdminApiModule } from './admin-api.module';

export function createAdminApi(infra: Infrastructure) {
  return createHttpApp(AdminApiModule.forRoot(infra), {
    name: 'admin-api',
    title: '家校共育 管理端 API (admin-api)',
    description: 'REST for coordinators, teachers and bureau staff, scoped to the caller’s class, school, district or city.',
    infra,
    web: { prefix: 'console', app: 'admin-console' },
  });
}
