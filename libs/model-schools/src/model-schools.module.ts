import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AnonymousSealService, QUEUES } from '@jiaxiao/common';
import { CoursesModule } from '@jiaxiao/courses';
import { FilesModule } from '@jiaxiao/files';
import { NotificationsModule } from '@jiaxiao/notifications';
import { ApplicationRepository } from './application.repository';
import { DesignationRepository } from './designation.repository';
import { DesignationService } from './designation.service';
import { ExpertReviewRepository } from './expert-review.repository';
import { FamilySupportService } from './family-support.service';
import { MetricFactsReactor, MetricFactsService } from './metric-facts';
import { ExpertReviewService } from './expert-review.service';
import { ModelSchoolService } from './model-school.service';
import { ModelSchoolsAccess } from './model-schools.access';
import { ModelSchoolsRepository } from './model-schools.repository';
import { CounsellingService } from './counselling.service';
import { SatisfactionSurveyRepository } from './satisfaction-survey.repository';
import { SupportSitesRepository } from './support-sites.repository';
import { SupportSitesService } from './support-sites.service';
import { DirectoryModule } from '@jiaxiao/directory';

@Module({
  imports: [DirectoryModule, NotificationsModule, FilesModule, CoursesModule, BullModule.registerQueue({ name: QUEUES.modelSchools })],
  providers: [
    ModelSchoolsRepository,
    ApplicationRepository,
    ExpertReviewRepository,
    DesignationRepository,
    SatisfactionSurveyRepository,
    SupportSitesRepository,
    ModelSchoolsAccess,
    ModelSchoolService,
    ExpertReviewService,
    DesignationService,
    FamilySupportService,
    SupportSitesService,
    CounsellingService,
    AnonymousSealService,
    MetricFactsReactor,
    MetricFactsService,
  ],
  exports: [
    ModelSchoolService,
    ExpertReviewService,
    DesignationService,
    FamilySupportService,
    SupportSitesService,
    CounsellingService,
    MetricFactsService,
  ],
})
export class ModelSchoolsModule {}
