import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import {
  classes,
  DB,
  Database,
  DbExecutor,
  guardianships,
  RolloverSummary,
  schoolRollovers,
  schools,
  schoolYears,
  students,
} from '@jiaxiao/db';

/** The tables behind setting a school up: classes year to year, students moving and leaving. */
@Injectable()
export class SchoolSetupRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async school(schoolId: string) {
    const [row] = await this.db.select().from(schools).where(eq(schools.id, schoolId));
    return row;
  }

  async yearByName(name: string) {
    const [row] = await this.db.select().from(schoolYears).where(eq(schoolYears.name, name));
    return row;
  }

  /** A school's classes of a year that have not graduated, with their students still at school. */
  openClasses(schoolId: string, schoolYearId: string, db: DbExecutor = this.db) {
    return db
      .select({
        id: classes.id,
        name: classes.name,
        grade: classes.grade,
        students: sql<number>`(select count(*)::int from ${students} s where s.class_id = ${classes}.id and s.left_at is null)`,
      })
      .from(classes)
      .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId), isNull(classes.archivedAt)))
      .orderBy(asc(classes.grade), asc(classes.name));
  }

  async classByName(schoolId: string, schoolYearId: string, name: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(classes)
      .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId), eq(classes.name, name)));
    return row;
  }

  async rollover(schoolId: string, fromYearId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(schoolRollovers)
      .where(and(eq(schoolRollovers.schoolId, schoolId), eq(schoolRollovers.fromYearId, fromYearId)));
    return row;
  }

  /** Takes the school's rollover out of the year; false when one is done (or being done: the insert waits for it). */
  async claimRollover(values: typeof schoolRollovers.$inferInsert, db: DbExecutor): Promise<string | undefined> {
    const [row] = await db.insert(schoolRollovers).values(values).onConflictDoNothing().returning({ id: schoolRollovers.id });
    return row?.id;
  }

  async saveSummary(id: string, summary: RolloverSummary, db: DbExecutor) {
    await db.update(schoolRollovers).set({ summary }).where(eq(schoolRollovers.id, id));
  }

  /** The class of the new year a class moves into: the one of that name, created when missing. */
  async ensureClass(
    values: { schoolId: string; schoolYearId: string; grade: number; name: string },
    db: DbExecutor,
  ): Promise<{ id: string; created: boolean }> {
    const [created] = await db.insert(classes).values(values).onConflictDoNothing().returning({ id: classes.id });
    if (created) return { id: created.id, created: true };
    const existing = await this.classByName(values.schoolId, values.schoolYearId, values.name, db);
    return { id: existing!.id, created: false };
  }

  /** Moves a class's students still at school into another class: the same rows, so guardianships and hours follow. */
  async moveStudents(fromClassId: string, toClassId: string, db: DbExecutor): Promise<number> {
    const moved = await db
      .update(students)
      .set({ classId: toClassId })
      .where(and(eq(students.classId, fromClassId), isNull(students.leftAt)))
      .returning({ id: students.id });
    return moved.length;
  }

  /** The class's teachers teach the class it became (their old appointment stays with last year's class). */
  async copyTeachers(fromClassId: string, toClassId: string, actorId: string, db: DbExecutor): Promise<void> {
    await db.execute(sql`
      insert into role_assignments (user_id, role, scope_type, scope_id, title, created_by)
      select user_id, role, scope_type, ${toClassId}, title, ${actorId} from role_assignments
      where role = 'teacher' and scope_type = 'class' and scope_id = ${fromClassId}
      on conflict do nothing`);
  }

  async archiveClass(classId: string, db: DbExecutor): Promise<void> {
    await db
      .update(classes)
      .set({ archivedAt: sql`now()` })
      .where(and(eq(classes.id, classId), isNull(classes.archivedAt)));
  }

  async lockStudent(studentId: string, db: DbExecutor) {
    const [row] = await db
      .select({ id: students.id, name: students.name, classId: students.classId, leftAt: students.leftAt })
      .from(students)
      .where(eq(students.id, studentId))
      .for('update');
    return row;
  }

  async student(studentId: string) {
    const [row] = await this.db.select({ name: students.name, leftAt: students.leftAt }).from(students).where(eq(students.id, studentId));
    return row;
  }

  async nameTaken(classId: string, name: string, db: DbExecutor): Promise<boolean> {
    const [row] = await db
      .select({ id: students.id })
      .from(students)
      .where(and(eq(students.classId, classId), eq(students.name, name)));
    return Boolean(row);
  }

  async guardianCount(studentId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(guardianships)
      .where(eq(guardianships.studentId, studentId));
    return row.n;
  }

  async classOf(classId: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(classes).where(eq(classes.id, classId));
    return row;
  }

  async setClass(studentId: string, classId: string, db: DbExecutor): Promise<void> {
    await db.update(students).set({ classId }).where(eq(students.id, studentId));
  }

  /** Ends every guardianship of the student, returning whose. */
  async endGuardianships(studentId: string, db: DbExecutor) {
    return db
      .delete(guardianships)
      .where(eq(guardianships.studentId, studentId))
      .returning({ userId: guardianships.userId, relation: guardianships.relation, isPrimary: guardianships.isPrimary });
  }

  async markLeft(studentId: string, reason: string | null, db: DbExecutor): Promise<Date> {
    const [row] = await db
      .update(students)
      .set({ leftAt: sql`now()`, leftReason: reason })
      .where(eq(students.id, studentId))
      .returning({ leftAt: students.leftAt });
    return row.leftAt!;
  }
}
