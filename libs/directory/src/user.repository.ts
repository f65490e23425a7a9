import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { classes, DB, Database, DbExecutor, roleAssignments, users } from '@jiaxiao/db';

/** Users and their staff roles: lookups, accounts created on appointment, role assignments. */
@Injectable()
export class UserRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

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
              this.db
                .select({ id: classes.id })
                .from(classes)
                .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId))),
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

  async insertUser(
    input: { phone: string; name: string; passwordHash: string | null; status: 'active' | 'invited'; passwordChangeRequired?: boolean },
    db: DbExecutor,
  ) {
    const [row] = await db.insert(users).values(input).returning();
    return row;
  }

  async activateUser(userId: string, passwordHash: string, db: DbExecutor) {
    // A one-time password, handed over by whoever appointed them: they must choose their own at first sign-in.
    await db
      .update(users)
      .set({ passwordHash, status: 'active', passwordChangeRequired: true, activatedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, userId));
  }

  async insertAssignment(
    input: {
      userId: string;
      role: 'teacher' | 'coordinator' | 'district_admin' | 'city_admin' | 'expert';
      scopeType: 'city' | 'district' | 'school' | 'class';
      scopeId: string | null;
      title?: string;
      createdBy: string;
    },
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
