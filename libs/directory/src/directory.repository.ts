import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, or, sql, SQL } from 'drizzle-orm';
import { AreaScope } from '@jiaxiao/common';
import {
  classes,
  DB,
  Database,
  DbExecutor,
  districts,
  guardianships,
  Relation,
  roleAssignments,
  SchoolType,
  schoolYears,
  schools,
  students,
  rosterImports,
  users,
} from '@jiaxiao/db';

export interface ClassPlace {
  classId: string;
  className: string;
  grade: number;
  schoolYearId: string;
  schoolId: string;
  schoolName: string;
  districtId: string;
}

export interface StudentPlace extends ClassPlace {
  studentId: string;
  studentName: string;
  guardianIds: string[];
}

export interface GuardianRow {
  studentId: string;
  userId: string;
  name: string;
  phone: string;
  relation: Relation;
  isPrimary: boolean;
  status: string;
}

/** Directory tables: districts, schools, school years, classes, students, guardians, staff roles. */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  // ── places ────────────────────────────────────────────────────────────────────

  async classPlace(classId: string, db: DbExecutor = this.db): Promise<ClassPlace | undefined> {
    const [row] = await db
      .select({
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        schoolYearId: classes.schoolYearId,
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: schools.districtId,
      })
      .from(classes)
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .where(eq(classes.id, classId));
    return row;
  }

  async studentPlace(studentId: string): Promise<StudentPlace | undefined> {
    const [row] = await this.db
      .select({
        studentId: students.id,
        studentName: students.name,
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        schoolYearId: classes.schoolYearId,
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: schools.districtId,
        guardianIds: sql<string[]>`coalesce((select array_agg(g.user_id) from ${guardianships} g where g.student_id = ${students.id}), '{}')`,
      })
      .from(students)
      .innerJoin(classes, eq(classes.id, students.classId))
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .where(eq(students.id, studentId));
    return row;
  }

  async schoolById(schoolId: string) {
    const [row] = await this.db
      .select({ id: schools.id, name: schools.name, type: schools.type, address: schools.address, districtId: schools.districtId, districtName: districts.name })
      .from(schools)
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .where(eq(schools.id, schoolId));
    return row;
  }

  async districtById(districtId: string) {
    const [row] = await this.db.select().from(districts).where(eq(districts.id, districtId));
    return row;
  }

  // ── districts and schools ─────────────────────────────────────────────────────

  listDistricts(scope: AreaScope) {
    const visible = scope.city
      ? undefined
      : or(
          inArray(districts.id, scope.districtIds),
          inArray(districts.id, this.db.select({ id: schools.districtId }).from(schools).where(inArray(schools.id, scope.schoolIds))),
          inArray(
            districts.id,
            this.db
              .select({ id: schools.districtId })
              .from(classes)
              .innerJoin(schools, eq(schools.id, classes.schoolId))
              .where(inArray(classes.id, scope.classIds)),
          ),
        );
    return this.db.select().from(districts).where(visible).orderBy(asc(districts.code));
  }

  listSchools(scope: AreaScope, filter: { districtId?: string; afterName?: string; limit: number }) {
    const conditions: (SQL | undefined)[] = [
      this.schoolVisibility(scope),
      filter.districtId ? eq(schools.districtId, filter.districtId) : undefined,
      filter.afterName ? gt(schools.name, filter.afterName) : undefined,
    ];
    return this.db
      .select({ id: schools.id, name: schools.name, type: schools.type, address: schools.address, districtId: schools.districtId, districtName: districts.name })
      .from(schools)
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .where(and(...conditions))
      .orderBy(asc(schools.name))
      .limit(filter.limit + 1);
  }

  private schoolVisibility(scope: AreaScope): SQL | undefined {
    if (scope.city) return undefined;
    return or(
      inArray(schools.districtId, scope.districtIds),
      inArray(schools.id, scope.schoolIds),
      inArray(schools.id, this.db.select({ id: classes.schoolId }).from(classes).where(inArray(classes.id, scope.classIds))),
    );
  }

  async insertSchool(input: { districtId: string; name: string; type: SchoolType; address?: string }, db: DbExecutor = this.db) {
    const [row] = await db.insert(schools).values(input).returning();
    return row;
  }

  // ── school years ──────────────────────────────────────────────────────────────

  listSchoolYears() {
    return this.db.select().from(schoolYears).orderBy(asc(schoolYears.startsOn));
  }

  async schoolYearByName(name: string) {
    const [row] = await this.db.select().from(schoolYears).where(eq(schoolYears.name, name));
    return row;
  }

  async schoolYearById(id: string) {
    const [row] = await this.db.select().from(schoolYears).where(eq(schoolYears.id, id));
    return row;
  }

  async insertSchoolYear(input: { name: string; startsOn: string; endsOn: string }) {
    const [row] = await this.db.insert(schoolYears).values(input).returning();
    return row;
  }

  // ── classes ───────────────────────────────────────────────────────────────────

  listClasses(filter: { schoolId: string; schoolYearId: string; classIds?: string[] }) {
    return this.db
      .select({
        id: classes.id,
        name: classes.name,
        grade: classes.grade,
        schoolId: classes.schoolId,
        schoolYearId: classes.schoolYearId,
        // Drizzle leaves select-list columns unqualified in a single-table query, and a bare "id"
        // inside the subquery would mean s.id: name the outer table explicitly.
        studentCount: sql<number>`(select count(*)::int from ${students} s where s.class_id = ${classes}.id and s.left_at is null)`,
      })
      .from(classes)
      .where(
        and(
          eq(classes.schoolId, filter.schoolId),
          eq(classes.schoolYearId, filter.schoolYearId),
          filter.classIds ? inArray(classes.id, filter.classIds) : undefined,
        ),
      )
      .orderBy(asc(classes.grade), asc(classes.name));
  }

  /** One page of a school's classes, filtered and sorted in the database, with how many match. */
  async pageClasses(
    filter: { schoolId: string; schoolYearId: string; classIds?: string[]; grade?: number; q?: string },
    order: { by: 'name' | 'grade' | 'students'; descending: boolean },
    page: { limit: number; offset: number },
  ) {
    const studentCount = sql<number>`(select count(*)::int from ${students} s where s.class_id = ${classes}.id and s.left_at is null)`;
    const where = and(
      eq(classes.schoolId, filter.schoolId),
      eq(classes.schoolYearId, filter.schoolYearId),
      filter.classIds ? inArray(classes.id, filter.classIds) : undefined,
      filter.grade !== undefined ? eq(classes.grade, filter.grade) : undefined,
      filter.q ? ilike(classes.name, `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
    );
    const key = { name: classes.name, grade: classes.grade, students: studentCount }[order.by];
    const direction = order.descending ? desc : asc;
    const [items, [{ total }]] = await Promise.all([
      this.db
        .select({ id: classes.id, name: classes.name, grade: classes.grade, studentCount })
        .from(classes)
        .where(where)
        .orderBy(direction(key), asc(classes.grade), asc(classes.name), asc(classes.id))
        .limit(page.limit)
        .offset(page.offset),
      this.db.select({ total: count() }).from(classes).where(where),
    ]);
    return { items, total };
  }

  async insertClass(input: { schoolId: string; schoolYearId: string; grade: number; name: string }, db: DbExecutor = this.db) {
    const [row] = await db.insert(classes).values(input).returning();
    return row;
  }

  /** Head and subject teachers of a class. */
  teachersOfClass(classId: string) {
    return this.db
      .select({ userId: users.id, name: users.name, title: roleAssignments.title })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .where(and(eq(roleAssignments.role, 'teacher'), eq(roleAssignments.scopeType, 'class'), eq(roleAssignments.scopeId, classId)))
      .orderBy(asc(users.name));
  }

  /** The school's family-education coordinators. */
  coordinatorsOfSchool(schoolId: string) {
    return this.db
      .select({ userId: users.id, name: users.name })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .where(and(eq(roleAssignments.role, 'coordinator'), eq(roleAssignments.scopeType, 'school'), eq(roleAssignments.scopeId, schoolId)));
  }

  // ── students and guardians ────────────────────────────────────────────────────

  studentsOfClass(classId: string) {
    return this.db.select().from(students).where(and(eq(students.classId, classId), isNull(students.leftAt))).orderBy(asc(students.name), asc(students.id));
  }

  guardiansOf(studentIds: string[]): Promise<GuardianRow[]> {
    if (studentIds.length === 0) return Promise.resolve([]);
    return this.db
      .select({
        studentId: guardianships.studentId,
        userId: users.id,
        name: users.name,
        phone: users.phone,
        relation: guardianships.relation,
        isPrimary: guardianships.isPrimary,
        status: users.status,
      })
      .from(guardianships)
      .innerJoin(users, eq(users.id, guardianships.userId))
      .where(inArray(guardianships.studentId, studentIds))
      .orderBy(asc(guardianships.studentId), sql`${guardianships.isPrimary} desc`, asc(users.name));
  }

  /** The children of a guardian, each with their class and school. */
  childrenOf(userId: string) {
    return this.db
      .select({
        studentId: students.id,
        studentName: students.name,
        relation: guardianships.relation,
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        schoolId: schools.id,
        schoolName: schools.name,
        schoolYear: schoolYears.name,
      })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId))
      .where(eq(guardianships.userId, userId))
      .orderBy(asc(students.name));
  }

  // ── users and staff roles ─────────────────────────────────────────────────────

  async userById(id: string) {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  async userByPhone(phone: string) {
    const [row] = await this.db.select().from(users).where(eq(users.phone, phone));
    return row;
  }

  /** Staff role assignments with the class's school and the school's district filled in. */
  async assignmentById(id: string) {
    const [row] = await this.db.select().from(roleAssignments).where(eq(roleAssignments.id, id));
    return row;
  }


  /** The class of a class roster import, or the school of a whole-school one. */
  async importTarget(importId: string): Promise<{ classId: string | null; schoolId: string | null } | undefined> {
    const [row] = await this.db.select({ classId: rosterImports.classId, schoolId: rosterImports.schoolId }).from(rosterImports).where(eq(rosterImports.id, importId));
    return row;
  }

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Coordinators of the school and teachers of its classes in a school year. */
  staffOfSchool(schoolId: string, schoolYearId: string) {
    return this.db
      .select({
        id: roleAssignments.id,
        userId: users.id,
        name: users.name,
        phone: users.phone,
        role: roleAssignments.role,
        scopeType: roleAssignments.scopeType,
        scopeId: roleAssignments.scopeId,
        title: roleAssignments.title,
      })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .where(
        or(
          and(eq(roleAssignments.scopeType, 'school'), eq(roleAssignments.scopeId, schoolId)),
          and(
            eq(roleAssignments.scopeType, 'class'),
            inArray(
              roleAssignments.scopeId,
              this.db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId))),
            ),
          ),
        ),
      )
      .orderBy(asc(roleAssignments.role), asc(users.name));
  }

  async lockUserByPhone(phone: string, db: DbExecutor) {
    const [row] = await db.select().from(users).where(eq(users.phone, phone)).for('update');
    return row;
  }

  async insertUser(input: { phone: string; name: string; passwordHash: string | null; status: 'active' | 'invited'; passwordChangeRequired?: boolean }, db: DbExecutor) {
    const [row] = await db.insert(users).values(input).returning();
    return row;
  }

  async activateUser(userId: string, passwordHash: string, db: DbExecutor) {
    // A one-time password, handed over by whoever appointed them: they must choose their own at first sign-in.
    await db.update(users).set({ passwordHash, status: 'active', passwordChangeRequired: true, activatedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
  }

  async insertAssignment(
    input: { userId: string; role: 'teacher' | 'coordinator' | 'district_admin' | 'city_admin' | 'expert'; scopeType: 'city' | 'district' | 'school' | 'class'; scopeId: string | null; title?: string; createdBy: string },
    db: DbExecutor,
  ) {
    const [row] = await db.insert(roleAssignments).values(input).onConflictDoNothing().returning();
    return row;
  }

  async deleteAssignment(id: string, db: DbExecutor) {
    const [row] = await db.delete(roleAssignments).where(eq(roleAssignments.id, id)).returning();
    return row;
  }
}
