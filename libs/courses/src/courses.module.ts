import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { FilesModule } from '@jiaxiao/files';
import { MessagingModule } from '@jiaxiao/messaging';
import { NotificationsModule } from '@jiaxiao/notifications';
import { AttendanceReportRepository } from './attendance-report.repository';
import { AttendanceReportService } from './attendance-report.service';
import { AttendanceService } from './attendance.service';
import { ChairPlaces } from './chair-places.service';
import { CoursePlanService } from './course-plan.service';
import { CoursesAccess } from './courses.access';
import { AttendanceRepository } from './attendance.repository';
import { CheckOutBatcher } from './checkout-batcher';
import { CoursePlanRepository } from './course-plan.repository';
import { HourLedgerRepository } from './hour-ledger.repository';
import { LectureRepository } from './lecture.repository';
import { RegistrationRepository } from './registration.repository';
import { ReportExportReactor } from './report-export.reactor';
import { ReportExportRepository } from './report-export.repository';
import { ReportRepository } from './report.repository';
import { CoursesRepository } from './courses.repository';
import { HourLedgerService } from './hour-ledger.service';
import { LectureMaterialsRepository } from './lecture-materials.repository';
import { LectureMaterialsService } from './lecture-materials.service';
import { LectureQaService } from './lecture-qa.service';
import { LectureRegistrationService } from './lecture-registration.service';
import { LectureService } from './lecture.service';
import { ProgressService } from './progress.service';
import { PublicCalendarRepository } from './public-calendar.repository';
import { PublicCalendarService } from './public-calendar.service';
import { LectureReactor } from './lecture.reactor';
import { ReportService } from './report.service';
import { TeacherTrainingRepository } from './teacher-training.repository';
import { TeacherTrainingService } from './teacher-training.service';
import { WatchTimeService } from './watch-time.service';

@Module({
  imports: [NotificationsModule, FilesModule, MessagingModule, BullModule.registerQueue({ name: QUEUES.courses })],
  providers: [
    CoursesRepository,
    AttendanceRepository,
    CheckOutBatcher,
    CoursePlanRepository,
    HourLedgerRepository,
    LectureRepository,
    RegistrationRepository,
    ReportExportRepository,
    ReportExportReactor,
    LectureReactor,
    ReportRepository,
    CoursesAccess,
    ChairPlaces,
    HourLedgerService,
    LectureService,
    LectureRegistrationService,
    LectureQaService,
    LectureMaterialsRepository,
    LectureMaterialsService,
    AttendanceService,
    AttendanceReportRepository,
    AttendanceReportService,
    WatchTimeService,
    ProgressService,
    ReportService,
    CoursePlanService,
    PublicCalendarRepository,
    PublicCalendarService,
    TeacherTrainingRepository,
    TeacherTrainingService,
  ],
  exports: [
    ChairPlaces,
    HourLedgerService,
    LectureService,
    LectureRegistrationService,
    LectureQaService,
    LectureMaterialsService,
    AttendanceService,
    AttendanceReportService,
    WatchTimeService,
    ProgressService,
    ReportService,
    CoursePlanService,
    PublicCalendarService,
    TeacherTrainingService,
  ],
})
export class CoursesModule {}
