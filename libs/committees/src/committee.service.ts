import { Injectable, OnModuleInit } from '@nestjs/common';
import { areaScopeOf, DomainError, maskPhone, Principal, schoolYearBounds, schoolYearOf, staffSchoolIds } from '@jiaxiao/common';
import { CommitteeRole, DbExecutor } from '@jiaxiao/db';
import { ConversationService, GroupRoster, GroupRosters } from '@jiaxiao/messaging';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { manages, OFFICER_ROLES } from './committees.access';
import { CommitteeRow, CommitteesRepository } from './committees.repository';
import { AppointMemberDto, CommitteeDto, CreateCommitteeDto, CommitteeMemberDto, UpdateCharterDto } from './dto/committee.dto';
import { DirectoryRepository } from '@jiaxiao/directory';

/** Offices from highest to lowest. */
const RANK: Record<CommitteeRole, number> = { chair: 0, vice_chair: 1, secretary: 2, member: 3 };

const LEVEL_NAMES = { class: '班级家长委员会', grade: '年级家长委员会', school: '学校家长委员会' } as const;

/**
 * 家长委员会 at class, grade and school level: set-up by the school's coordinator, the charter,
 * members with roles and terms within a size limit, the group chat kept in line with the
 * members (minutes and oversight records: CommitteeMinutesService). A change of members records
 * `committee.members-changed` in its transaction (messaging's job syncs the group, whatever a
 * crash loses); the request syncs it too, at once, so its answer finds the group in line.
 */
