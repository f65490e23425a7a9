import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, SQL } from 'drizzle-orm';
import { articles, ArticleKind, campaignSubmissions, campaigns, DB, Database, DbExecutor } from '@jiaxiao/db';

export type ArticleRow = typeof articles.$inferSelect;
const LIMIT = 200;

/** The bureau's library and the public side of campaigns. */
@Injectable()
export class ArticlesRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async article(id: string, db: DbExecutor = this.db): Promise<ArticleRow | undefined> {
    const [row] = await db.select().from(articles).where(eq(articles.id, id));
    return row;
  }

  async insert(values: typeof articles.$inferInsert, db: DbExecutor): Promise<ArticleRow> {
    const [row] = await db.insert(articles).values(values).returning();
    return row;
  }

  async update(id: string, values: Partial<typeof articles.$inferInsert>, db: DbExecutor): Promise<ArticleRow | undefined> {
    const [row] = await db.update(articles).set(values).where(eq(articles.id, id)).returning();
    return row;
  }

  async remove(id: string, db: DbExecutor): Promise<ArticleRow | undefined> {
    const [row] = await db.delete(articles).where(eq(articles.id, id)).returning();
    return row;
  }

  list(filter: { kind?: ArticleKind; category?: string; publishedOnly: boolean }): Promise<ArticleRow[]> {
    const where: SQL[] = [];
    if (filter.publishedOnly) where.push(eq(articles.status, 'published'));
    if (filter.kind) where.push(eq(articles.kind, filter.kind));
    if (filter.category) where.push(eq(articles.category, filter.category));
    const order = filter.publishedOnly ? [desc(articles.publishedAt), desc(articles.id)] : [desc(articles.updatedAt), desc(articles.id)];
    return this.db
      .select()
      .from(articles)
      .where(and(...where))
      .orderBy(...order)
      .limit(LIMIT);
  }

  /** Published campaign entries, newest first, with what the campaign shows of them. */
  publishedEntries(campaignId?: string) {
    const where = [eq(campaignSubmissions.status, 'published')];
    if (campaignId) where.push(eq(campaignSubmissions.campaignId, campaignId));
    return this.db
      .select({
        id: campaignSubmissions.id,
        campaignId: campaigns.id,
        campaignTitle: campaigns.title,
        campaignKind: campaigns.kind,
        familyName: campaignSubmissions.familyName,
        title: campaignSubmissions.title,
        body: campaignSubmissions.body,
        award: campaignSubmissions.award,
        likeCount: campaignSubmissions.likeCount,
        publishedAt: campaignSubmissions.publishedAt,
      })
      .from(campaignSubmissions)
      .innerJoin(campaigns, eq(campaigns.id, campaignSubmissions.campaignId))
      .where(and(...where))
      .orderBy(desc(campaignSubmissions.publishedAt), desc(campaignSubmissions.id))
      .limit(LIMIT);
  }
}
