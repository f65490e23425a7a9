import { Injectable, OnModuleInit } from '@nestjs/common';
import { areaScopeOf, DomainError, Principal } from '@jiaxiao/common';
import { PolicyService } from '@jiaxiao/auth';
import { AuditService } from '@jiaxiao/platform';
import { ArticleRow, ArticlesRepository } from './articles.repository';
import { ArticleDto, ArticleListDto, ArticleQueryDto, CreateArticleDto, PublicEntryListDto, UpdateArticleDto } from './dto/article.dto';

/**
 * The bureau's article and resource library: city staff write, publish, edit and remove; anyone
 * reads the published ones without logging in (公共服务平台). Also the public list of published
 * campaign entries, with only what a campaign publishes (the family name the household chose,
 * title, text, award, likes), never a child, a class or an account.
 */
@Injectable()
export class ArticleService implements OnModuleInit {
  constructor(
    private readonly repository: ArticlesRepository,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'article',
      notFound: 'ARTICLE_NOT_FOUND',
      check: async (principal, _action, id) => {
        if (!(await this.repository.article(id))) return 'not_found';
        return areaScopeOf(principal).city ? 'allowed' : 'forbidden';
      },
    });
  }

  async create(principal: Principal, dto: CreateArticleDto): Promise<ArticleDto> {
    assertCityStaff(principal);
    const status = dto.status ?? 'draft';
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insert(
        { ...dto, status, publishedAt: status === 'published' ? new Date() : null, createdBy: principal.userId },
        tx,
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'article.created',
          targetType: 'article',
          targetId: inserted.id,
          detail: { title: inserted.title, status },
        },
        tx,
      );
      return inserted;
    });
    return articleDto(row);
  }

  async update(principal: Principal, id: string, dto: UpdateArticleDto): Promise<ArticleDto> {
    const row = await this.repository.transaction(async (tx) => {
      const current = await this.repository.article(id, tx);
      if (!current) throw new DomainError('ARTICLE_NOT_FOUND');
      // Publishing stamps the date once; taking an article back to draft hides it again.
      const publishedAt =
        dto.status === 'published' ? (current.publishedAt ?? new Date()) : dto.status === 'draft' ? null : current.publishedAt;
      const updated = await this.repository.update(id, { ...dto, publishedAt, updatedAt: new Date() }, tx);
      if (!updated) throw new DomainError('ARTICLE_NOT_FOUND');
      await this.audit.record(
        { actorId: principal.userId, action: 'article.updated', targetType: 'article', targetId: id, detail: { ...dto, body: undefined } },
        tx,
      );
      return updated;
    });
    return articleDto(row);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const removed = await this.repository.remove(id, tx);
      if (!removed) throw new DomainError('ARTICLE_NOT_FOUND');
      await this.audit.record(
        { actorId: principal.userId, action: 'article.removed', targetType: 'article', targetId: id, detail: { title: removed.title } },
        tx,
      );
    });
  }

  async listForStaff(principal: Principal, query: ArticleQueryDto): Promise<ArticleListDto> {
    assertCityStaff(principal);
    return { items: (await this.repository.list({ ...query, publishedOnly: false })).map(articleDto), nextCursor: null };
  }

  async publicList(query: ArticleQueryDto): Promise<ArticleListDto> {
    return { items: (await this.repository.list({ ...query, publishedOnly: true })).map(articleDto), nextCursor: null };
  }

  /** One published article or resource, for a link to it: a draft, a removed or an unknown one is ARTICLE_NOT_FOUND. */
  async publicArticle(id: string): Promise<ArticleDto> {
    const row = UUID.test(id) ? await this.repository.article(id) : undefined;
    if (!row || row.status !== 'published') throw new DomainError('ARTICLE_NOT_FOUND');
    return articleDto(row);
  }

  async publicEntries(campaignId?: string): Promise<PublicEntryListDto> {
    const rows = await this.repository.publishedEntries(campaignId);
    return { items: rows.map((r) => ({ ...r, publishedAt: (r.publishedAt as Date).toISOString() })), nextCursor: null };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertCityStaff(principal: Principal): void {
  if (!areaScopeOf(principal).city) throw new DomainError('FORBIDDEN');
}

function articleDto(row: ArticleRow): ArticleDto {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    category: row.category,
    summary: row.summary,
    body: row.body,
    linkUrl: row.linkUrl,
    status: row.status,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
