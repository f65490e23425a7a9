import { Injectable } from '@nestjs/common';
import { AnonymousSealService, AppConfig, DomainError, Principal, shuffled } from '@jiaxiao/common';
import { AnswerSurveyDto, SatisfactionSummaryDto, SurveyStatusDto } from './dto/model-school.dto';
import { managesSchool, programmeYearOf } from './model-school-scope';
import { ModelSchoolsRepository } from './model-schools.repository';
import { SatisfactionSurveyRepository } from './satisfaction-survey.repository';
import { DirectoryRepository } from '@jiaxiao/directory';

/**
 * The anonymous parent satisfaction survey:
 * one answer per household and year. The household's marker and its sealed answer are written in
 * one transaction (durable once acknowledged); once a school's pool holds a batch, the answers are
 * opened and moved, shuffled, into the anonymous table in a transaction of their own — so neither
 * a transaction id, row order nor time links an answer to a household (docs/security.md).
 */
@Injectable()
export class FamilySupportService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: ModelSchoolsRepository,
    private readonly satisfactionSurveyRepository: SatisfactionSurveyRepository,
    private readonly seal: AnonymousSealService,
    private readonly config: AppConfig,
  ) {}

  async surveyStatus(principal: Principal, studentId: string): Promise<SurveyStatusDto> {
    const schoolId = await this.satisfactionSurveyRepository.householdSchool(principal.userId, studentId);
    if (!schoolId) throw new DomainError('STUDENT_NOT_FOUND');
    const year = programmeYearOf(new Date());
    return { year, answered: await this.satisfactionSurveyRepository.hasResponded(schoolId, year, studentId) };
  }

  /** One answer per household (whichever guardian answers first); a second one is refused. */
  async answer(principal: Principal, dto: AnswerSurveyDto): Promise<SurveyStatusDto> {
    const schoolId = await this.satisfactionSurveyRepository.householdSchool(principal.userId, dto.studentId);
    if (!schoolId) throw new DomainError('STUDENT_NOT_FOUND');
    const year = programmeYearOf(new Date());
    const sealed = this.seal.seal({ score: dto.score, comment: dto.comment ?? null } satisfies SealedAnswer);
    await this.repository.transaction(async (tx) => {
      if (!(await this.satisfactionSurveyRepository.markResponded(schoolId, year, dto.studentId, tx)))
        throw new DomainError('SURVEY_ALREADY_ANSWERED');
      await this.satisfactionSurveyRepository.insertSealedAnswer({ schoolId, year, sealed }, tx);
    });
    await this.mix(schoolId, year);
    return { year, answered: true };
  }

  /**
   * Moves the school's sealed answers, once a batch has gathered, into the anonymous table in a
   * random order and a transaction of their own. The answer is already durable in the pool, so a
   * failure here loses nothing: the next answer of the school moves the batch.
   */
  private async mix(schoolId: string, year: number): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const batch = await this.satisfactionSurveyRepository.takeSealedAnswers(schoolId, year, this.config.ANONYMOUS_BATCH_SIZE, tx);
      const answers = shuffled(batch.map((b) => ({ schoolId, year, ...this.seal.open<SealedAnswer>(b.sealed) })));
      await this.satisfactionSurveyRepository.moveAnswers(
        batch.map((b) => b.id),
        answers,
        tx,
      );
    });
  }

  async summary(principal: Principal, schoolId: string, year = programmeYearOf(new Date())): Promise<SatisfactionSummaryDto> {
    const school = await this.directory.schoolById(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!managesSchool(principal, school)) throw new DomainError('FORBIDDEN');
    return { schoolId, year, ...(await this.scores(schoolId, year)) };
  }

  /** Aggregates over the moved answers and the sealed pool (opened here, counted, never stored open). */
  async scores(
    schoolId: string,
    year: number,
  ): Promise<{ responses: number; average: number | null; distribution: Record<string, number> }> {
    const counts = await this.satisfactionSurveyRepository.satisfactionCounts(schoolId, year);
    for (const sealed of await this.satisfactionSurveyRepository.pendingSealedAnswers(schoolId, year)) {
      const { score } = this.seal.open<SealedAnswer>(sealed);
      counts.set(score, (counts.get(score) ?? 0) + 1);
    }
    const entries = [...counts.entries()].sort(([a], [b]) => a - b);
    const responses = entries.reduce((s, [, n]) => s + n, 0);
    const sum = entries.reduce((s, [score, n]) => s + score * n, 0);
    return {
      responses,
      average: responses ? Math.round((sum / responses) * 100) / 100 : null,
      distribution: Object.fromEntries(entries.map(([score, n]) => [String(score), n])),
    };
  }
}

interface SealedAnswer {
  score: number;
  comment: string | null;
}
