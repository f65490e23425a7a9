import { Module } from '@nestjs/common';
import { AnonymousSealService } from '@jiaxiao/common';
import { FilesModule } from '@jiaxiao/files';
import { NotificationsModule } from '@jiaxiao/notifications';
import { ApplicationRepository } from './application.repository';
import { DesignationRepository } from './designation.repository';
import { DesignationService } from './designation.service';
import { ExpertReviewRepository } from './expert-review.repository';
import { FamilySupportService } from './family-support.service';
import { ModelSchoolService } from './model-school.service';
import { ModelSchoolsAccess } from './model-schools.access';
import { ModelSchoolsRepository } from './model-schools.repository';
import { CounsellingService } from './counselling.service';
import { SatisfactionSurveyRepository } from './satisfaction-survey.repository';
import { SupportSitesRepository } from './support-sites.repository';
import { SupportSitesService } from './support-sites.service';
import { DirectoryModule } from '@jiaxiao/directory';

@Module({
  imports: [DirectoryModule, NotificationsModule, FilesModule],
  providers: [ModelSchoolsRepository, ApplicationRepository, ExpertReviewRepository, DesignationRepository, SatisfactionSurveyRepository, SupportSitesRepository, ModelSchoolsAccess, ModelSchoolService, DesignationService, FamilySupportService, SupportSitesService, CounsellingService, AnonymousSealService],
  exports: [ModelSchoolService, DesignationService, FamilySupportService, SupportSitesService, CounsellingService],
})
export class ModelSchoolsModule {}
