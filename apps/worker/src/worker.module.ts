import { DynamicModule, Module } from '@nestjs/common';
import { DirectoryModule } from '@jiaxiao/directory';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { ImportsProcessor } from './imports.processor';

/** BullMQ processors, no HTTP: an application context only. */
@Module({})
export class WorkerModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot({ app: 'worker', infra, http: false }), DirectoryModule],
      providers: [ImportsProcessor],
    };
  }
}
