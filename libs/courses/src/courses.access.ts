import { Injectable, OnModuleInit } from '@nestjs/common';
import { areaScopeOf } from '@jiaxiao/common';
import { PolicyService } from '@jiaxiao/auth';
import { audienceIncludes } from './audience';
import { chairAudienceIncludes, ChairPlaces } from './chair-places.service';
import { CoursesRepository, LectureRow } from './courses.repository';
import { LectureRepository } from './lecture.repository';
import { HourLedgerRepository } from './hour-ledger.repository';
import { ReportExportRepository } from './report-export.repository';

/**
 * Object rules of the course programme, registered with the policy service:
 * - lecture: read = staff in whose area it is (drafts only there; published city- and district-level
 *   lectures for all staff), or a guardian whose child is in the audience (for a committee_chairs
 *   audience: a committee chair or vice chair it is for, see ChairPlaces); manage = staff whose
 *   area covers the organiser (city staff: all; district staff: their district; a coordinator: their school)
 * - ledger_entry: manage = whoever manages the entry's lecture
 * - export: read = whoever asked for it
 */
@Injectable()
export class CoursesAccess implements OnModuleInit {
  constructor(
    private readonly policy: PolicyService,
    private readonly repository: CoursesRepository,
    private readonly lectureRepository: LectureRepository,
    private readonly hourLedgerRepository: HourLedgerRepository,
    private readonly reportExportRepository: ReportExportRepository,
    private readonly chairs: ChairPlaces,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'lecture',
      notFound: 'LECTURE_NOT_FOUND',
      // The lecture is handed to the route (@AuthorizedObject): check-in and check-out do not read it again.
      check: async (principal, action, id) => {
        const lecture = await this.lectureRepository.keptLecture(id);
        if (!lecture) return 'not_found';
        const allowed = { allowed: lecture };
        if (action === 'manage') return this.manages(principal, lecture) ? allowed : 'forbidden';
        if (principal.assignments.some((a) => a.role !== 'expert')) return this.staffSees(principal, lecture) ? allowed : 'not_found';
        if (lecture.status === 'draft') return 'not_found';
        // A child in the principal (resolved with its places for this request) settles it without a lookup.
        const open =
          lecture.audience.scope === 'committee_chairs'
            ? chairAudienceIncludes(lecture.audience, await this.chairs.of(principal.userId))
            : principal.children.some((c) => audienceIncludes(lecture.audience, c)) ||
              (await this.repository.childPlaces(principal.userId)).some((c) => audienceIncludes(lecture.audience, c));
        return open ? allowed : 'not_found';
      },
    });
    this.policy.register({
      resource: 'ledger_entry',
      notFound: 'LEDGER_ENTRY_NOT_FOUND',
      check: async (principal, _action, id) => {
        const entry = await this.hourLedgerRepository.ledgerEntry(id);
        const lecture = entry && (await this.lectureRepository.lecture(entry.lectureId));
        if (!lecture) return 'not_found';
        return this.manages(principal, lecture) ? 'allowed' : 'forbidden';
      },
    });
    this.policy.register({
      resource: 'export',
      notFound: 'EXPORT_NOT_FOUND',
      check: async (principal, _action, id) => {
        const row = await this.reportExportRepository.exportById(id);
        if (!row) return 'not_found';
        return row.requestedBy === principal.userId ? 'allowed' : 'forbidden';
      },
    });
  }

  /**
   * What staff may read, as `lecturesForStaff` lists it: everything in their area (the schools they
   * work at, their district), and published city- and district-level lectures. A draft, with its
   * stream link, stays with the staff of the area that organises it.
   */
  private staffSees(principal: Parameters<typeof areaScopeOf>[0], lecture: LectureRow): boolean {
    const area = areaScopeOf(principal);
    if (area.city) return true;
    const schoolIds = new Set([...area.schoolIds, ...principal.assignments.filter((a) => a.schoolId).map((a) => a.schoolId as string)]);
    if (lecture.schoolId && schoolIds.has(lecture.schoolId)) return true;
    if (lecture.districtId && area.districtIds.includes(lecture.districtId)) return true;
    return lecture.schoolId === null && lecture.status !== 'draft';
  }

  private manages(principal: Parameters<typeof areaScopeOf>[0], lecture: LectureRow): boolean {
    const area = areaScopeOf(principal);
    if (area.city) return true;
    if (lecture.schoolId)
      return area.schoolIds.includes(lecture.schoolId) || (lecture.districtId !== null && area.districtIds.includes(lecture.districtId));
    return lecture.districtId !== null && area.districtIds.includes(lecture.districtId);
  }
}
