import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  conversationMembers,
  DB,
  Database,
  files,
  messages,
} from '@jiaxiao/db';

/** Uploaded files and who may read them through the messages that carry them. */
@Injectable()
export class FileRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async insertFile(values: typeof files.$inferInsert) {
    const [row] = await this.db.insert(files).values(values).returning();
    return row;
  }

  async fileById(id: string) {
    const [row] = await this.db.select().from(files).where(eq(files.id, id));
    return row;
  }

  async deleteFile(id: string) {
    const [row] = await this.db.delete(files).where(eq(files.id, id)).returning();
    return row;
  }

  /** Whether a message that is not recalled still carries the file. */
  async fileInUse(fileId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(messages)
      .where(and(sql`${messages.payload} -> 'attachment' ->> 'fileId' = ${fileId}`, isNull(messages.recalledAt)))
      .limit(1);
    return Boolean(row);
  }

  /** A member of a conversation where the file was sent may read it. */
  async canReadFile(fileId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(messages)
      .innerJoin(conversationMembers, and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)))
      .where(and(sql`${messages.payload} -> 'attachment' ->> 'fileId' = ${fileId}`, isNull(messages.recalledAt)))
      .limit(1);
    return Boolean(row);
  }
}
