import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { classes, classJoinLinks, DB, Database, DbExecutor, guardianships, joinRequests, Relation, students, users } from '@jiaxiao/db';

@Injectable()
export class JoinRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The class's token, created on first use (two teachers at once get the same one). */
  async linkOf(classId: string, token: string, createdBy: string): Promise<string> {
    await this.db.insert(classJoinLinks).values({ classId, token, createdBy }).onConflictDoNothing();
    const [row] = await this.db.select({ token: classJoinLinks.token }).from(classJoinLinks).where(eq(classJoinLinks.classId, classId));
    return row.token;
  }

  async classOfToken(token: string): Promise<string | undefined> {
    const [row] = await this.db.select({ classId: classJoinLinks.classId }).from(classJoinLinks).where(eq(classJoinLinks.token, token));
    return row?.classId;
  }

  studentsNamed(classId: string, name: string) {
    return this.db
      .select({ id: students.id })
      .from(students)
      .where(and(eq(students.classId, classId), eq(students.name, name), isNull(students.leftAt)));
  }

  async isGuardian(studentId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: guardianships.id })
      .from(guardianships)
      .where(and(eq(guardianships.studentId, studentId), eq(guardianships.userId, userId)));
    return row !== undefined;
  }

  async pendingOf(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(joinRequests)
      .where(and(eq(joinRequests.userId, userId), eq(joinRequests.status, 'pending')));
    return row.n;
  }

  /** Undefined when the same person already has a pending request for the pupil. */
  async insert(
    input: { classId: string; studentId: string; userId: string; relation: Relation; invitedBy?: string },
    db: DbExecutor = this.db,
  ) {
    const [row] = await db.insert(joinRequests).values(input).onConflictDoNothing().returning();
    return row;
  }

  list(classId: string, status: 'pending' | 'approved' | 'rejected') {
    return this.db
      .select({
        id: joinRequests.id,
        classId: joinRequests.classId,
        studentId: joinRequests.studentId,
        studentName: students.name,
        userId: joinRequests.userId,
        name: users.name,
        phone: users.phone,
        relation: joinRequests.relation,
        invitedBy: joinRequests.invitedBy,
        status: joinRequests.status,
        createdAt: joinRequests.createdAt,
        decidedAt: joinRequests.decidedAt,
      })
      .from(joinRequests)
      .innerJoin(students, eq(students.id, joinRequests.studentId))
      .innerJoin(users, eq(users.id, joinRequests.userId))
      .where(and(eq(joinRequests.classId, classId), eq(joinRequests.status, status)))
      .orderBy(asc(joinRequests.createdAt))
      .limit(200);
  }

  /** A school's requests (only `classIds` when given), oldest first, one page of them and how many in all. */
  async listOfSchool(
    filter: { schoolId: string; classIds?: string[]; status: 'pending' | 'approved' | 'rejected' },
    page: { limit: number; offset: number },
  ) {
    const where = and(
      eq(classes.schoolId, filter.schoolId),
      eq(joinRequests.status, filter.status),
      filter.classIds ? inArray(joinRequests.classId, filter.classIds) : undefined,
    );
    const [items, [{ total }]] = await Promise.all([
      this.db
        .select({
          id: joinRequests.id,
          classId: joinRequests.classId,
          className: classes.name,
          studentId: joinRequests.studentId,
          studentName: students.name,
          userId: joinRequests.userId,
          name: users.name,
          phone: users.phone,
          relation: joinRequests.relation,
          invitedBy: joinRequests.invitedBy,
          status: joinRequests.status,
          createdAt: joinRequests.createdAt,
          decidedAt: joinRequests.decidedAt,
        })
        .from(joinRequests)
        .innerJoin(classes, eq(classes.id, joinRequests.classId))
        .innerJoin(students, eq(students.id, joinRequests.studentId))
        .innerJoin(users, eq(users.id, joinRequests.userId))
        .where(where)
        .orderBy(asc(joinRequests.createdAt), asc(joinRequests.id))
        .limit(page.limit)
        .offset(page.offset),
      this.db.select({ total: count() }).from(joinRequests).innerJoin(classes, eq(classes.id, joinRequests.classId)).where(where),
    ]);
    return { items, total };
  }

  async classOfRequest(id: string): Promise<string | undefined> {
    const [row] = await this.db.select({ classId: joinRequests.classId }).from(joinRequests).where(eq(joinRequests.id, id));
    return row?.classId;
  }

  async lock(id: string, db: DbExecutor) {
    const [row] = await db.select().from(joinRequests).where(eq(joinRequests.id, id)).for('update');
    return row;
  }

  async decide(id: string, status: 'approved' | 'rejected', decidedBy: string, db: DbExecutor) {
    await db.update(joinRequests).set({ status, decidedBy, decidedAt: new Date() }).where(eq(joinRequests.id, id));
  }

  async addGuardian(input: { studentId: string; userId: string; relation: Relation }, db: DbExecutor) {
    await db
      .insert(guardianships)
      .values({ ...input, isPrimary: false })
      .onConflictDoNothing();
  }
}
