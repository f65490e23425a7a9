import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@jiaxiao/auth';
import { CampaignRecordsController, CampaignsModule } from '@jiaxiao/campaigns';
import { CommitteeRecordsController, CommitteesModule } from '@jiaxiao/committees';
import { CoursesModule, LectureRecordsController } from '@jiaxiao/courses';
import { DirectoryModule } from '@jiaxiao/directory';
import { MailboxModule } from '@jiaxiao/mailbox';
import { MessagingModule } from '@jiaxiao/messaging';
import { ModelSchoolsModule } from '@jiaxiao/model-schools';
import { DeliveryModule } from '@jiaxiao/notifications';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { ArticlesController } from './articles.controller';
import { AuditController } from './audit.controller';
import { ClassesController } from './classes.controller';
import { CampaignsController } from './campaigns.controller';
import { CommitteesController } from './committees.controller';
import { LectureMaterialsController } from './lecture-materials.controller';
import { CounsellingController } from './counselling.controller';
import { LecturesController } from './lectures.controller';
import { MailboxController } from './mailbox.controller';
import { MeController } from './me.controller';
import { ModelSchoolsController } from './model-schools.controller';
import { NoticesController } from './notices.controller';
import { ReportsController } from './reports.controller';
import { SchoolNoticesController } from './school-notices.controller';
import { SchoolSetupController } from './school-setup.controller';
import { SchoolsController } from './schools.controller';
import { SmsBudgetController } from './sms-budget.controller';
import { StaffController } from './staff.controller';

/** REST for school staff and bureau staff; callers without a staff role get 403. */
import { JoinRequestsController } from './join-requests.controller';
@Module({})
export class AdminApiModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: AdminApiModule,
      imports: [
        PlatformModule.forRoot({ app: 'admin-api', infra, http: true }),
        AuthModule.forRoot({ audience: 'admin', http: true }),
        DirectoryModule,
        MessagingModule,
        CoursesModule,
        CommitteesModule,
        CampaignsModule,
        ModelSchoolsModule,
        MailboxModule,
        DeliveryModule,
      ],
      controllers: [
        JoinRequestsController,
        MeController,
        AuditController,
        SchoolsController,
        StaffController,
        ClassesController,
        LecturesController,
        LectureRecordsController,
        LectureMaterialsController,
        CounsellingController,
        ReportsController,
        CommitteesController,
        CommitteeRecordsController,
        ModelSchoolsController,
        CampaignsController,
        CampaignRecordsController,
        ArticlesController,
        MailboxController,
        SmsBudgetController,
        SchoolNoticesController,
        SchoolSetupController,
        NoticesController,
      ],
    };
  }
}
