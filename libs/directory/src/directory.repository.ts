import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, gt, inArray, or, sql, SQL } from 'drizzle-orm';
import { AreaScope } from '@jiaxiao/common';
import {
  classes,
  DB,
  Database,
  DbExecutor,
  districts,
  guardianships,
  Relation,
  SchoolType,
  rosterImports,
  schools,
  schoolYears,
  students,
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

/** The directory's transaction; places (a class's or student's school and district), districts, schools and school years. */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

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
        guardianIds: sql<
          string[]
        >`coalesce((select array_agg(g.user_id) from ${guardianships} g where g.student_id = ${students.id}), '{}')`,
      })
      .from(students)
      .innerJoin(classes, eq(classes.id, students.classId))
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .where(eq(students.id, studentId));
    return row;
  }

  async schoolById(schoolId: string) {
    const [row] = await this.db
      .select({
        id: schools.id,
        name: schools.name,
        type: schools.type,
        address: schools.address,
        districtId: schools.districtId,
        districtName: districts.name,
      })
      .from(schools)
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .where(eq(schools.id, schoolId));
    return row;
  }

  async districtById(districtId: string) {
    const [row] = await this.db.select().from(districts).where(eq(districts.id, districtId));
    return row;
  }

  /** The class of a class roster import, or the school of a whole-school one. */
  async importTarget(importId: string): Promise<{ classId: string | null; schoolId: string | null } | undefined> {
    const [row] = await this.db
      .select({ classId: rosterImports.classId, schoolId: rosterImports.schoolId })
      .from(rosterImports)
      .where(eq(rosterImports.id, importId));
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
      .select({
        id: schools.id,
        name: schools.name,
        type: schools.type,
        address: schools.address,
        districtId: schools.districtId,
        districtName: districts.name,
      })
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
}
