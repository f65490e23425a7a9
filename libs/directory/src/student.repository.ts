import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { classes, DB, Database, guardianships, schoolYears, schools, students, users } from '@jiaxiao/db';
import { GuardianRow } from './directory.repository';

/** Students of a class, their guardians, and a guardian's children. */
@Injectable()
export class StudentRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  studentsOfClass(classId: string) {
    return this.db
      .select()
      .from(students)
      .where(and(eq(students.classId, classId), isNull(students.leftAt)))
      .orderBy(asc(students.name), asc(students.id));
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
}
