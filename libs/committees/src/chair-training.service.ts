import { Injectable } from '@nestjs/common';
import { areaScopeOf, DomainError, formatShanghai, maskPhone, Principal, schoolYearOf, staffSchoolIds } from '@jiaxiao/common';
import { HourLedgerService } from '@jiaxiao/courses';
import { AuditService } from '@jiaxiao/platform';
import { CommitteesRepository } from './committees.repository';
import { ChairTrainingRepository } from './chair-training.repository';
import { ChairAreaDto, ChairTrainingReportDto } from './dto/committee.dto';
import { DirectoryRepository } from '@jiaxiao/directory';

/** Hours required when the bureau has not set the year's figure. */
export const DEFAULT_CHAIR_TRAINING_HOURS = 4;

const rate = (completed: number, chairs: number) => (chairs === 0 ? 0 : Math.round((completed / chairs) * 10000) / 10000);

/**
 * 家委会主任能力提升计划: the bureau sets the chair_training hours a chair must earn in a school
 * year; the report asks courses for each chair's chair_training hours (credits minus revocations
 * in its hour ledger) and sums completion per school and district.
 */
@Injectable()
export class ChairTrainingService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: CommitteesRepository,
    private readonly chairTrainingRepository: ChairTrainingRepository,
    private readonly audit: AuditService,
    private readonly ledger: HourLedgerService,
  ) {}

  /** City bureau staff only. */
  async setRequirement(
    principal: Principal,
    schoolYear: string,
    requiredHours: number,
  ): Promise<{ schoolYear: string; requiredHours: number }> {
    if (!areaScopeOf(principal).city) throw new DomainError('FORBIDDEN');
    const year = await this.year(schoolYear);
    await this.repository.transaction(async (tx) => {
      await this.chairTrainingRepository.setChairTrainingHours(year.id, requiredHours, principal.userId, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'chair_training.requirement_set',
          targetType: 'school_year',
          targetId: year.id,
          detail: { requiredHours },
        },
        tx,
      );
    });
    return { schoolYear: year.name, requiredHours };
  }

  /** Chairs' completion in the caller's area: a coordinator's school, a district, or the city. */
  async report(
    principal: Principal,
    query: { schoolYear?: string; districtId?: string; schoolId?: string },
  ): Promise<ChairTrainingReportDto> {
    const year = await this.year(query.schoolYear);
    const area = areaScopeOf(principal);
    const coordinated = principal.assignments.filter((a) => a.role === 'coordinator' && a.schoolId).map((a) => a.schoolId as string);
    let filter: { districtIds?: string[]; schoolIds?: string[] };
    if (area.city)
      filter = { districtIds: query.districtId ? [query.districtId] : undefined, schoolIds: query.schoolId ? [query.schoolId] : undefined };
    else if (query.schoolId) {
      const school = await this.directory.schoolById(query.schoolId);
      if (!school || !(coordinated.includes(school.id) || area.districtIds.includes(school.districtId))) throw new DomainError('FORBIDDEN');
      filter = { schoolIds: [school.id] };
    } else if (query.districtId) {
      if (!area.districtIds.includes(query.districtId)) throw new DomainError('FORBIDDEN');
      filter = { districtIds: [query.districtId] };
    } else if (area.districtIds.length > 0 || coordinated.length > 0) filter = { districtIds: area.districtIds, schoolIds: coordinated };
    else throw new DomainError('FORBIDDEN');
    const required = (await this.chairTrainingRepository.chairTrainingHours(year.id)) ?? DEFAULT_CHAIR_TRAINING_HOURS;
    // This year: the chairs serving today; a past year: those who served to its end (a term ended early drops out).
    const today = formatShanghai(new Date(), false);
    const serving = await this.chairTrainingRepository.chairsWithTraining(year.id, filter, today < year.endsOn ? today : year.endsOn);
    const earned = await this.ledger.chairTrainingHours(
      serving.map((r) => r.userId),
      year.id,
    );
    const rows = serving.map((r) => ({ ...r, earnedHours: earned.get(r.userId) ?? 0 }));
    const fullPhones = staffSchoolIds(principal);
    const schools = new Map<string, ChairAreaDto>();
    const districts = new Map<string, ChairAreaDto>();
    const chairs = rows.map((r) => {
      const completed = r.earnedHours >= required;
      for (const [map, id, name] of [
        [schools, r.schoolId, r.schoolName],
        [districts, r.districtId, r.districtName],
      ] as const) {
        const agg = map.get(id) ?? { id, name, chairs: 0, completed: 0, rate: 0 };
        agg.chairs += 1;
        agg.completed += completed ? 1 : 0;
        agg.rate = rate(agg.completed, agg.chairs);
        map.set(id, agg);
      }
      return {
        userId: r.userId,
        name: r.name,
        phone: fullPhones.has(r.schoolId) ? r.phone : maskPhone(r.phone),
        committeeId: r.committeeId,
        committeeName: r.committeeName,
        schoolId: r.schoolId,
        earnedHours: Number(r.earnedHours),
        completed,
      };
    });
    return { schoolYear: year.name, requiredHours: required, districts: [...districts.values()], schools: [...schools.values()], chairs };
  }

  private async year(name?: string) {
    const year = await this.repository.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return year;
  }
}
