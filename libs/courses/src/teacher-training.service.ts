import { Injectable } from '@nestjs/common';
import { areaScopeOf, DomainError, Principal, schoolYearOf } from '@jiaxiao/common';
import { placeAudienceIncludes } from './chair-places.service';
import { CoursesRepository } from './courses.repository';
import { RegistrationRepository } from './registration.repository';
import { MyTeacherTrainingDto, TeacherTrainingReportDto } from './dto/teacher-training.dto';
import { toLectureDto } from './lecture.mapper';
import { TeacherTrainingRepository } from './teacher-training.repository';

/**
 * 提升每位教师与家长的沟通能力: `teacher_training` lectures for a `teachers` audience. Teachers
 * register, check in and watch as parents do; their credits go to the same append-only ledger
 * under their own account but never to a household, so they are a per-teacher ledger apart from
 * parents' yearly hours. Coordinators see each teacher's hours in their school.
 */
@Injectable()
export class TeacherTrainingService {
  constructor(
    private readonly repository: TeacherTrainingRepository,
    private readonly courses: CoursesRepository,
    private readonly registrationRepository: RegistrationRepository,
  ) {}

  async mine(principal: Principal, schoolYear?: string): Promise<MyTeacherTrainingDto> {
    const year = await this.year(schoolYear);
    const places = await this.repository.teacherPlaces(principal.userId);
    const open = (await this.repository.trainingLectures(year.id)).filter(
      (l) => l.audience.scope === 'teachers' && placeAudienceIncludes(l.audience, places),
    );
    const ids = open.map((l) => l.id);
    const [counts, mine, entries] = await Promise.all([
      this.registrationRepository.registeredCounts(ids),
      this.registrationRepository.registrationStatuses(principal.userId, ids),
      this.repository.entries(principal.userId, year.id),
    ]);
    return {
      schoolYear: year.name,
      earnedHours: entries.reduce((sum, e) => sum + e.hours, 0),
      lectures: open.map((l) => toLectureDto(l, counts.get(l.id) ?? 0, mine.get(l.id) ?? null)),
      entries: entries.map((e) => ({ ...e, startsAt: e.startsAt.toISOString(), createdAt: e.createdAt.toISOString() })),
    };
  }

  /** Per teacher of a school: a coordinator's own school by default; district staff their district's schools; city staff any. */
  async report(principal: Principal, query: { schoolId?: string; schoolYear?: string }): Promise<TeacherTrainingReportDto> {
    const year = await this.year(query.schoolYear);
    const area = areaScopeOf(principal);
    const schoolId = query.schoolId ?? area.schoolIds[0];
    if (!schoolId) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'schoolId', constraint: 'isDefined' }]);
    const school = await this.repository.school(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!area.city && !area.schoolIds.includes(school.id) && !area.districtIds.includes(school.districtId))
      throw new DomainError('FORBIDDEN');
    const items = await this.repository.schoolTeachers(school.id, year.id);
    return {
      schoolId: school.id,
      schoolName: school.name,
      schoolYear: year.name,
      teachers: items.length,
      trained: items.filter((i) => i.earnedHours > 0).length,
      totalHours: items.reduce((sum, i) => sum + i.earnedHours, 0),
      items,
    };
  }

  private async year(name?: string) {
    const year = await this.courses.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return year;
  }
}
