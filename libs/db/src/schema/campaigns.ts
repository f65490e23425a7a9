import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { students } from './directory';
import { users } from './identity';

export const CAMPAIGN_KINDS = ['family_story', 'reading_family'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const CAMPAIGN_SCOPES = ['city', 'district', 'school'] as const;
export type CampaignScope = (typeof CAMPAIGN_SCOPES)[number];

export const SUBMISSION_STATUSES = ['submitted', 'approved', 'rejected', 'published'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** 一/二/三等奖 for stories; the 书香之家 title for reading families. */
export const AWARDS = ['first', 'second', 'third', 'reading_family'] as const;
export type Award = (typeof AWARDS)[number];

export interface ReadingLogEntry {
  title: string;
  author?: string;
  readOn?: string;
  note?: string;
}

/** 我说我的家风家训故事 / 书香之家: open to the households in scope between its windows. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: id(),
    kind: text('kind', { enum: CAMPAIGN_KINDS }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    description: varchar('description', { length: 2000 }),
    scopeType: text('scope_type', { enum: CAMPAIGN_SCOPES }).notNull(),
    /** the district or school; null for the city */
    scopeId: uuid('scope_id'),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('campaigns_title_uq').on(t.title),
    check('campaigns_window_ck', sql`${t.closesAt} > ${t.opensAt}`),
    check('campaigns_scope_ck', sql`(${t.scopeType} = 'city') = (${t.scopeId} is null)`),
  ],
);

/** A household's entry: one per campaign and student; never required of anyone. */
export const campaignSubmissions = pgTable(
  'campaign_submissions',
  {
    id: id(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    submittedBy: uuid('submitted_by')
      .notNull()
      .references(() => users.id),
    /** the family's name as shown publicly (e.g. 陈家); no child's name is published */
    familyName: varchar('family_name', { length: 40 }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    body: varchar('body', { length: 10000 }).notNull(),
    imageFileIds: jsonb('image_file_ids').$type<string[]>().notNull().default([]),
    readingLog: jsonb('reading_log').$type<ReadingLogEntry[]>().notNull().default([]),
    status: text('status', { enum: SUBMISSION_STATUSES }).notNull().default('submitted'),
    rejectReason: varchar('reject_reason', { length: 500 }),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    likeCount: integer('like_count').notNull().default(0),
    award: text('award', { enum: AWARDS }),
    certificateNo: varchar('certificate_no', { length: 40 }).unique(),
    awardedAt: timestamp('awarded_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('campaign_submissions_campaign_student_uq').on(t.campaignId, t.studentId),
    index('campaign_submissions_campaign_status_idx').on(t.campaignId, t.status),
  ],
);

/** One like per user and submission (the primary key makes a concurrent second like a no-op). */
export const campaignLikes = pgTable(
  'campaign_likes',
  {
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => campaignSubmissions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.submissionId, t.userId] })],
);

export const ARTICLE_KINDS = ['article', 'resource'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];
export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** The bureau's article and resource library (家庭教育文章与资源), public once published. */
export const articles = pgTable(
  'articles',
  {
    id: id(),
    kind: text('kind', { enum: ARTICLE_KINDS }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    category: varchar('category', { length: 40 }).notNull(),
    summary: varchar('summary', { length: 300 }),
    body: varchar('body', { length: 20000 }).notNull(),
    /** a resource's outside link (a video, a document on the bureau's site) */
    linkUrl: varchar('link_url', { length: 500 }),
    status: text('status', { enum: ARTICLE_STATUSES }).notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index('articles_status_published_idx').on(t.status, t.publishedAt)],
);
