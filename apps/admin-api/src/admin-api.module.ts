import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@jiaxiao/auth';
import { DirectoryModule } from '@jiaxiao/directory';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { ClassesController } from './classes.controller';
import { MeController } from './me.controller';
import { SchoolsController } from './schools.controller';
import { StaffController } from './staff.controller';

/** REST for school staff and bureau staff; callers without a staff role get 403. */
@Module({})
export class AdminApiModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: AdminApiModule,
      imports: [PlatformModule.forRoot({ app: 'admin-api', infra, http: true }), AuthModule.forRoot({ audience: 'admin', http: true }), DirectoryModule],
      controllers: [MeController, SchoolsController, StaffController, ClassesController],
    };
  }
}
