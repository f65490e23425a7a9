import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, satisfactionRespondents, satisfactionResponses, sealedSurveyAnswers } from '@jiaxiao/db';
import { classPlaces, guardianChildren, studentPlaces } from '@jiaxiao/directory';

/** The satisfaction survey of a support site's households: who answered, sealed answers and their counts. */
@Injectable()
export class SatisfactionSurveyRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** The student's school this year, if the user is their guardian. */
  async householdSchool(userId: string, studentId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ schoolId: classPlaces.schoolId })
      .from(guardianChildren)
      .innerJoin(studentPlaces, eq(studentPlaces.id, guardianChildren.studentId))
      .innerJoin(classPlaces, eq(classPlaces.id, studentPlaces.classId))
      .where(and(eq(guardianChildren.userId, userId), eq(guardianChildren.studentId, studentId)));
    return row?.schoolId;
  }

  /** Marks the household as answered (false if it already was) — in the caller's transaction. */
  async markResponded(schoolId: string, year: number, studentId: string, db: DbExecutor): Promise<boolean> {
    const rows = await db.insert(satisfactionRespondents).values({ schoolId, year, studentId }).onConflictDoNothing().returning();
    return rows.length > 0;
  }

  async insertSealedAnswer(values: typeof sealedSurveyAnswers.$inferInsert, db: DbExecutor): Promise<void> {
    await db.insert(sealedSurveyAnswers).values(values);
  }

  /** The school's sealed answers, locked for moving — or none when fewer than `min` wait (or another move holds them). */
  async takeSealedAnswers(schoolId: string, year: number, min: number, tx: DbExecutor): Promise<{ id: string; sealed: Buffer }[]> {
    const rows = await tx
      .select({ id: sealedSurveyAnswers.id, sealed: sealedSurveyAnswers.sealed })
      .from(sealedSurveyAnswers)
      .where(and(eq(sealedSurveyAnswers.schoolId, schoolId), eq(sealedSurveyAnswers.year, year)))
      .for('update', { skipLocked: true });
    return rows.length >= min ? rows.map((r) => ({ id: r.id, sealed: Buffer.from(r.sealed) })) : [];
  }

  /** Writes the opened answers, already shuffled, in one statement, and removes them from the pool. */
  async moveAnswers(ids: string[], answers: (typeof satisfactionResponses.$inferInsert)[], tx: DbExecutor): Promise<void> {
    if (answers.length > 0) await tx.insert(satisfactionResponses).values(answers);
    if (ids.length > 0) await tx.delete(sealedSurveyAnswers).where(inArray(sealedSurveyAnswers.id, ids));
  }

  async pendingSealedAnswers(schoolId: string, year: number): Promise<Buffer[]> {
    const rows = await this.db
      .select({ sealed: sealedSurveyAnswers.sealed })
      .from(sealedSurveyAnswers)
      .where(and(eq(sealedSurveyAnswers.schoolId, schoolId), eq(sealedSurveyAnswers.year, year)));
    return rows.map((r) => Buffer.from(r.sealed));
  }

  /** Answers per score among those already moved to the anonymous table. */
  async satisfactionCounts(schoolId: string, year: number): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ score: satisfactionResponses.score, n: sql<number>`count(*)::int` })
      .from(satisfactionResponses)
      .where(and(eq(satisfactionResponses.schoolId, schoolId), eq(satisfactionResponses.year, year)))
      .groupBy(satisfactionResponses.score);
    return new Map(rows.map((r) => [r.score, Number(r.n)]));
  }

  async hasResponded(schoolId: string, year: number, studentId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ s: satisfactionRespondents.studentId })
      .from(satisfactionRespondents)
      .where(
        and(
          eq(satisfactionRespondents.schoolId, schoolId),
          eq(satisfactionRespondents.year, year),
          eq(satisfactionRespondents.studentId, studentId),
        ),
      );
    return Boolean(row);
  }
}
