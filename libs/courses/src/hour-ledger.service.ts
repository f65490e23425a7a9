import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, Principal } from '@jiaxiao/common';
import { DbExecutor, LedgerSource } from '@jiaxiao/db';
import { AuditService } from '@jiaxiao/platform';
import { CoursesRepository, LectureRow } from './courses.repository';
import { HourLedgerRepository } from './hour-ledger.repository';

/**
 * The append-only hour ledger. One credit per guardian and lecture (a unique index makes a
 * retried check-out or flush harmless); the households (students) of the guardian count the
 * lecture once each, whichever of their guardians attended, in the same transaction.
 */
@Injectable()
export class HourLedgerService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly hourLedgerRepository: HourLedgerRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Whether a lecture's credit also counts for the user's households (the yearly hours): not a
   * teachers' training (a teacher's own ledger), and a chair training only as configured.
   */
  countsForHouseholds(lecture: Pick<LectureRow, 'series'>): boolean {
    if (lecture.series === 'teacher_training') return false;
    if (lecture.series === 'chair_training') return this.config.CHAIR_TRAINING_COUNTS_FOR_HOUSEHOLDS;
    return true;
  }

  /** Credits the lecture to a guardian; returns the hours credited now (0 if already credited). */
  async credit(
    input: { guardianId: string; lecture: LectureRow; source: LedgerSource; reason?: string; recordedBy?: string },
    tx: DbExecutor,
  ): Promise<number> {
    const { lecture } = input;
    const credited = await this.hourLedgerRepository.insertCredit(
      {
        guardianId: input.guardianId,
        lectureId: lecture.id,
        schoolYearId: lecture.schoolYearId,
        hours: lecture.creditHours,
        source: input.source,
        reason: input.reason,
        recordedBy: input.recordedBy,
      },
      this.countsForHouseholds(lecture),
      tx,
    );
    return credited ? lecture.creditHours : 0;
  }

  /** Chair-training hours (家委会主任能力提升) each of these guardians earned in a school year; 0 for those with none. */
  async chairTrainingHours(guardianIds: string[], schoolYearId: string): Promise<Map<string, number>> {
    const rows = await this.hourLedgerRepository.seriesHoursOf([...new Set(guardianIds)], schoolYearId, 'chair_training');
    const hours = new Map(guardianIds.map((id) => [id, 0]));
    for (const row of rows) hours.set(row.guardianId, Number(row.hours));
    return hours;
  }

  /** A correction: a revocation entry, never a delete; households lose the lecture unless another guardian earned it. */
  async revoke(principal: Principal, ledgerId: string, reason: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const credit = await this.hourLedgerRepository.ledgerEntry(ledgerId, tx);
      if (!credit || credit.kind !== 'credit') throw new DomainError('LEDGER_ENTRY_NOT_FOUND');
      const revocation = await this.hourLedgerRepository.insertRevocation(credit, reason, principal.userId, tx);
      if (!revocation) throw new DomainError('ALREADY_REVOKED');
      for (const studentId of await this.hourLedgerRepository.studentsOfGuardian(credit.guardianId, tx)) {
        if (!(await this.hourLedgerRepository.otherGuardianCredited(studentId, credit.lectureId, credit.guardianId, tx))) {
          await this.hourLedgerRepository.removeHouseholdCredit(studentId, credit.lectureId, tx);
        }
      }
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'hours.revoked',
          targetType: 'user',
          targetId: credit.guardianId,
          detail: { ledgerId, lectureId: credit.lectureId, hours: credit.hours, reason },
        },
        tx,
      );
    });
  }
}
