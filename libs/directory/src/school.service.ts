import { Injectable } from '@nestjs/common';
import {
  areaScopeOf,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  Page,
  Principal,
  schoolYearBounds,
  schoolYearOf,
  toPage,
} from '@jiaxiao/common';
import { pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { AuditService } from '@jiaxiao/platform';
import { DirectoryRepository } from './directory.repository';
import { CreateSchoolDto, CreateSchoolYearDto, DistrictDto, ListSchoolsQueryDto, SchoolDto, SchoolYearDto } from './dto/directory.dto';

/** Districts, schools and school years: listing them in the caller's area, creating them. */
@Injectable()
export class SchoolService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly audit: AuditService,
  ) {}

  async districts(principal: Principal): Promise<DistrictDto[]> {
    const rows = await this.directory.listDistricts(areaScopeOf(principal));
    return rows.map((d) => ({ id: d.id, name: d.name, code: d.code }));
  }

  async schools(principal: Principal, query: ListSchoolsQueryDto): Promise<Page<SchoolDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, 1);
    const rows = await this.directory.listSchools(areaScopeOf(principal), {
      districtId: query.districtId,
      afterName: after ? String(after[0]) : undefined,
      limit,
    });
    return toPage(rows, limit, (s) => [s.name]);
  }

  async school(schoolId: string): Promise<SchoolDto> {
    const row = await this.directory.schoolById(schoolId);
    if (!row) throw new DomainError('SCHOOL_NOT_FOUND');
    return row;
  }

  async createSchool(principal: Principal, districtId: string, dto: CreateSchoolDto): Promise<SchoolDto> {
    try {
      const row = await this.directory.transaction(async (tx) => {
        const inserted = await this.directory.insertSchool({ districtId, name: dto.name, type: dto.type, address: dto.address }, tx);
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'school.created',
            targetType: 'school',
            targetId: inserted.id,
            detail: { name: inserted.name },
          },
          tx,
        );
        return inserted;
      });
      return this.school(row.id);
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('SCHOOL_EXISTS');
      throw error;
    }
  }

  async schoolYears(): Promise<SchoolYearDto[]> {
    const current = schoolYearOf(new Date());
    const rows = await this.directory.listSchoolYears();
    return rows.map((y) => ({ name: y.name, startsOn: y.startsOn, endsOn: y.endsOn, current: y.name === current }));
  }

  /** A school year by name, or the current one (in Asia/Shanghai) when no name is given. */
  async schoolYear(name?: string) {
    const row = await this.directory.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!row) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return row;
  }

  async createSchoolYear(principal: Principal, dto: CreateSchoolYearDto): Promise<SchoolYearDto> {
    if (!principal.roles.includes('city_admin')) throw new DomainError('FORBIDDEN');
    let bounds: ReturnType<typeof schoolYearBounds>;
    try {
      bounds = schoolYearBounds(dto.name);
    } catch {
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'name', constraint: 'matches' }]);
    }
    try {
      const row = await this.directory.insertSchoolYear({ name: dto.name, startsOn: bounds.startsOn, endsOn: bounds.endsOn });
      return { name: row.name, startsOn: row.startsOn, endsOn: row.endsOn, current: row.name === schoolYearOf(new Date()) };
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('SCHOOL_YEAR_EXISTS');
      throw error;
    }
  }
}