@Injectable()
export class CommitteeService implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: CommitteesRepository,
    private readonly conversations: ConversationService,
    private readonly rosters: GroupRosters,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.rosters.register('committee_group', (committeeId) => this.groupRoster(committeeId));
  }

  async create(principal: Principal, dto: CreateCommitteeDto): Promise<CommitteeDto> {
    const school = await this.directory.schoolById(dto.schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!manages(principal, school.id, school.districtId)) throw new DomainError('FORBIDDEN');
    const year = await this.repository.schoolYearByName(dto.schoolYear ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    let scopeKey = 'school';
    let name = dto.name ?? `${school.name}${LEVEL_NAMES.school}`;
    if (dto.level === 'class') {
      const cls = dto.classId ? await this.repository.classById(dto.classId) : undefined;
      if (!dto.classId) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'classId', constraint: 'isDefined' }]);
      if (!cls || cls.schoolId !== school.id || cls.schoolYearId !== year.id) throw new DomainError('CLASS_NOT_FOUND');
      scopeKey = `class:${cls.id}`;
      name = dto.name ?? `${cls.name}${LEVEL_NAMES.class}`;
    } else if (dto.level === 'grade') {
      if (dto.grade === undefined) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'grade', constraint: 'isDefined' }]);
      scopeKey = `grade:${dto.grade}`;
      name = dto.name ?? `${school.name} ${dto.grade} 年级${LEVEL_NAMES.grade}`;
    }
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insertCommittee(
        {
          schoolId: school.id,
          schoolYearId: year.id,
          level: dto.level,
          classId: dto.level === 'class' ? dto.classId : null,
          grade: dto.level === 'grade' ? dto.grade : null,
          scopeKey,
          name,
          charter: dto.charter,
          charterNote: dto.charterNote,
          maxMembers: dto.maxMembers ?? 7,
          drawsFromClassCommittees: dto.level !== 'class' && (dto.drawsFromClassCommittees ?? false),
          createdBy: principal.userId,
        },
        tx,
      );
      if (!inserted) throw new DomainError('COMMITTEE_EXISTS');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'committee.created',
          targetType: 'committee',
          targetId: inserted.id,
          detail: { level: inserted.level, name: inserted.name },
        },
        tx,
      );
      const { id: committeeId, schoolId, schoolYearId, level, createdAt } = inserted;
      return {
        ...inserted,
        events: [
          await this.outbox.record(tx, 'committee.established', {
            committeeId,
            schoolId,
            schoolYearId,
            level,
            at: createdAt.toISOString(),
          }),
          await this.outbox.record(tx, 'committee.members-changed', { committeeId }),
        ],
      };
    });
    await this.outbox.publish(...row.events);
    await this.syncGroup(row);
    return this.toDto(row, year.name);
  }

  async get(committeeId: string): Promise<CommitteeDto> {
    return this.toDto(await this.mustGet(committeeId));
  }

  /** Parents: committees serving their children, and those they sit on (this school year by default). */
  async listForGuardian(principal: Principal, schoolYear?: string): Promise<CommitteeDto[]> {
    const year = await this.year(schoolYear);
    const rows = await this.repository.committeesForGuardian(principal.userId, year.id);
    return rows.map((r) => this.toDtoWithYear(r, year.name));
  }

  /** Staff: committees of the schools, districts or city they cover. */
  async listForStaff(principal: Principal, query: { schoolYear?: string; schoolId?: string }): Promise<CommitteeDto[]> {
    const year = await this.year(query.schoolYear);
    const area = areaScopeOf(principal);
    const schoolIds = [...area.schoolIds, ...principal.assignments.filter((a) => a.schoolId).map((a) => a.schoolId as string)];
    const rows = await this.repository.committeesForStaff({
      schoolYearId: year.id,
      city: area.city,
      districtIds: area.districtIds,
      schoolIds,
      schoolId: query.schoolId,
    });
    return rows.map((r) => this.toDtoWithYear(r.committee, year.name));
  }

  async updateCharter(principal: Principal, committeeId: string, dto: UpdateCharterDto): Promise<CommitteeDto> {
    const row = await this.repository.transaction(async (tx) => {
      const updated = await this.repository.updateCommittee(committeeId, { charter: dto.charter, charterNote: dto.charterNote }, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'committee.charter_updated',
          targetType: 'committee',
          targetId: committeeId,
          detail: { charter: dto.charter },
        },
        tx,
      );
      return updated;
    });
    return this.toDto(row);
  }

  /** Members with masked phone numbers, except for the school's teachers and coordinators: the rule rosters follow. */
  async members(principal: Principal, committeeId: string): Promise<CommitteeMemberDto[]> {
    const committee = await this.mustGet(committeeId);
    const full = staffSchoolIds(principal).has(committee.schoolId);
    const rows = await this.repository.members(committeeId);
    return rows.map((m) => ({
      id: m.id,
      userId: m.userId,
      name: m.name,
      phone: full ? m.phone : maskPhone(m.phone),
      role: m.role,
      termStartsOn: m.termStartsOn,
      termEndsOn: m.termEndsOn,
    }));
  }

  /**
   * Ends a member's term early (stepping down, a child leaving the school): the seat's last day
   * becomes yesterday, so from today they no longer count as a member, officer or chair; the row
   * stays as history and the group chat drops them. Ending an ended seat changes nothing.
   */
  async endMembership(principal: Principal, memberId: string, reason?: string): Promise<CommitteeMemberDto[]> {
    const member = await this.repository.memberById(memberId);
    if (!member) throw new DomainError('COMMITTEE_MEMBER_NOT_FOUND');
    const committee = await this.mustGet(member.committeeId);
    const ended = await this.repository.transaction(async (tx) => {
      await this.repository.lockCommittee(committee.id, tx);
      const done = await this.repository.endMember(member.id, tx);
      if (!done) return undefined;
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'committee.member_ended',
          targetType: 'committee',
          targetId: committee.id,
          detail: { memberId, userId: member.userId, role: member.role, reason: reason ?? null },
        },
        tx,
      );
      return this.outbox.record(tx, 'committee.members-changed', { committeeId: committee.id });
    });
    if (ended !== undefined) {
      await this.outbox.publish(ended);
      await this.syncGroup(committee);
    }
    return this.members(principal, committee.id);
  }

  async appoint(principal: Principal, committeeId: string, dto: AppointMemberDto): Promise<CommitteeMemberDto[]> {
    const committee = await this.mustGet(committeeId);
    const event = await this.repository.transaction(async (tx) => {
      await this.seat(committee, dto.userId, dto.role, tx, { termEndsOn: dto.termEndsOn });
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'committee.member_appointed',
          targetType: 'committee',
          targetId: committeeId,
          detail: { userId: dto.userId, role: dto.role },
        },
        tx,
      );
      return this.outbox.record(tx, 'committee.members-changed', { committeeId });
    });
    await this.outbox.publish(event);
    await this.syncGroup(committee);
    return this.members(principal, committeeId);
  }

  /**
   * Seats a guardian (or changes their role) inside the caller's transaction: the committee row
   * is locked so the size limit holds under concurrent appointments; a new chair replaces the old.
   */
  async seat(
    committee: CommitteeRow,
    userId: string,
    role: CommitteeRole,
    tx: DbExecutor,
    options: { termEndsOn?: string; electionId?: string } = {},
  ): Promise<void> {
    await this.repository.lockCommittee(committee.id, tx);
    await this.assertEligible(committee, userId, tx);
    const seat = await this.repository.membership(committee.id, userId, tx);
    const existing = seat?.active ? seat : undefined;
    // Only one row may hold the chair (an ended chair's row too): the office passes with it.
    if (role === 'chair' && seat?.role !== 'chair') await this.repository.demoteRole(committee.id, 'chair', tx);
    if (existing) {
      // An election seats its winners with its role, but never demotes one already holding a higher office.
      if (options.electionId && RANK[existing.role] < RANK[role]) return;
      await this.repository.setMemberRole(committee.id, userId, role, tx, options.electionId);
      return;
    }
    const count = (await this.repository.members(committee.id, tx)).length;
    if (count >= committee.maxMembers) throw new DomainError('COMMITTEE_FULL', { max: committee.maxMembers });
    const year = await this.repository.schoolYearById(committee.schoolYearId, tx);
    const today = new Date().toISOString().slice(0, 10);
    if (seat) {
      // A former member returns: one row per guardian and committee, so the ended seat gets a new term (the audit log keeps the old one).
      await this.repository.renewMember(
        seat.id,
        {
          role,
          termStartsOn: today,
          termEndsOn: options.termEndsOn ?? (year ? schoolYearBounds(year.name).endsOn : today),
          electionId: options.electionId,
        },
        tx,
      );
      return;
    }
    await this.repository.insertMember(
      {
        committeeId: committee.id,
        userId,
        role,
        termStartsOn: today,
        termEndsOn: options.termEndsOn ?? (year ? schoolYearBounds(year.name).endsOn : today),
        electionId: options.electionId,
      },
      tx,
    );
  }

  /** A member (or candidate) must be a guardian in scope — and sit on a class committee in scope when the committee draws from them. */
  async assertEligible(committee: CommitteeRow, userId: string, db?: DbExecutor): Promise<void> {
    if ((await this.repository.householdsInScope(committee, userId, db)).length === 0) throw new DomainError('NOT_A_GUARDIAN_IN_SCOPE');
    if (committee.drawsFromClassCommittees && !(await this.repository.onClassCommitteeInScope(committee, userId, db)))
      throw new DomainError('NOT_A_CLASS_COMMITTEE_MEMBER');
  }

  /**
   * Syncs the committee's group chat now, for the request that changed the members (its event's
   * job syncs it again, finding nothing to change; a crash before this line leaves the job alone to do it).
   */
  async syncGroup(committee: CommitteeRow): Promise<void> {
    await this.conversations.syncCommitteeGroup(committee.id);
  }

  /** Who belongs in the committee's group chat: officers and the school's coordinators as staff, other members as members. */
  private async groupRoster(committeeId: string): Promise<GroupRoster | undefined> {
    const committee = await this.repository.committee(committeeId);
    if (!committee) return undefined;
    const members = await this.repository.members(committee.id);
    const coordinators = await this.repository.coordinatorIds(committee.schoolId);
    const wanted = new Map<string, 'staff' | 'member'>();
    for (const m of members) wanted.set(m.userId, m.role === 'chair' || m.role === 'vice_chair' ? 'staff' : 'member');
    for (const id of coordinators) wanted.set(id, 'staff');
    return {
      ref: { id: committee.id, title: committee.name, schoolId: committee.schoolId },
      people: [...wanted].map(([userId, role]) => ({ userId, role })),
    };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  async mustGet(committeeId: string): Promise<CommitteeRow> {
    const row = await this.repository.committee(committeeId);
    if (!row) throw new DomainError('COMMITTEE_NOT_FOUND');
    return row;
  }

  isOfficer(role: string): boolean {
    return (OFFICER_ROLES as readonly string[]).includes(role);
  }

  private async year(name?: string) {
    const year = await this.repository.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return year;
  }

  private async toDto(row: CommitteeRow, yearName?: string): Promise<CommitteeDto> {
    return this.toDtoWithYear(row, yearName ?? (await this.repository.schoolYearById(row.schoolYearId))?.name ?? '');
  }

  private toDtoWithYear(row: CommitteeRow, schoolYear: string): CommitteeDto {
    return {
      id: row.id,
      level: row.level,
      name: row.name,
      schoolId: row.schoolId,
      classId: row.classId,
      grade: row.grade,
      schoolYear,
      charter: row.charter,
      charterNote: row.charterNote,
      maxMembers: row.maxMembers,
      drawsFromClassCommittees: row.drawsFromClassCommittees,
    };
  }
}
