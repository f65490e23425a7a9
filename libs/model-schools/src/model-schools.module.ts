import { Module } from '@nestjs/common';
import { AnonymousSealService } from '@jiaxiao/common';
import { MessagingModule } from '@jiaxiao/messaging';
import { DesignationService } from './designation.service';
import { FamilySupportService } from './family-support.service';
import { ModelSchoolService } from './model-school.service';
import { ModelSchoolsAccess } from './model-schools.access';
import { ModelSchoolsRepository } from './model-schools.repository';

@Module({
  imports: [MessagingModule],
  providers: [ModelSchoolsRepository, ModelSchoolsAccess, ModelSchoolService, DesignationService, FamilySupportService, AnonymousSealService],
  exports: [ModelSchoolService, DesignationService, FamilySupportService],
})
export class ModelSchoolsModule {}
