import { Inject, Injectable } from '@nestjs/common';
import { SQL, sql } from 'drizzle-orm';
import { Principal, ScopedAssignment } from '@jiaxiao/common';
import { DB, Database, users } from '@jiaxiao/db';
import { Coalescer } from '@jiaxiao/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PrincipalPlaces {
  /** The user's role assignments, oldest first, each with the school and district its scope lies in. */
  assignments: ScopedAssignment[];
  /** The user's children with their class, grade, school and district. */
  children: Principal['children'];
}

/**
 * Where a user stands in the directory, read on every authenticated request and socket re-check:
 * one prepared statement (two aggregated sub-selects) instead of a query per list, shared by the
 * reads that arrive together, so the request path makes at most one round trip here and
 * PostgreSQL parses and plans it once per connection.
 */
@Injectable()
export class PrincipalPlacesRepository {
  private statement?: ReturnType<PrincipalPlacesRepository['prepare']>;
  /** The reads of one turn of the event loop (requests arriving together) share one statement. */
  private readonly reads = new Coalescer<string, PrincipalPlaces>(
    async (userIds) => {
      this.statement ??= this.prepare();
      // Not a uuid: no places (one such id must not fail the statement of the others).
      const rows = await this.statement.execute({ userIds: JSON.stringify([...new Set(userIds.filter((id) => UUID.test(id)))]) });
      const byId = new Map(rows.map(({ userId, ...places }) => [userId, places]));
      return userIds.map((id) => ({ ok: true, value: byId.get(id) ?? { assignments: [], children: [] } }));
    },
    { max: 500, concurrency: 2 },
  );

  constructor(@Inject(DB) private readonly db: Database) {}

  of(userId: string): Promise<PrincipalPlaces> {
    return this.reads.call(userId);
  }

  private prepare() {
    const places = principalPlacesColumns(sql`users.id`);
    return this.db
      .select({
        userId: users.id,
        assignments: sql<ScopedAssignment[]>`${places.assignments}`,
        children: sql<Principal['children']>`${places.children}`,
      })
      .from(users)
      .where(sql`${users.id} in (select value::uuid from jsonb_array_elements_text(${sql.placeholder('userIds')}::jsonb))`)
      .prepare('principal_places');
  }
}

/**
 * A user's places (PrincipalPlaces) as two JSON columns of a statement that reads them together
 * with something else (the caller's session): `userId` is the user's id column there.
 */
export function principalPlacesColumns(userId: SQL): { assignments: SQL; children: SQL } {
  return {
    assignments: sql`coalesce((
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
      where a.user_id = ${userId}), '[]'::json)`,
    children: sql`coalesce((
      select json_agg(json_build_object('studentId', st.id, 'classId', st.class_id, 'grade', c.grade, 'schoolId', c.school_id, 'districtId', sc.district_id))
      from guardianships g
      join students st on st.id = g.student_id
      join classes c on c.id = st.class_id
      join schools sc on sc.id = c.school_id
      where g.user_id = ${userId}), '[]'::json)`,
  };
}
