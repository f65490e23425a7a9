import { Injectable, OnModuleInit } from '@nestjs/common';
import { areaScopeOf, Principal } from '@jiaxiao/common';
import { Action, PolicyService } from '@jiaxiao/auth';
import { ChairPlaces } from '@jiaxiao/courses';
import { FileAccessRegistry } from '@jiaxiao/files';
import { CommitteeRow, CommitteesRepository } from './committees.repository';
import { ElectionRepository } from './election.repository';
import { FundRepository } from './fund.repository';
import { DirectoryRepository } from '@jiaxiao/directory';

type Outcome = 'allowed' | 'forbidden' | 'not_found';

/** Officers keep the committee's books (minutes, oversight, class fund) alongside school staff. */
export const OFFICER_ROLES = ['chair', 'vice_chair', 'secretary'] as const;

/**
 * Object rules of the committees context, registered with the policy service:
 * - committee: read = staff of its school (and district/city staff over it), guardians of a
 *   student in its scope, and its members; others are told it does not exist.
 *   manage = the school's coordinator, district staff of its district, city staff.
 * - committee_records (minutes, oversight, class fund of a committee): read as committee;
 *   manage = who manages the committee, or one of its officers (chair, vice chair, secretary).
 * - election: read and manage as its committee.
 * - nomination: read as its committee; manage = the nominee (accept or decline).
 * - fund_entry: manage as the records of its committee (reversal).
 * - committee_member (a seat): read and manage as its committee (ending a term).
 *
 * Members are those whose term has not ended. Registered with lower contexts too:
 * - files (the files context): a fund entry's receipt or an oversight photo is readable by whoever may
 *   read that committee's records.
 * - chair places (courses): current chairs and vice chairs are the `committee_chairs` audience
 *   of chair_training lectures. Vice chairs are included because they stand in for the chair
 *   and usually succeed them; the completion report still counts chairs only.
 */
@Injectable()
export class CommitteesAccess implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly policy: PolicyService,
    private readonly repository: CommitteesRepository,
    private readonly fundRepository: FundRepository,
    private readonly electionRepository: ElectionRepository,
    private readonly files: FileAccessRegistry,
    private readonly chairPlaces: ChairPlaces,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'committee',
      notFound: 'COMMITTEE_NOT_FOUND',
      check: async (principal, action, id) => this.committeeRule(principal, action, await this.repository.committee(id), false),
    });
    this.policy.register({
      resource: 'committee_records',
      notFound: 'COMMITTEE_NOT_FOUND',
      check: async (principal, action, id) => this.committeeRule(principal, action, await this.repository.committee(id), true),
    });
    this.policy.register({
      resource: 'election',
      notFound: 'ELECTION_NOT_FOUND',
      check: async (principal, action, id) => {
        const election = await this.electionRepository.election(id);
        return election ? this.committeeRule(principal, action, await this.repository.committee(election.committeeId), false) : 'not_found';
      },
    });
    this.policy.register({
      resource: 'nomination',
      notFound: 'NOMINATION_NOT_FOUND',
      check: async (principal, action, id) => {
        const nomination = await this.electionRepository.nomination(id);
        const election = nomination && (await this.electionRepository.election(nomination.electionId));
        if (!nomination || !election) return 'not_found';
        const read = await this.committeeRule(principal, 'read', await this.repository.committee(election.committeeId), false);
        if (read !== 'allowed' || action === 'read') return read;
        return nomination.nomineeId === principal.userId ? 'allowed' : 'forbidden';
      },
    });
    this.policy.register({
      resource: 'committee_member',
      notFound: 'COMMITTEE_MEMBER_NOT_FOUND',
      check: async (principal, action, id) => {
        const member = await this.repository.memberById(id);
        return member ? this.committeeRule(principal, action, await this.repository.committee(member.committeeId), false) : 'not_found';
      },
    });
    this.files.register(async (principal, fileId) => {
      for (const committee of await this.repository.committeesReferencingFile(fileId)) {
        if ((await this.committeeRule(principal, 'read', committee, true)) === 'allowed') return true;
      }
      return false;
    });
    this.chairPlaces.register((userId) => this.repository.chairPlacesOf(userId));
    this.policy.register({
      resource: 'fund_entry',
      notFound: 'FUND_ENTRY_NOT_FOUND',
      check: async (principal, action, id) => {
        const entry = await this.fundRepository.fundEntry(id);
        return entry ? this.committeeRule(principal, action, await this.repository.committee(entry.committeeId), true) : 'not_found';
      },
    });
  }

  private async committeeRule(
    principal: Principal,
    action: Action,
    committee: CommitteeRow | undefined,
    officersManage: boolean,
  ): Promise<Outcome> {
    if (!committee) return 'not_found';
    const school = await this.directory.schoolById(committee.schoolId);
    if (!school) return 'not_found';
    if (manages(principal, committee.schoolId, school.districtId)) return 'allowed';
    // A member whose term has ended is a guardian like any other.
    const member = await this.repository.activeMembership(committee.id, principal.userId);
    const canRead =
      Boolean(member) ||
      worksAt(principal, committee.schoolId) ||
      (principal.children.some((c) => c.schoolId === committee.schoolId) &&
        (await this.repository.householdsInScope(committee, principal.userId)).length > 0);
    // Outside the scope, a committee is not shown to exist.
    if (!canRead) return 'not_found';
    if (action === 'read') return 'allowed';
    if (officersManage && member && (OFFICER_ROLES as readonly string[]).includes(member.role)) return 'allowed';
    return 'forbidden';
  }
}

/** The school's coordinator, district staff of its district, city staff. */
export function manages(principal: Principal, schoolId: string, districtId: string): boolean {
  const area = areaScopeOf(principal);
  return (
    area.city ||
    area.districtIds.includes(districtId) ||
    principal.assignments.some((a) => a.role === 'coordinator' && a.schoolId === schoolId)
  );
}

/** Any staff role at the school (teachers included): they read its committees and see full phone numbers. */
function worksAt(principal: Principal, schoolId: string): boolean {
  return principal.assignments.some((a) => a.role !== 'expert' && a.schoolId === schoolId);
}
