import { AreaScope } from '@jiaxiao/common';
import { Audience } from '@jiaxiao/db';
import { ChildPlace } from './courses.repository';

/** Whether a lecture's audience includes a household (a child's class, grade, school, district). */
export function audienceIncludes(audience: Audience, child: ChildPlace): boolean {
  switch (audience.scope) {
    case 'city':
      return true;
    case 'district':
      return audience.districtId === child.districtId;
    case 'school':
      return audience.schoolId === child.schoolId;
    case 'grades':
      return audience.schoolId === child.schoolId && audience.grades.includes(child.grade);
    case 'classes':
      return audience.classIds.includes(child.classId);
    case 'committee_chairs':
    case 'teachers':
      return false;
  }
}

/** Whether staff with this area may organise a lecture for this audience. */
export function audienceWithin(audience: Audience, area: AreaScope, schoolDistrict: (schoolId: string) => string | undefined): boolean {
  if (area.city) return true;
  switch (audience.scope) {
    case 'city':
      return false;
    case 'district':
      return area.districtIds.includes(audience.districtId);
    case 'committee_chairs':
    case 'teachers':
      return audience.schoolId
        ? area.schoolIds.includes(audience.schoolId) || area.districtIds.includes(schoolDistrict(audience.schoolId) ?? '')
        : audience.districtId !== undefined && area.districtIds.includes(audience.districtId);
    default:
      return area.schoolIds.includes(audience.schoolId) || area.districtIds.includes(schoolDistrict(audience.schoolId) ?? '');
  }
}
