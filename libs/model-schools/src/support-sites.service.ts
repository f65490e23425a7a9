import { Injectable } from '@nestjs/common';
import { areaScopeOf, DomainError, Principal } from '@jiaxiao/common';
import { AuditService } from '@jiaxiao/platform';
import { ManagedSiteDto } from './dto/counselling.dto';
import { CreateSupportSiteDto, SupportSiteDto } from './dto/model-school.dto';
import { isCityStaff, isCoordinatorOf, managesSchool, overseesDistrict } from './model-school-scope';
import { PlacedSite, SupportSitesRepository } from './support-sites.repository';
import { DirectoryRepository } from '@jiaxiao/directory';

/**
 * The directory of 心理辅导室 / 成长导航站 (a school's), 未成年人心理辅导中心 and hotlines (a district's
 * or the city's), and the staff appointed to each. A school's sites are managed by its coordinator
 * and the bureau staff over it, a district's by its district staff and the city's, the city's by
 * city staff. Parents see the sites of their children's schools, of those schools' districts and
 * the city's; the public directory lists them all.
 */
@Injectable()
export class SupportSitesService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: SupportSitesRepository,
    private readonly audit: AuditService,
  ) {}

  async addSite(principal: Principal, dto: CreateSupportSiteDto): Promise<SupportSiteDto> {
    const scope = dto.scope ?? 'school';
    if ((scope === 'school') !== Boolean(dto.schoolId) || (scope === 'district') !== Boolean(dto.districtId))
      throw new DomainError('SUPPORT_SITE_SCOPE_INVALID');
    if (scope === 'school') {
      const school = await this.directory.schoolById(dto.schoolId as string);
      if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
      if (!managesSchool(principal, school)) throw new DomainError('FORBIDDEN');
    } else if (scope === 'district') {
      if (!(await this.repository.districtExists(dto.districtId as string))) throw new DomainError('DISTRICT_NOT_FOUND');
      if (!overseesDistrict(principal, dto.districtId as string)) throw new DomainError('FORBIDDEN');
    } else if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insertSite(
        {
          scope,
          schoolId: dto.schoolId ?? null,
          districtId: dto.districtId ?? null,
          kind: dto.kind,
          name: dto.name.trim(),
          location: dto.location?.trim() || null,
          openingHours: dto.openingHours.trim(),
          contact: dto.contact.trim(),
          phone: dto.phone ?? null,
          createdBy: principal.userId,
        },
        tx,
      );
      await this.audit.record(
        { actorId: principal.userId, action: 'support_site.created', targetType: 'support_site', targetId: inserted.id, detail: { scope } },
        tx,
      );
      return inserted;
    });
    return siteDto((await this.repository.site(row.id)) as PlacedSite);
  }

  async removeSite(principal: Principal, siteId: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      await this.repository.deleteSite(siteId, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'support_site.deleted', targetType: 'support_site', targetId: siteId },
        tx,
      );
    });
  }

  async sitesOfSchool(principal: Principal, schoolId: string): Promise<SupportSiteDto[]> {
    const school = await this.directory.schoolById(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    const worksThere = principal.assignments.some((a) => a.role !== 'expert' && a.schoolId === schoolId);
    if (!managesSchool(principal, school) && !worksThere) throw new DomainError('FORBIDDEN');
    return (await this.repository.sitesIn({ schoolIds: [schoolId], districtIds: [], city: false })).map(siteDto);
  }

  /** The public directory (公共服务平台, no login): every site with its opening hours and contact. */
  async publicSites(): Promise<SupportSiteDto[]> {
    return (await this.repository.allSites()).map(siteDto);
  }

  /** Parents: the sites of their children's schools, of those schools' districts, and the city's. */
  async sitesForParent(principal: Principal): Promise<SupportSiteDto[]> {
    return (await this.repository.sitesIn(await this.parentArea(principal))).map(siteDto);
  }

  async parentArea(principal: Principal) {
    const schoolIds = [...new Set(principal.children.map((c) => c.schoolId))];
    return { schoolIds, districtIds: await this.repository.districtsOfSchools(schoolIds), city: true };
  }

  /** The console's list: the sites the caller manages and those they are on the staff of. */
  async managedSites(principal: Principal): Promise<ManagedSiteDto[]> {
    const area = areaScopeOf(principal);
    const coordinated = principal.assignments.filter((a) => a.role === 'coordinator' && a.schoolId).map((a) => a.schoolId as string);
    const managed = area.city
      ? await this.repository.allSites()
      : await this.repository.sitesIn({
          schoolIds: [...coordinated, ...(await this.repository.schoolsOfDistricts(area.districtIds))],
          districtIds: area.districtIds,
          city: false,
        });
    const staffed = await this.repository.sitesStaffedBy(principal.userId);
    const staffedIds = new Set(staffed.map((s) => s.site.id));
    const sites = [...managed, ...staffed.filter((s) => !managed.some((m) => m.site.id === s.site.id))];
    const staff = await this.repository.staffOf(sites.map((s) => s.site.id));
    return sites.map((s) => ({
      ...siteDto(s),
      manageable: managesSite(principal, s),
      staffed: staffedIds.has(s.site.id),
      staff: staff.filter((m) => m.siteId === s.site.id).map(({ userId, name, phone }) => ({ userId, name, phone })),
    }));
  }

  /** Appoints an existing staff account (by phone) to the site; appointing twice changes nothing. */
  async appoint(principal: Principal, siteId: string, phone: string): Promise<ManagedSiteDto> {
    const account = await this.repository.staffAccountByPhone(phone);
    if (!account) throw new DomainError('STAFF_ACCOUNT_NOT_FOUND');
    await this.repository.transaction(async (tx) => {
      if (await this.repository.appoint(siteId, account.id, principal.userId, tx)) {
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'support_site.staff_appointed',
            targetType: 'support_site',
            targetId: siteId,
            detail: { userId: account.id },
          },
          tx,
        );
      }
    });
    return (await this.managedSites(principal)).find((s) => s.id === siteId) as ManagedSiteDto;
  }

  async dismiss(principal: Principal, siteId: string, userId: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.dismiss(siteId, userId, tx))) throw new DomainError('SUPPORT_SITE_STAFF_NOT_FOUND');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'support_site.staff_dismissed',
          targetType: 'support_site',
          targetId: siteId,
          detail: { userId },
        },
        tx,
      );
    });
  }
}

/** Who manages a site: city staff any; district staff their district's and its schools'; a coordinator their school's. */
export function managesSite(principal: Principal, placed: PlacedSite): boolean {
  const { site } = placed;
  if (site.scope === 'city') return isCityStaff(principal);
  if (placed.districtId && overseesDistrict(principal, placed.districtId)) return true;
  return site.scope === 'school' && site.schoolId !== null && isCoordinatorOf(principal, site.schoolId);
}

export function siteDto(placed: PlacedSite): SupportSiteDto {
  const { site } = placed;
  return {
    id: site.id,
    scope: site.scope,
    schoolId: site.schoolId,
    schoolName: placed.schoolName,
    districtId: placed.districtId,
    districtName: placed.districtName,
    kind: site.kind,
    name: site.name,
    location: site.location,
    openingHours: site.openingHours,
    contact: site.contact,
    phone: site.phone,
    acceptsRequests: placed.staffCount > 0,
  };
}
