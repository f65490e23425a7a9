import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@jiaxiao/auth';
import { DirectoryModule } from '@jiaxiao/directory';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { FamilyController } from './family.controller';
import { MeController } from './me.controller';

/** REST for parents and teachers: mobile, H5 and mini-program clients. */
@Module({})
export class ParentApiModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: ParentApiModule,
      imports: [PlatformModule.forRoot({ app: 'parent-api', infra, http: true }), AuthModule.forRoot({ audience: 'parent', http: true }), DirectoryModule],
      controllers: [MeController, FamilyController],
    };
  }
}
