import { Injectable } from '@nestjs/common';
import { DomainError, formatShanghai, Principal, schoolYearOf } from '@jiaxiao/common';
import { CertificateFormat, RenderedCertificate, renderCertificate } from '@jiaxiao/platform';
import { audienceIncludes } from './audience';
import { chairAudienceIncludes, ChairPlaces } from './chair-places.service';
import { CoursesRepository } from './courses.repository';
import { CourseHoursDto } from './dto/progress.dto';
import { toLectureDto } from './lecture.mapper';

/** A parent's view: one household per child, its hours, and what comes next. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly chairs: ChairPlaces,
  ) {}

  async courseHours(principal: Principal, schoolYear?: string): Promise<CourseHoursDto> {
    const name = schoolYear ?? schoolYearOf(new Date());
    const year = await this.repository.schoolYearByName(name);
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    const [children, required, chairPlaces] = await Promise.all([this.repository.childPlaces(principal.userId), this.repository.requiredHours(year.id), this.chairs.of(principal.userId)]);
    const ids = children.map((c) => c.studentId);
    const [progress, entries, open] = await Promise.all([
      this.repository.progressOf(ids, year.id),
      this.repository.householdEntries(ids, year.id),
      children.length > 0 ? this.repository.lecturesOpenTo(children, year.id, chairPlaces) : Promise.resolve([]),
    ]);
    const now = Date.now();
    // Families decide by how full a session is: give the real count, not a placeholder.
    const registered = await this.repository.registeredCounts(open.filter((l) => l.status === 'published' && l.endsAt.getTime() > now).map((l) => l.id));
    return {
      schoolYear: name,
      households: children.map((child) => {
        const earned = progress.get(child.studentId) ?? 0;
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
          entries: counted.map((e) => ({ lectureId: e.lectureId, title: e.title, series: e.series, hours: e.hours, startsAt: e.startsAt.toISOString(), creditedAt: e.creditedAt.toISOString() })),
          nextSessions: open
            .filter((l) => l.status === 'published' && l.endsAt.getTime() > now && !countedIds.has(l.id) && (audienceIncludes(l.audience, child) || chairAudienceIncludes(l.audience, chairPlaces)))
            .slice(0, 5)
            .map((l) => toLectureDto(l, registered.get(l.id) ?? 0)),
        };
      }),
    };
  }

  /** 结业证书 as a PDF or a PNG to share, once the household is compliant. */
  async certificate(principal: Principal, studentId: string, schoolYear?: string, format: CertificateFormat = 'pdf'): Promise<RenderedCertificate> {
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
