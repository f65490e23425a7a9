import { Injectable } from '@nestjs/common';
import { Audience } from '@jiaxiao/db';

/** Where a guardian chairs a parent committee: the committee's school and its district. */
export interface ChairPlace {
  schoolId: string;
  districtId: string;
}

export type ChairPlaceLookup = (userId: string) => Promise<ChairPlace[]>;

/**
 * Who counts as a committee chair for `committee_chairs` (chair_training) audiences. Committees
 * sit above courses, so they register a lookup here at start-up (as contexts register access
 * resolvers with the policy service) instead of courses reading their tables. Without a
 * registered lookup nobody is a chair and chair_training lectures are open to staff only.
 */
@Injectable()
export class ChairPlaces {
  private readonly lookups: ChairPlaceLookup[] = [];

  register(lookup: ChairPlaceLookup): void {
    this.lookups.push(lookup);
  }

  async of(userId: string): Promise<ChairPlace[]> {
    if (this.lookups.length === 0) return [];
    return (await Promise.all(this.lookups.map((lookup) => lookup(userId)))).flat();
  }
}

/**
 * Whether a `committee_chairs` audience includes a chair with these places: city-wide (neither
 * school nor district) takes any chair; otherwise the chair's school or district must match.
 */
export function chairAudienceIncludes(audience: Audience, places: ChairPlace[]): boolean {
  return audience.scope === 'committee_chairs' && placeAudienceIncludes(audience, places);
}

/** The same rule for any audience of people by their school (chairs, teachers): the whole city, a district, or a school. */
export function placeAudienceIncludes(audience: { schoolId?: string; districtId?: string }, places: ChairPlace[]): boolean {
  if (places.length === 0) return false;
  if (audience.schoolId) return places.some((p) => p.schoolId === audience.schoolId);
  if (audience.districtId) return places.some((p) => p.districtId === audience.districtId);
  return true;
}
