import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { conversationMembers, DB, Database, messages, noticeAcks, readMarks } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { guardianChildren, studentPlaces } from '@jiaxiao/directory';

/** Read times of messages, 回执 of notices sent in a conversation, and the families of a class group they count by. */
@Injectable()
export class ClassNoticeRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** The notice's created_at is copied in SQL: a JS Date would lose its microseconds and miss the key. */
  async ack(messageId: string, userId: string): Promise<boolean> {
    const result = (await this.db.execute(sql`
      insert into ${noticeAcks} (message_id, message_created_at, user_id)
      select m.id, m.created_at, ${userId}::uuid from ${messages} m where m.id = ${messageId}
      on conflict do nothing
      returning user_id`)) as unknown as { rows: unknown[] };
    return result.rows.length > 0;
  }

  /**
   * When each member whose cursor has passed the message at `seq` reached it: the earliest read
   * mark at or after it (one index range per member, the tail of that member's marks).
   */
  async readTimes(conversationId: string, seq: number): Promise<Map<string, Date>> {
    const result = (await this.db.execute(sql`
      select m.user_id as "userId",
        (select min(r.read_at) from ${readMarks} r where r.conversation_id = m.conversation_id and r.user_id = m.user_id and r.seq >= ${seq}) as "readAt"
      from ${conversationMembers} m where m.conversation_id = ${conversationId} and m.last_read_seq >= ${seq}`)) as unknown as {
      rows: { userId: string; readAt: Date | string | null }[];
    };
    return new Map(result.rows.filter((r) => r.readAt !== null).map((r) => [r.userId, new Date(r.readAt as Date | string)]));
  }

  async ackedUserIds(messageId: string): Promise<Map<string, Date>> {
    const rows = await this.db.select().from(noticeAcks).where(eq(noticeAcks.messageId, messageId));
    return new Map(rows.map((r) => [r.userId, r.ackedAt]));
  }

  /** The families of a class: each student with the guardians who are members of the conversation. */
  families(classId: string, conversationId: string) {
    return this.db
      .select({
        studentId: studentPlaces.id,
        studentName: studentPlaces.name,
        userId: people.id,
        name: people.name,
        relation: guardianChildren.relation,
        lastReadSeq: conversationMembers.lastReadSeq,
      })
      .from(studentPlaces)
      .innerJoin(guardianChildren, eq(guardianChildren.studentId, studentPlaces.id))
      .innerJoin(people, eq(people.id, guardianChildren.userId))
      .innerJoin(
        conversationMembers,
        and(eq(conversationMembers.userId, people.id), eq(conversationMembers.conversationId, conversationId)),
      )
      .where(eq(studentPlaces.classId, classId))
      .orderBy(asc(studentPlaces.name), asc(studentPlaces.id));
  }
}
