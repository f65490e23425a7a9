import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DB, Database, DbExecutor, reportExports } from '@jiaxiao/db';

/** Report exports the worker builds. */
@Injectable()
export class ReportExportRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async insertExport(values: typeof reportExports.$inferInsert, db: DbExecutor) {
    const [row] = await db.insert(reportExports).values(values).returning();
    return row;
  }

  async exportById(id: string) {
    const [row] = await this.db.select().from(reportExports).where(eq(reportExports.id, id));
    return row;
  }

  async updateExport(id: string, values: Partial<typeof reportExports.$inferInsert>) {
    await this.db.update(reportExports).set(values).where(eq(reportExports.id, id));
  }
}
