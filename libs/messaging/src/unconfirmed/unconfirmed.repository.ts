import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DB, Database, pgArray } from '@jiaxiao/db';

export interface UnconfirmedRow {
  id: string;
  title: string;
  createdAt: Date;
  classId: string | null;
  className: string | null;
  schoolId: string | null;
  total: number;
  confirmed: number;
}

/** uuid[] parameters: an empty list matches nothing. */
const uuids = (ids: string[]) => sql`${pgArray(ids)}::uuid[]`;

/** The recent notices asking for 回执 within classes or schools, with families reached and confirmed. */
@Injectable()
export class UnconfirmedNoticeRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Class-group notices of the classes (or of every class of the schools) since `since`. */
  async classNotices(scope: { classIds: string[]; schoolIds: string[] }, since: Date, limit: number): Promise<UnconfirmedRow[]> {
    const result = (await this.db.execute(sql`
      select m.id, m.payload->'notice'->>'title' as title, m.created_at as "createdAt", cl.id as "classId", cl.name as "className", cl.school_id as "schoolId",
        (select count(distinct s.id)::int from student_places s
           join guardian_children g on g.student_id = s.id
           join conversation_members cm on cm.user_id = g.user_id and cm.conversation_id = c.id
         where s.class_id = cl.id) as total,
        (select count(distinct s.id)::int from student_places s
           join guardian_children g on g.student_id = s.id
           join conversation_members cm on cm.user_id = g.user_id and cm.conversation_id = c.id
           join notice_acks a on a.user_id = g.user_id and a.message_id = m.id
         where s.class_id = cl.id) as confirmed
      from messages m
      join conversations c on c.id = m.conversation_id and c.kind = 'class_group'
      join class_places cl on cl.id = c.class_id
      where m.type = 'notice' and m.recalled_at is null and (m.payload->'notice'->>'needsAck')::boolean
        and m.created_at >= ${since.toISOString()}::timestamptz
        and (cl.id = any(${uuids(scope.classIds)}) or cl.school_id = any(${uuids(scope.schoolIds)}))
      order by m.created_at desc, m.id
      limit ${limit}`)) as unknown as { rows: UnconfirmedRow[] };
    return result.rows;
  }

  /**
   * 校务公开 to families asking for 回执, counted over the families of the classes (a teacher) or
   * of the whole notice (its school's coordinator); a notice that reached none of them is left out.
   */
  async schoolNotices(scope: { classIds: string[]; schoolIds: string[] }, since: Date, limit: number): Promise<UnconfirmedRow[]> {
    const result = (await this.db.execute(sql`
      select n.id, n.title, n.created_at as "createdAt", null as "classId", null as "className", n.school_id as "schoolId",
        count(*)::int as total,
        (count(*) filter (where exists (select 1 from guardian_children g join school_notice_recipients r on r.user_id = g.user_id and r.notice_id = f.notice_id and r.acked_at is not null
                                        where g.student_id = f.student_id)))::int as confirmed
      from school_notices n
      join school_notice_families f on f.notice_id = n.id
      where n.audience = 'families' and n.needs_ack and n.created_at >= ${since.toISOString()}::timestamptz
        and (n.school_id = any(${uuids(scope.schoolIds)}) or f.class_id = any(${uuids(scope.classIds)}))
      group by n.id
      order by n.created_at desc, n.id
      limit ${limit}`)) as unknown as { rows: UnconfirmedRow[] };
    return result.rows;
  }
}
