import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, ilike, inArray, sql } from 'drizzle-orm';
import { classes, DB, Database, DbExecutor, roleAssignments, students, users } from '@jiaxiao/db';

/** A school's classes in a year, and the staff who teach or coordinate them. */
@Injectable()
export class ClassRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

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
}
