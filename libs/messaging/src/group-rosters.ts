import { Injectable } from '@nestjs/common';

/** The group conversations whose members a context above messaging decides. */
export type RosteredGroupKind = 'committee_group' | 'lecture_room';

/** Who a group should hold now: the thing it belongs to (its title and school name the group) and its people. */
export interface GroupRoster {
  ref: { id: string; title: string; schoolId: string | null };
  people: { userId: string; role: 'staff' | 'member' }[];
}

/** Reads a roster afresh (undefined: the committee or lecture is gone, or has no group now). */
export type GroupRosterSource = (refId: string) => Promise<GroupRoster | undefined>;

/**
 * Committees and courses sit above messaging and decide who belongs in a committee's group and a
 * lecture's Q&A room. They register a source here at start-up, as they register file checks and
 * access rules, so messaging's sync jobs (queued from their events) read the current roster
 * without importing upward.
 */
@Injectable()
export class GroupRosters {
  private readonly sources = new Map<RosteredGroupKind, GroupRosterSource>();

  register(kind: RosteredGroupKind, source: GroupRosterSource): void {
    this.sources.set(kind, source);
  }

  of(kind: RosteredGroupKind, refId: string): Promise<GroupRoster | undefined> {
    const source = this.sources.get(kind);
    if (!source) throw new Error(`no roster source for ${kind} in this app: import the module that decides it`);
    return source(refId);
  }
}
