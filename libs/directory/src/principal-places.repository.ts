import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { Principal, ScopedAssignment } from '@jiaxiao/common';
import { DB, Database, users } from '@jiaxiao/db';

export interface PrincipalPlaces {
  /** The user's role assignments, oldest first, each with the school and district its scope lies in. */
  assignments: ScopedAssignment[];
  /** The user's children with their class, grade, school and district. */
  children: Principal['children'];
}

/**
 * Where a user stands in the directory, read on every authenticated request and socket re-check:
 * one prepared statement (two aggregated sub-selects) instead of a query per list, so the request
 * path makes one round trip here and PostgreSQL parses and plans it once per connection.
 */
@Injectable()
export class PrincipalPlacesRepository {
  private statement?: ReturnType<PrincipalPlacesRepository['prepare']>;

  constructor(@Inject(DB) private readonly db: Database) {}

  async of(userId: string): Promise<PrincipalPlaces> {
    this.statement ??= this.prepare();
    const [row] = await this.statement.execute({ userId });
    return row ?? { assignments: [], children: [] };
  }

  private prepare() {
    return this.db
      .select({
        assignments: sql<ScopedAssignment[]>`coalesce((
          select json_agg(json_build_object(
            'id', a.id, 'role', a.role, 'scopeType', a.scope_type, 'scopeId', a.scope_id, 'title', a.title,
            'classId', case when a.scope_type = 'class' then a.scope_id end,
            'schoolId', case a.scope_type when 'school' then a.scope_id when 'class' then c.school_id end,
            'districtId', case a.scope_type when 'district' then a.scope_id when 'school' then s.district_id when 'class' then cs.district_id end
          ) order by a.created_at)
          from role_assignments a
          left join classes c on a.scope_type = 'class' and c.id = a.scope_id
          left join schools cs on cs.id = c.school_id
          left join schools s on a.scope_type = 'school' and s.id = a.scope_id
          where a.user_id = users.id), '[]'::json)`,
        children: sql<Principal['children']>`coalesce((
          select json_agg(json_build_object('studentId', st.id, 'classId', st.class_id, 'grade', c.grade, 'schoolId', c.school_id, 'districtId', sc.district_id))
          from guardianships g
          join students st on st.id = g.student_id
          join classes c on c.id = st.class_id
          join schools sc on sc.id = c.school_id
          where g.user_id = users.id), '[]'::json)`,
      })
      .from(users)
      .where(eq(users.id, sql.placeholder('userId')))
      .prepare('principal_places');
  }
}
