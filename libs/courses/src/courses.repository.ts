import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { courseRequirements, DB, Database, DbExecutor, lectures } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { classPlaces, guardianChildren, schoolPlaces, schoolYearPlaces, studentPlaces } from '@jiaxiao/directory';

export type LectureRow = typeof lectures.$inferSelect;

export interface StaffLectureFilter {
  schoolYearId: string;
  city: boolean;
  districtIds: string[];
  schoolIds: string[];
  planId?: string;
  series?: LectureRow['series'];
  status?: LectureRow['status'];
  q?: string;
  from?: Date;
  to?: Date;
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface ChildPlace {
  studentId: string;
  classId: string;
  grade: number;
  schoolId: string;
  districtId: string;
}

/** The context's transaction, school years and their hour requirement, and the places (children, schools, classes) its rules read. */
@Injectable()
export class CoursesRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // ── school years and requirements ─────────────────────────────────────────────

  async schoolYearByName(name: string) {
    const [row] = await this.db.select().from(schoolYearPlaces).where(eq(schoolYearPlaces.name, name));
    return row;
  }

  async requiredHours(schoolYearId: string, db: DbExecutor = this.db): Promise<number> {
    const [row] = await db
      .select({ hours: courseRequirements.requiredHours })
      .from(courseRequirements)
      .where(eq(courseRequirements.schoolYearId, schoolYearId));
    return row?.hours ?? 8;
  }

  async setRequiredHours(schoolYearId: string, requiredHours: number, updatedBy: string) {
    await this.db
      .insert(courseRequirements)
      .values({ schoolYearId, requiredHours, updatedBy })
      .onConflictDoUpdate({ target: courseRequirements.schoolYearId, set: { requiredHours, updatedBy, updatedAt: new Date() } });
  }

  // ── places ────────────────────────────────────────────────────────────────────

  /** The children of a guardian with their class, grade, school and district. */
  childPlaces(
    userId: string,
    db: DbExecutor = this.db,
  ): Promise<(ChildPlace & { studentName: string; className: string; schoolName: string })[]> {
    return db
      .select({
        studentId: studentPlaces.id,
        studentName: studentPlaces.name,
        classId: classPlaces.id,
        className: classPlaces.name,
        grade: classPlaces.grade,
        schoolId: schoolPlaces.id,
        schoolName: schoolPlaces.name,
        districtId: schoolPlaces.districtId,
      })
      .from(guardianChildren)
      .innerJoin(studentPlaces, eq(studentPlaces.id, guardianChildren.studentId))
      .innerJoin(classPlaces, eq(classPlaces.id, studentPlaces.classId))
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, classPlaces.schoolId))
      .where(eq(guardianChildren.userId, userId))
      .orderBy(asc(studentPlaces.name));
  }

  async schoolDistrict(schoolId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ districtId: schoolPlaces.districtId }).from(schoolPlaces).where(eq(schoolPlaces.id, schoolId));
    return row?.districtId;
  }

  async schoolName(schoolId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ name: schoolPlaces.name }).from(schoolPlaces).where(eq(schoolPlaces.id, schoolId));
    return row?.name;
  }

  async classesOfSchool(schoolId: string): Promise<string[]> {
    const rows = await this.db.select({ id: classPlaces.id }).from(classPlaces).where(eq(classPlaces.schoolId, schoolId));
    return rows.map((r) => r.id);
  }

  async userByPhone(phone: string) {
    const [row] = await this.db.select({ id: people.id, name: people.name }).from(people).where(eq(people.phone, phone));
    return row;
  }
}
