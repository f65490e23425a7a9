import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  classes,
  DB,
  Database,
  DbExecutor,
  guardianships,
  ImportRowError,
  ImportStats,
  Relation,
  rosterImports,
  schoolYears,
  students,
  users,
} from '@jiaxiao/db';

@Injectable()
export class RosterRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async createImport(
    input: {
      classId: string | null;
      schoolId: string | null;
      uploadedBy: string;
      fileName: string;
      format: 'xlsx' | 'csv';
      content: Buffer;
    },
    db: DbExecutor = this.db,
  ) {
    const [row] = await db.insert(rosterImports).values(input).returning({ id: rosterImports.id, status: rosterImports.status });
    return row;
  }

  async importById(id: string) {
    const [row] = await this.db.select().from(rosterImports).where(eq(rosterImports.id, id));
    return row;
  }

  /** Claims a queued import for processing; false when another run already has it or it is done. */
  async claim(id: string): Promise<boolean> {
    const rows = await this.db
      .update(rosterImports)
      .set({ status: 'running' })
      .where(and(eq(rosterImports.id, id), inArray(rosterImports.status, ['queued', 'running'])))
      .returning({ id: rosterImports.id });
    return rows.length > 0;
  }

  async setTotal(id: string, totalRows: number, errors: ImportRowError[]) {
    await this.db.update(rosterImports).set({ totalRows, errors, processedRows: 0 }).where(eq(rosterImports.id, id));
  }

  async setProgress(id: string, processedRows: number, db: DbExecutor) {
    await db.update(rosterImports).set({ processedRows }).where(eq(rosterImports.id, id));
  }

  async finish(
    id: string,
    outcome: { status: 'succeeded' | 'failed'; stats?: ImportStats; failureReason?: string },
    db: DbExecutor = this.db,
  ) {
    await db
      .update(rosterImports)
      .set({ status: outcome.status, stats: outcome.stats, failureReason: outcome.failureReason, finishedAt: new Date() })
      .where(eq(rosterImports.id, id));
  }

  /** Marks an import failed unless it already finished (a late failure must not undo a success). */
  async failUnfinished(id: string, failureReason: string) {
    await this.db
      .update(rosterImports)
      .set({ status: 'failed', failureReason, finishedAt: new Date() })
      .where(and(eq(rosterImports.id, id), inArray(rosterImports.status, ['queued', 'running'])));
  }

  async yearIdByName(name: string): Promise<string | undefined> {
    const [row] = await this.db.select({ id: schoolYears.id }).from(schoolYears).where(eq(schoolYears.name, name));
    return row?.id;
  }

  /** A school's classes of a year by name (graduated ones too). */
  async classesNamed(schoolId: string, schoolYearId: string, names: string[]) {
    if (names.length === 0) return [];
    return this.db
      .select({ id: classes.id, name: classes.name, archivedAt: classes.archivedAt })
      .from(classes)
      .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId), inArray(classes.name, names)));
  }

  /** Creates the missing classes of a whole-school sheet; a class another import just created is reused. */
  async createClasses(rows: { schoolId: string; schoolYearId: string; grade: number; name: string }[], db: DbExecutor) {
    if (rows.length === 0) return [];
    return db.insert(classes).values(rows).onConflictDoNothing().returning({ id: classes.id, name: classes.name });
  }

  /** Creates accounts for unknown phone numbers (not yet activated) and returns every phone's user id. */
  async upsertGuardians(people: { phone: string; name: string }[], db: DbExecutor) {
    const created = await db
      .insert(users)
      .values(people.map((p) => ({ phone: p.phone, name: p.name, status: 'invited' as const })))
      .onConflictDoNothing({ target: users.phone })
      .returning({ id: users.id });
    const all = await db
      .select({ id: users.id, phone: users.phone })
      .from(users)
      .where(
        inArray(
          users.phone,
          people.map((p) => p.phone),
        ),
      );
    return { created: created.length, idByPhone: new Map(all.map((u) => [u.phone, u.id])) };
  }

  /** Finds the class's students by name, creating the missing ones. */
  async upsertStudents(classId: string, names: string[], db: DbExecutor) {
    const existing = await db
      .select({ id: students.id, name: students.name })
      .from(students)
      .where(and(eq(students.classId, classId), inArray(students.name, names)));
    const idByName = new Map(existing.map((s) => [s.name, s.id]));
    // A student on a roster again is back at school (one who left keeps their history).
    if (existing.length > 0) {
      await db
        .update(students)
        .set({ leftAt: null, leftReason: null })
        .where(
          and(
            inArray(
              students.id,
              existing.map((s) => s.id),
            ),
            sql`${students.leftAt} is not null`,
          ),
        );
    }
    const missing = names.filter((n) => !idByName.has(n));
    if (missing.length > 0) {
      // The unique (class, name) index makes a concurrent import of the same names fail this
      // chunk's transaction; the job's retry then finds the students the other import created.
      const created = await db
        .insert(students)
        .values(missing.map((name) => ({ classId, name })))
        .returning({ id: students.id, name: students.name });
      for (const s of created) idByName.set(s.name, s.id);
    }
    return { created: new Set(missing), idByName };
  }

  async insertGuardianships(
    rows: { studentId: string; userId: string; relation: Relation; isPrimary: boolean }[],
    db: DbExecutor,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await db
      .insert(guardianships)
      .values(rows)
      .onConflictDoNothing({ target: [guardianships.studentId, guardianships.userId] })
      .returning({ id: guardianships.id });
    return inserted.length;
  }

  /** Students that have no primary guardian yet, among these. */
  async withoutPrimary(studentIds: string[], db: DbExecutor): Promise<Set<string>> {
    if (studentIds.length === 0) return new Set();
    const rows = await db
      .select({ id: students.id })
      .from(students)
      .where(
        and(
          inArray(students.id, studentIds),
          sql`not exists (select 1 from ${guardianships} g where g.student_id = ${students.id} and g.is_primary)`,
        ),
      );
    return new Set(rows.map((r) => r.id));
  }
}
