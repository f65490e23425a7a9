import { Injectable } from '@nestjs/common';
import { DomainError, formatShanghai, Principal, schoolYearOf } from '@jiaxiao/common';
import { Cacheable, CertificateFormat, ReadCache, ReadCaches, RenderedCertificate, renderCertificate } from '@jiaxiao/platform';
import { audienceIncludes } from './audience';
import { chairAudienceIncludes, ChairPlaces } from './chair-places.service';
import { HourLedgerRepository } from './hour-ledger.repository';
import { LectureRepository } from './lecture.repository';
import { CourseHoursDto } from './dto/progress.dto';
import { toLectureDto } from './lecture.mapper';

/** Guardians whose course hours a process keeps at most, per school year asked for. */
const CACHED_ANSWERS = 50_000;

/**
 * A parent's view: one household per child, its hours, and what comes next. Parents come back to
 * it often, so a process keeps each answer until the database notifies a change to the guardian
 * (children, committee seats), a child (its class, its credits), any class, school or district, or
 * any lecture, registration, school year, requirement or committee, and at most until the first of
 * its open sessions ends (ReadCache).
 */
@Injectable()
export class ProgressService {
  private readonly cache: ReadCache<string, CourseHoursDto>;

  constructor(
    private readonly hourLedgerRepository: HourLedgerRepository,
    private readonly lectureRepository: LectureRepository,
    private readonly chairs: ChairPlaces,
    caches: ReadCaches,
  ) {
    this.cache = caches.create('course_hours', { max: CACHED_ANSWERS, flushOn: ['places', 'courses'] });
  }

  async courseHours(principal: Principal, schoolYear?: string): Promise<CourseHoursDto> {
    const name = schoolYear ?? schoolYearOf(new Date());
    const answer = await this.cache.read(`${principal.userId}:${name}`, () => this.readCourseHours(principal, name));
    if (!answer) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return answer;
  }

  /**
   * Two steps of reads: the year, the households with their hours, the counted lectures and the
   * caller's chair places at once; then the sessions still open to them, with their counts.
   */
  private async readCourseHours(principal: Principal, name: string): Promise<Cacheable<CourseHoursDto> | undefined> {
    const [year, children, entries, chairPlaces] = await Promise.all([
      this.hourLedgerRepository.yearWithRequirement(name),
      this.hourLedgerRepository.householdsOf(principal.userId, name),
      this.hourLedgerRepository.householdEntriesOf(principal.userId, name),
      this.chairs.of(principal.userId),
    ]);
    if (!year) return undefined;
    const required = year.required;
    // Families decide by how full a session is: give the real count, not a placeholder.
    const open = children.length > 0 ? await this.lectureRepository.upcomingOpenTo(children, year.id, chairPlaces) : [];
    const value: CourseHoursDto = {
      schoolYear: name,
      households: children.map((child) => {
        const earned = child.earned;
        const counted = entries.filter((e) => e.studentId === child.studentId);
        const countedIds = new Set(counted.map((e) => e.lectureId));
        return {
          studentId: child.studentId,
          studentName: child.studentName,
          schoolName: child.schoolName,
          className: child.className,
          requiredHours: required,
          earnedHours: earned,
          compliant: earned >= required,
          entries: counted.map((e) => ({
            lectureId: e.lectureId,
            title: e.title,
            series: e.series,
            hours: e.hours,
            startsAt: e.startsAt.toISOString(),
            creditedAt: e.creditedAt.toISOString(),
          })),
          nextSessions: open
            .filter(
              ({ lecture: l }) =>
                !countedIds.has(l.id) && (audienceIncludes(l.audience, child) || chairAudienceIncludes(l.audience, chairPlaces)),
            )
            .slice(0, 5)
            .map(({ lecture, registered }) => toLectureDto(lecture, registered)),
        };
      }),
    };
    return {
      value,
      tags: [`user:${principal.userId}`, ...children.map((c) => `student:${c.studentId}`)],
      // A session leaves the list when it ends.
      expiresAt: Math.min(...open.map(({ lecture }) => lecture.endsAt.getTime())),
    };
  }

  /** 结业证书 as a PDF or a PNG to share, once the household is compliant. */
  async certificate(
    principal: Principal,
    studentId: string,
    schoolYear?: string,
    format: CertificateFormat = 'pdf',
  ): Promise<RenderedCertificate> {
    const hours = await this.courseHours(principal, schoolYear);
    const household = hours.households.find((h) => h.studentId === studentId);
    if (!household) throw new DomainError('STUDENT_NOT_FOUND');
    if (!household.compliant) throw new DomainError('NOT_COMPLIANT', { required: household.requiredHours });
    return renderCertificate(
      {
        fileName: `结业证书-${household.studentName}-${hours.schoolYear}`,
        title: '家庭教育课程结业证书',
        salutation: `${household.schoolName} ${household.className} ${household.studentName} 同学的家长：`,
        body: [
          `已于 ${hours.schoolYear} 学年完成家庭教育课程 ${household.earnedHours} 学时（要求 ${household.requiredHours} 学时），共参加 ${household.entries.length} 次课程与讲座，准予结业。`,
        ],
        signature: ['潍坊市教育局 家校共育平台', formatShanghai(new Date(), false)],
      },
      format,
    );
  }
}
