import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DbExecutor, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { DomainError, Principal, QUEUES, shanghaiParts } from '@jiaxiao/common';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService } from '@jiaxiao/platform';
import { CommitteesRepository } from './committees.repository';
import { FundEntryRow, FundRepository } from './fund.repository';
import { CreateFundEntryDto, FundEntryDto, FundLedgerDto } from './dto/committee.dto';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * 班费: an append-only ledger per committee with a running balance, visible to every guardian
 * the committee serves. No entry is ever changed or deleted; a correction is a reversal entry
 * pointing at the original, at most once (a unique index), inside one transaction.
 */
@Injectable()
export class FundService implements OnModuleInit {
  constructor(
    private readonly repository: CommitteesRepository,
    private readonly fundRepository: FundRepository,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @InjectQueue(QUEUES.committees) private readonly queue: Queue,
  ) {}

  /** Every process with the queue makes sure the repeating jobs exist (idempotent). */
  async onModuleInit(): Promise<void> {
    // 09:00 on the 1st of each month, Shanghai time: last month's summary.
    await this.queue.upsertJobScheduler(
      'fund-monthly-summary',
      { pattern: '0 9 1 * *', tz: 'Asia/Shanghai' },
      { name: 'fund.monthly-summary', data: {} },
    );
    // A safety net for a lost delayed tally job: open elections past their voting window are closed.
    await this.queue.upsertJobScheduler('election-close-due', { every: 5 * 60 * 1000 }, { name: 'election.close-due', data: {} });
  }

  async record(principal: Principal, committeeId: string, dto: CreateFundEntryDto): Promise<FundEntryDto> {
    // Attaching a file shares it with the committee's readers: only the uploader may attach it.
    if (dto.receiptFileId && (await this.repository.fileById(dto.receiptFileId))?.ownerId !== principal.userId)
      throw new DomainError('FILE_NOT_FOUND');
    const row = await this.repository.transaction(async (tx) => {
      await this.repository.lockCommittee(committeeId, tx);
      const appended = await this.fundRepository.appendFundEntry(
        {
          committeeId,
          kind: dto.kind,
          amountFen: dto.kind === 'income' ? dto.amountFen : -dto.amountFen,
          description: dto.description,
          occurredOn: dto.occurredOn.slice(0, 10),
          receiptFileId: dto.receiptFileId,
          recordedBy: principal.userId,
        },
        tx,
      );
      const { entry } = appended;
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'fund.recorded',
          targetType: 'committee',
          targetId: committeeId,
          detail: { entryId: entry.id, amountFen: entry.amountFen },
        },
        tx,
      );
      return appended;
    });
    return this.entryDto(row.entry, row.balanceFen);
  }

  /** Reverses an entry once: a second reversal, or reversing a reversal, is refused (409). */
  async reverse(principal: Principal, entryId: string, reason: string): Promise<FundEntryDto> {
    try {
      const row = await this.repository.transaction(async (tx) => {
        const original = await this.fundRepository.fundEntry(entryId, tx);
        if (!original) throw new DomainError('FUND_ENTRY_NOT_FOUND');
        if (original.kind === 'reversal') throw new DomainError('FUND_REVERSAL_NOT_REVERSIBLE');
        await this.repository.lockCommittee(original.committeeId, tx);
        if (await this.fundRepository.reversalOf(entryId, tx)) throw new DomainError('FUND_ENTRY_ALREADY_REVERSED');
        const appended = await this.reversal(principal, original, reason, tx);
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'fund.reversed',
            targetType: 'committee',
            targetId: original.committeeId,
            detail: { entryId, reversalId: appended.entry.id, reason },
          },
          tx,
        );
        return appended;
      });
      return this.entryDto(row.entry, row.balanceFen);
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === 'fund_entries_reverses_uq')
        throw new DomainError('FUND_ENTRY_ALREADY_REVERSED');
      throw error;
    }
  }

  async ledger(committeeId: string): Promise<FundLedgerDto> {
    const rows = await this.fundRepository.fundLedger(committeeId);
    return {
      committeeId,
      balanceFen: rows.at(-1)?.balanceFen ?? 0,
      items: rows.map((r) => ({ ...this.entryDto(r.entry, r.balanceFen), reversedBy: r.reversedBy })),
    };
  }

  /**
   * The monthly summary to every guardian a committee with entries that month serves: income,
   * expense and the balance at the month's end. Deduplicated per committee and month, so a
   * retried job sends nothing twice. `month` is YYYY-MM (Shanghai); last month when absent.
   */
  async sendMonthlySummaries(month?: string, now = new Date()): Promise<number> {
    const target = month ?? previousMonth(now);
    const [y, m] = target.split('-').map(Number);
    const from = `${target}-01`;
    const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    let sent = 0;
    for (const sums of await this.fundRepository.monthlyFundSums(from, to)) {
      const committee = await this.repository.committee(sums.committeeId);
      if (!committee) continue;
      const guardians = await this.repository.guardiansInScope(committee);
      const dedupeKey = `fund-summary:${committee.id}:${target}`;
      const created = await this.notifications.create(
        guardians.map((userId) => ({
          userId,
          kind: 'fund.monthly_summary',
          title: `【班费公示】${committee.name} ${y}年${m}月`,
          body: `本月收入 ${yuan(sums.incomeFen)} 元，支出 ${yuan(sums.expenseFen)} 元，月末结余 ${yuan(sums.balanceFen)} 元。明细可在家委会班费账目中查看。`,
          data: { month: target, ...sums },
          dedupeKey,
          deliverAt: new Date(),
        })),
      );
      await this.notifications.dispatch(created);
      sent += created.length;
    }
    return sent;
  }

  private reversal(principal: Principal, original: FundEntryRow, reason: string, tx: DbExecutor) {
    return this.fundRepository.appendFundEntry(
      {
        committeeId: original.committeeId,
        kind: 'reversal',
        amountFen: -original.amountFen,
        description: `冲正：${reason}`.slice(0, 200),
        occurredOn: new Date().toISOString().slice(0, 10),
        reverses: original.id,
        recordedBy: principal.userId,
      },
      tx,
    );
  }

  private entryDto(row: FundEntryRow, balanceFen: number): FundEntryDto {
    return {
      id: row.id,
      seq: row.seq,
      kind: row.kind,
      amountFen: row.amountFen,
      description: row.description,
      occurredOn: row.occurredOn,
      receiptFileId: row.receiptFileId,
      reverses: row.reverses,
      reversedBy: null,
      balanceFen,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

function previousMonth(now: Date): string {
  const { year, month } = shanghaiParts(now);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
