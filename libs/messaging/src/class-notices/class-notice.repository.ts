import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import {
  conversationMembers,
  DB,
  Database,
  guardianships,
  noticeAcks,
  noticeReads,
  students,
  users,
} from '@jiaxiao/db';

/** Reads and 回执 of notices sent in a conversation, and the families of a class group they count by. */
@Injectable()
export class ClassNoticeRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async ack(messageId: string, userId: string): Promise<boolean> {
    const rows = await this.db.insert(noticeAcks).values({ messageId, userId }).onConflictDoNothing().returning({ userId: noticeAcks.userId });
    return rows.length > 0;
  }

  /** Members who have read a notice, and when. */
  async noticeReadTimes(messageId: string): Promise<Map<string, Date>> {
    const rows = await this.db.select().from(noticeReads).where(eq(noticeReads.messageId, messageId));
    return new Map(rows.map((r) => [r.userId, r.readAt]));
  }

  async ackedUserIds(messageId: string): Promise<Map<string, Date>> {
    const rows = await this.db.select().from(noticeAcks).where(eq(noticeAcks.messageId, messageId));
    return new Map(rows.map((r) => [r.userId, r.ackedAt]));
  }

  /** The families of a class: each student with the guardians who are members of the conversation. */
  families(classId: string, conversationId: string) {
    return this.db
      .select({ studentId: students.id, studentName: students.name, userId: users.id, name: users.name, relation: guardianships.relation, lastReadSeq: conversationMembers.lastReadSeq })
      .from(students)
      .innerJoin(guardianships, eq(guardianships.studentId, students.id))
      .innerJoin(users, eq(users.id, guardianships.userId))
      .innerJoin(conversationMembers, and(eq(conversationMembers.userId, users.id), eq(conversationMembers.conversationId, conversationId)))
      .where(eq(students.classId, classId))
      .orderBy(asc(students.name), asc(students.id));
  }
}
