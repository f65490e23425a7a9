import { Injectable } from '@nestjs/common';
import { DomainError, Principal, schoolYearOf } from '@jiaxiao/common';
import { CoursesRepository } from './courses.repository';
import { CoursePlanRepository } from './course-plan.repository';
import { LectureRepository } from './lecture.repository';
import { RegistrationRepository } from './registration.repository';
import { CoursePlanDto, PlanSessionsDto } from './dto/plan.dto';
import { toLectureDto } from './lecture.mapper';
import { LectureService } from './lecture.service';

/** A school's course plan for a year: its sessions must add up to the bureau's required hours. */
@Injectable()
export class CoursePlanService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly coursePlanRepository: CoursePlanRepository,
    private readonly lectureRepository: LectureRepository,
    private readonly registrationRepository: RegistrationRepository,
    private readonly lectures: LectureService,
  ) {}

  async create(principal: Principal, schoolId: string, schoolYear: string | undefined, note?: string): Promise<CoursePlanDto> {
    const year = await this.mustYear(schoolYear);
    const row = await this.coursePlanRepository.insertPlan({ schoolId, schoolYearId: year.id, note, createdBy: principal.userId });
    if (!row) throw new DomainError('PLAN_EXISTS');
    return this.get(schoolId, year.name);
  }

  async get(schoolId: string, schoolYear?: string): Promise<CoursePlanDto> {
    const year = await this.mustYear(schoolYear);
    const plan = await this.coursePlanRepository.plan(schoolId, year.id);
    if (!plan) throw new DomainError('PLAN_NOT_FOUND');
    const required = await this.repository.requiredHours(year.id);
    const { rows: sessions } = await this.lectureRepository.lecturesForStaff({
      schoolYearId: year.id,
      city: true,
      districtIds: [],
      schoolIds: [],
      planId: plan.id,
    });
    const counts = await this.registrationRepository.registeredCounts(sessions.map((s) => s.id));
    // Only sessions announced to families count: drafts may never run, cancelled ones will not.
    // Make-up sessions repeat a session for those who missed it: they add no hours to the plan.
    const plannedHours = sessions
      .filter((s) => (s.status === 'published' || s.status === 'finished') && !s.makeupOf)
      .reduce((h, s) => h + s.creditHours, 0);
    return {
      id: plan.id,
      schoolId,
      schoolYear: year.name,
      requiredHours: required,
      plannedHours,
      meetsRequirement: plannedHours >= required,
      note: plan.note,
      sessions: sessions.map((s) => toLectureDto(s, counts.get(s.id) ?? 0)),
    };
  }

  /**
   * Instantiates the plan's sessions from a template: each session gets the template's mode,
   * length, hours, audience (the school by default), venue and speaker, with its own title and
   * date; all are drafts (they count once published), created in one transaction.
   */
  async sessionsFromTemplate(principal: Principal, schoolId: string, dto: PlanSessionsDto): Promise<CoursePlanDto> {
    const year = await this.mustYear(dto.schoolYear);
    const plan = await this.coursePlanRepository.plan(schoolId, year.id);
    if (!plan) throw new DomainError('PLAN_NOT_FOUND');
    const { template } = dto;
    for (const [index, session] of dto.sessions.entries()) {
      if (schoolYearOf(new Date(session.startsAt)) !== year.name) {
        throw new DomainError('VALIDATION_FAILED', {}, [{ field: `sessions.${index}.startsAt`, constraint: 'inPlanYear' }]);
      }
    }
    await this.lectures.createMany(
      principal,
      dto.sessions.map((session) => {
        const startsAt = new Date(session.startsAt);
        return {
          series: 'school_course' as const,
          title: session.title,
          curriculumLabel: session.curriculumLabel,
          speaker: template.speaker,
          audience: template.audience ?? { scope: 'school' as const, schoolId },
          mode: template.mode,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + template.durationMinutes * 60_000).toISOString(),
          venue: template.venue,
          streamUrl: template.streamUrl,
          capacity: template.capacity,
          creditHours: template.creditHours,
          planId: plan.id,
        };
      }),
    );
    return this.get(schoolId, year.name);
  }

  async setRequirement(
    principal: Principal,
    schoolYear: string,
    requiredHours: number,
  ): Promise<{ schoolYear: string; requiredHours: number }> {
    if (!principal.roles.includes('city_admin')) throw new DomainError('FORBIDDEN');
    const year = await this.mustYear(schoolYear);
    await this.repository.setRequiredHours(year.id, requiredHours, principal.userId);
    return { schoolYear: year.name, requiredHours };
  }

  private async mustYear(name?: string) {
    const year = await this.repository.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return year;
  }
}
