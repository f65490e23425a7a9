import { areaScopeOf, Principal } from '@jiaxiao/common';
import type { CampaignRow, HouseholdPlace } from './campaigns.repository';

/** Whether a household lies inside a campaign's scope. */
export function householdInScope(campaign: Pick<CampaignRow, 'scopeType' | 'scopeId'>, household: HouseholdPlace): boolean {
  if (campaign.scopeType === 'city') return true;
  if (campaign.scopeType === 'district') return household.districtId === campaign.scopeId;
  return household.schoolId === campaign.scopeId;
}

/**
 * Who runs a campaign of a scope: city staff any; district staff their district's and their
 * schools'; a coordinator their school's. `schoolDistrictId` is the district of a school scope.
 */
export function managesScope(principal: Principal, scope: Pick<CampaignRow, 'scopeType' | 'scopeId'>, schoolDistrictId?: string): boolean {
  const area = areaScopeOf(principal);
  if (area.city) return true;
  if (scope.scopeType === 'district') return scope.scopeId !== null && area.districtIds.includes(scope.scopeId);
  if (scope.scopeType === 'school') {
    if (schoolDistrictId && area.districtIds.includes(schoolDistrictId)) return true;
    return principal.assignments.some((a) => a.role === 'coordinator' && a.schoolId === scope.scopeId);
  }
  return false;
}
