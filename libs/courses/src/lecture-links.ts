import { areaScopeOf, Principal } from '@jiaxiao/common';
import { audienceIncludes } from './audience';
import { chairAudienceIncludes, ChairPlaces } from './chair-places.service';
import { ChildPlace, CoursesRepository, LectureRow } from './courses.repository';
import { LectureDto } from './dto/lecture.dto';

/**
 * Whether staff are in scope for a lecture's stream and replay links: it is organised in their
 * area, or its audience is the city or their district. Published city- and district-level
 * lectures are listed to all staff, but a school elsewhere reads them without the links.
 */
function staffInLinkScope(principal: Principal, lecture: LectureRow): boolean {
  const area = areaScopeOf(principal);
  if (area.city) return true;
  const staff = principal.assignments.filter((a) => a.role !== 'expert');
  const schoolIds = new Set([...area.schoolIds, ...staff.map((a) => a.schoolId)]);
  const districtIds = new Set([...area.districtIds, ...staff.map((a) => a.districtId)]);
  if (lecture.schoolId && schoolIds.has(lecture.schoolId)) return true;
  if (lecture.districtId && area.districtIds.includes(lecture.districtId)) return true;
  if (lecture.status === 'draft') return false;
  return lecture.audience.scope === 'city' || (lecture.audience.scope === 'district' && districtIds.has(lecture.audience.districtId));
}

/**
 * Blanks the stream and replay links of the lectures the reader is not in scope for: staff outside
 * it (see staffInLinkScope), unless the reader is also a guardian the published lecture is for.
 */
export async function withLinksInScope(
  principal: Principal,
  lectures: { row: LectureRow; dto: LectureDto }[],
  households: { repository: CoursesRepository; chairs: ChairPlaces },
): Promise<void> {
  const outside = lectures.filter(({ row }) => !staffInLinkScope(principal, row));
  if (outside.length === 0) return;
  const [children, chairPlaces]: [ChildPlace[], Awaited<ReturnType<ChairPlaces['of']>>] = await Promise.all([
    households.repository.childPlaces(principal.userId),
    households.chairs.of(principal.userId),
  ]);
  for (const { row, dto } of outside) {
    const forHousehold =
      row.status !== 'draft' &&
      (row.audience.scope === 'committee_chairs'
        ? chairAudienceIncludes(row.audience, chairPlaces)
        : children.some((c) => audienceIncludes(row.audience, c)));
    if (!forHousehold) {
      dto.streamUrl = null;
      dto.replayUrl = null;
    }
  }
}
