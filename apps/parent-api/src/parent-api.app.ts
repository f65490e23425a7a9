import { createHttpApp, Infrastructure } from '@jiaxiao/platform';
import { ParentApiModule } from './parent-api.module';

export function createParentApi(infra: Infrastructure) {
  return createHttpApp(ParentApiModule.forRoot(infra), {
    name: 'parent-api',
    title: '家校共育 家长端 API (parent-api)',
    description:
      'REST for parents and teachers. Errors: {statusCode, code, message}; Chinese by default, English with Accept-Language: en.',
    infra,
    web: { prefix: 'h5', app: 'parent-h5' },
  });
}
