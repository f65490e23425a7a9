import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AnonymousSealService, DomainError, enqueue, formatShanghai, Principal, QUEUES, shuffled } from '@jiaxiao/common';
import { ElectionResult } from '@jiaxiao/db';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { CommitteeService } from './committee.service';
import { decide, nominationKey, openKey, toNominationDto, toResultDto } from './election-rules';
import { CommitteesRepository } from './committees.repository';
import { ElectionRepository, ElectionRow } from './election.repository';
import { BallotDto, ElectionDto, NominateDto, NominationDto, OpenElectionDto, VoteReceiptDto } from './dto/election.dto';

@Injectable()
export class ElectionService {
  constructor(
    private readonly repository: CommitteesRepository,
    private readonly electionRepository: ElectionRepository,
    private readonly committees: CommitteeService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly seal: AnonymousSealService,
    private readonly outbox: OutboxService,
    @InjectQueue(QUEUES.committees) private readonly queue: Queue,
  ) {}

  async open(principal: Principal, committeeId: string, dto: OpenElectionDto): Promise<ElectionDto> {
    const committee = await this.committees.mustGet(committeeId);
    const [ns, ne, vs, ve] = [dto.nominationStartsAt, dto.nominationEndsAt, dto.votingStartsAt, dto.votingEndsAt].map((t) => new Date(t));
    if (ne <= ns) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'nominationEndsAt', constraint: 'isAfterStart' }]);
    if (vs < ne) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'votingStartsAt', constraint: 'isAfterNomination' }]);
    if (ve <= vs || ve.getTime() <= Date.now())
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'votingEndsAt', constraint: 'isAfterStart' }]);
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.electionRepository.insertElection(
        {
          committeeId,
          title: dto.title,
          role: dto.role,
          seats: dto.seats,
          nominationStartsAt: ns,
          nominationEndsAt: ne,
          votingStartsAt: vs,
          votingEndsAt: ve,
          createdBy: principal.userId,
        },
        tx,
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'election.opened',
          targetType: 'election',
          targetId: inserted.id,
          detail: { committeeId, seats: inserted.seats, role: inserted.role },
        },
        tx,
      );
      const event = await this.outbox.record(tx, 'election.opened', {
        electionId: inserted.id,
        votingEndsAt: inserted.votingEndsAt.toISOString(),
      });
      // The guardians' notices are written with the election; the event's reactor queues their push.
      const guardians = await this.repository.guardiansInScope(committee, tx);
      await this.notifications.create(
        guardians.map((userId) => ({
          userId,
          kind: 'election.opened',
          title: `【家委会选举】${inserted.title}`,
          body: `提名时间：${formatShanghai(ns)} 至 ${formatShanghai(ne)}；投票时间：${formatShanghai(vs)} 至 ${formatShanghai(ve)}。每户一票，无记名投票。`,
          data: { committeeId, electionId: inserted.id },
          dedupeKey: openKey(inserted.id),
          deliverAt: new Date(),
        })),
        tx,
      );
      return { ...inserted, event };
    });
    await this.outbox.publish(row.event);
    return this.get(principal, row.id);
  }

  async get(principal: Principal, electionId: string): Promise<ElectionDto> {
    const row = await this.mustGet(electionId);
    const committee = await this.committees.mustGet(row.committeeId);
    const households = await this.repository.householdsInScope(committee, principal.userId);
    const voted = await this.electionRepository.votedHouseholds(row.id, households);
    return this.toDto(row, households.length > 0 ? households.every((h) => voted.has(h)) : undefined);
  }

  async list(principal: Principal, committeeId: string): Promise<ElectionDto[]> {
    const rows = await this.electionRepository.electionsOf(committeeId);
    return Promise.all(rows.map((r) => this.get(principal, r.id)));
  }

  // ── nominations ───────────────────────────────────────────────────────────────

  /** A guardian in scope nominates themselves (accepted at once) or another guardian in scope (who must accept). */
  async nominate(principal: Principal, electionId: string, dto: NominateDto): Promise<NominationDto> {
    const election = await this.mustGet(electionId);
    const now = Date.now();
    if (
      election.status !== 'open' ||
      election.runoffOf ||
      now < election.nominationStartsAt.getTime() ||
      now > election.nominationEndsAt.getTime()
    )
      throw new DomainError('NOMINATION_CLOSED');
    const committee = await this.committees.mustGet(election.committeeId);
    if ((await this.repository.householdsInScope(committee, principal.userId)).length === 0)
      throw new DomainError('NOT_A_GUARDIAN_IN_SCOPE');
    const nomineeId = dto.nomineeId ?? principal.userId;
    await this.committees.assertEligible(committee, nomineeId);
    const self = nomineeId === principal.userId;
    const { row, event } = await this.repository.transaction(async (tx) => {
      const inserted = await this.electionRepository.insertNomination(
        { electionId, nomineeId, nominatedBy: principal.userId, status: self ? 'accepted' : 'pending', statement: dto.statement },
        tx,
      );
      if (!inserted) throw new DomainError('NOMINATION_EXISTS');
      if (self) return { row: inserted, event: undefined };
      // The nominee's notice is written with the nomination; the event's reactor queues its push.
      await this.notifications.create(
        [
          {
            userId: nomineeId,
            kind: 'election.nominated',
            title: `【家委会选举】您被提名为候选人`,
            body: `${principal.name} 提名您参选“${election.title}”，请在 ${formatShanghai(election.votingStartsAt)} 前确认是否接受。`,
            data: { electionId, nominationId: inserted.id },
            dedupeKey: nominationKey(inserted.id),
            deliverAt: new Date(),
          },
        ],
        tx,
      );
      return { row: inserted, event: await this.outbox.record(tx, 'nomination.made', { electionId, nominationId: inserted.id }) };
    });
    if (event !== undefined) await this.outbox.publish(event);
    return toNominationDto(row);
  }

  /** The nominee accepts or declines, until voting starts. */
  async respond(principal: Principal, nominationId: string, accept: boolean): Promise<NominationDto> {
    const nomination = await this.electionRepository.nomination(nominationId);
    if (!nomination) throw new DomainError('NOMINATION_NOT_FOUND');
    const election = await this.mustGet(nomination.electionId);
    if (election.status !== 'open' || Date.now() >= election.votingStartsAt.getTime()) throw new DomainError('NOMINATION_CLOSED');
    const row = await this.repository.transaction(async (tx) => {
      const updated = await this.electionRepository.setNominationStatus(nominationId, accept ? 'accepted' : 'declined', tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: accept ? 'nomination.accepted' : 'nomination.declined',
          targetType: 'election',
          targetId: election.id,
        },
        tx,
      );
      return updated;
    });
    return toNominationDto(row);
  }

  // ── voting ────────────────────────────────────────────────────────────────────

  /**
   * Casts a household's secret ballot. The household marker and the sealed ballot are written in
   * one transaction, so an acknowledged vote is durable; the marker's primary key (election,
   * student) lets exactly one of two parents voting at once through. The sealed ballot is
   * unreadable in the database and is only opened, shuffled into the anonymous pool, at the
   * tally. No audit entry is written per vote.
   */
  async vote(principal: Principal, electionId: string, dto: BallotDto): Promise<VoteReceiptDto> {
    const election = await this.mustGet(electionId);
    const now = Date.now();
    if (election.status !== 'open' || now < election.votingStartsAt.getTime() || now > election.votingEndsAt.getTime())
      throw new DomainError('VOTING_CLOSED');
    const committee = await this.committees.mustGet(election.committeeId);
    const households = await this.repository.householdsInScope(committee, principal.userId);
    if (households.length === 0) throw new DomainError('NOT_A_GUARDIAN_IN_SCOPE');
    const candidates = new Set(
      (await this.electionRepository.nominationsOf(electionId)).filter((n) => n.status === 'accepted').map((n) => n.nomineeId),
    );
    const choices = dto.choices;
    if (new Set(choices).size !== choices.length || choices.length > election.seats || !choices.every((c) => candidates.has(c))) {
      throw new DomainError('INVALID_BALLOT', { seats: election.seats });
    }
    let household = dto.studentId;
    if (household !== undefined && !households.includes(household)) throw new DomainError('NOT_A_GUARDIAN_IN_SCOPE');
    if (household === undefined) {
      const voted = await this.electionRepository.votedHouseholds(electionId, households);
      household = households.find((h) => !voted.has(h));
      if (!household) throw new DomainError('ALREADY_VOTED');
    }
    const studentId = household;
    const sealed = this.seal.seal([...choices].sort());
    const cast = await this.repository.transaction((tx) => this.electionRepository.castBallot(electionId, studentId, sealed, tx));
    if (cast === 'closed') throw new DomainError('VOTING_CLOSED');
    if (cast === 'already_voted') throw new DomainError('ALREADY_VOTED');
    return { voted: true };
  }

  // ── tally ─────────────────────────────────────────────────────────────────────

  /** Admin "close now": tallies at once, whatever the voting window says. */
  async closeNow(principal: Principal, electionId: string): Promise<ElectionDto> {
    await this.tally(electionId, principal.userId);
    return this.get(principal, electionId);
  }

  /** The worker's sweep: tallies every open election whose voting window has passed. */
  async closeDue(now = new Date()): Promise<number> {
    const ids = await this.electionRepository.dueElectionIds(now);
    for (const id of ids) await this.tally(id);
    return ids.length;
  }

  /**
   * Counts the ballots and publishes the result: winners are appointed with the election's
   * role, a tie for the last seat opens a run-off (see `decide`). Idempotent: a closed election
   * is left alone. The audit entry holds counts only.
   */
  async tally(electionId: string, actorId: string | null = null): Promise<void> {
    const outcome = await this.repository.transaction(async (tx) => {
      const election = await this.electionRepository.lockElection(electionId, tx);
      if (!election || election.status !== 'open') return undefined;
      const committee = await this.repository.committee(election.committeeId, tx);
      if (!committee) return undefined;
      const candidates = (await this.electionRepository.nominationsOf(electionId, tx))
        .filter((n) => n.status === 'accepted')
        .map((n) => n.nomineeId);
      const pool = await this.electionRepository.sealedBallotsOf(electionId, tx);
      await this.electionRepository.moveBallots(electionId, shuffled(pool.map((b) => this.seal.open<string[]>(b))), tx);
      const { ballots, votes } = await this.electionRepository.tally(electionId, tx);
      const decision = decide(candidates, votes, election.seats, election.runoffOf !== null);
      const result: ElectionResult = { ballots, counts: decision.ranked, winners: decision.winners };
      if (decision.lot) result.lot = decision.lot;
      let runoff: ElectionRow | undefined;
      if (decision.tied.length > 0) {
        const now = Date.now();
        const length = Math.max(election.votingEndsAt.getTime() - election.votingStartsAt.getTime(), 60 * 60 * 1000);
        runoff = await this.electionRepository.insertElection(
          {
            committeeId: election.committeeId,
            title: `${election.title}（决选）`.slice(0, 100),
            role: election.role,
            seats: decision.remaining,
            nominationStartsAt: new Date(now - 2),
            nominationEndsAt: new Date(now - 1),
            votingStartsAt: new Date(now - 1),
            votingEndsAt: new Date(now + length),
            runoffOf: election.id,
            createdBy: election.createdBy,
          },
          tx,
        );
        for (const userId of decision.tied)
          await this.electionRepository.insertNomination(
            { electionId: runoff.id, nomineeId: userId, nominatedBy: userId, status: 'accepted' },
            tx,
          );
        result.runoff = { electionId: runoff.id, candidates: decision.tied, seats: decision.remaining };
      }
      const unseated: string[] = [];
      for (const userId of decision.winners) {
        try {
          await this.committees.seat(committee, userId, election.role, tx, { electionId: election.id });
        } catch (error) {
          // Checked in code before any write: the transaction is still good.
          if (!(error instanceof DomainError)) throw error;
          unseated.push(userId);
        }
      }
      if (unseated.length > 0) result.unseated = unseated;
      await this.electionRepository.closeElection(election.id, result, tx);
      // The result reaches every guardian's inbox with the count; the pushes follow its event, the group the members' event.
      const guardians = await this.repository.guardiansInScope(committee, tx);
      const note = runoff ? '计票结束，末位票数相同，将进行决选投票，请及时参加。' : '计票结束，选举结果已公布。';
      await this.notifications.create(
        guardians.map((userId) => ({
          userId,
          kind: 'election.result',
          title: `【选举结果】${election.title}`,
          body: note,
          data: { committeeId: committee.id, electionId: election.id },
          dedupeKey: resultKey(election.id),
          deliverAt: new Date(),
        })),
        tx,
      );
      const events = [
        await this.outbox.record(tx, 'election.tallied', { electionId: election.id }),
        await this.outbox.record(tx, 'committee.members-changed', { committeeId: committee.id }),
      ];
      if (runoff)
        events.push(
          await this.outbox.record(tx, 'election.opened', { electionId: runoff.id, votingEndsAt: runoff.votingEndsAt.toISOString() }),
        );
      await this.audit.record(
        {
          actorId,
          action: 'election.tallied',
          targetType: 'election',
          targetId: election.id,
          detail: {
            ballots,
            counts: decision.ranked.map((r) => ({ candidate: r.userId, votes: r.votes })),
            winners: decision.winners,
            runoff: result.runoff?.electionId ?? null,
            lotSeed: result.lot?.seed ?? null,
          },
        },
        tx,
      );
      return events;
    });
    if (outcome) await this.outbox.publish(...outcome);
  }

  /**
   * After a tally (the worker's `election.announce`, queued from `election.tallied`): the result's
   * inbox entries not pushed yet are pushed (the group follows the seats through `committee.members-changed`). Safe to repeat.
   */
  async announce(electionId: string): Promise<void> {
    await this.notifications.dispatchBulk(resultKey(electionId));
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  /** The announcement job of a tallied election; its id is the election's, so a repeated event queues it once. */
  async scheduleAnnouncement(electionId: string): Promise<void> {
    await enqueue(this.queue, 'election.announce', { electionId }, { jobId: `election-announce-${electionId}` });
  }

  /** The tally job of an election, due when voting ends; its id is the election's, so scheduling twice queues it once. */
  async scheduleTally(election: Pick<ElectionRow, 'id' | 'votingEndsAt'>): Promise<void> {
    await enqueue(
      this.queue,
      'election.tally',
      { electionId: election.id },
      { jobId: `election-tally-${election.id}`, delay: Math.max(0, election.votingEndsAt.getTime() - Date.now()) },
    );
  }

  private async mustGet(electionId: string): Promise<ElectionRow> {
    const row = await this.electionRepository.election(electionId);
    if (!row) throw new DomainError('ELECTION_NOT_FOUND');
    return row;
  }

  private async toDto(row: ElectionRow, householdVoted: boolean | undefined): Promise<ElectionDto> {
    const nominations = await this.electionRepository.nominationsOf(row.id);
    const names = await this.repository.namesOf(row.result?.counts.map((c) => c.userId) ?? []);
    return {
      id: row.id,
      committeeId: row.committeeId,
      title: row.title,
      role: row.role,
      seats: row.seats,
      nominationStartsAt: row.nominationStartsAt.toISOString(),
      nominationEndsAt: row.nominationEndsAt.toISOString(),
      votingStartsAt: row.votingStartsAt.toISOString(),
      votingEndsAt: row.votingEndsAt.toISOString(),
      status: row.status,
      runoffOf: row.runoffOf,
      candidates: nominations.map((n) => ({
        nominationId: n.id,
        userId: n.nomineeId,
        name: n.name,
        status: n.status,
        statement: n.statement,
      })),
      ...(householdVoted === undefined ? {} : { householdVoted }),
      result: row.result ? toResultDto(row.result, names) : null,
    };
  }
}

const resultKey = (electionId: string) => `election-result:${electionId}`;
