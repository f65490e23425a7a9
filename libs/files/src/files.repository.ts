import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DB, Database, files } from '@jiaxiao/db';

@Injectable()
export class FilesRepository {
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
}
