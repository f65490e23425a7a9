import { areaScopeOf, Principal, schoolYearOf } from '@jiaxiao/common';

/** The programme year of an instant: the year its school year starts (2026 for 2026-2027). */
export function programmeYearOf(instant: Date): number {
  return Number(schoolYearOf(instant).slice(0, 4));
}

export function isCityStaff(principal: Principal): boolean {
  return areaScopeOf(principal).city;
}

/** District staff over the school's district, or city staff: they pre-review its application. */
export function overseesDistrict(principal: Principal, districtId: string): boolean {
  const area = areaScopeOf(principal);
  return area.city || area.districtIds.includes(districtId);
}

export function isCoordinatorOf(principal: Principal, schoolId: string): boolean {
  return principal.assignments.some((a) => a.role === 'coordinator' && a.schoolId === schoolId);
}

/** The school's coordinator, district staff of its district, city staff. */
export function managesSchool(principal: Principal, school: { id: string; districtId: string }): boolean {
  return overseesDistrict(principal, school.districtId) || isCoordinatorOf(principal, school.id);
}
