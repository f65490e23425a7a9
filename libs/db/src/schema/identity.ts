import { boolean, index, inet, jsonb, pgTable, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';

export const USER_STATUSES = ['active', 'invited', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const users = pgTable('users', {
  id: id(),
  /** Mainland mobile number, the login name. */
  phone: varchar('phone', { length: 11 }).notNull().unique(),
  name: varchar('name', { length: 40 }).notNull(),
  /** scrypt hash; null until the account is activated (imported guardians) */
  passwordHash: text('password_hash'),
  status: text('status', { enum: USER_STATUSES }).notNull().default('invited'),
  /** set for staff appointed with a one-time password: every route but the password change answers 403 until then */
  passwordChangeRequired: boolean('password_change_required').notNull().default(false),
  /** when an imported account was first signed in to (by SMS code) */
  activatedAt: timestamp('activated_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['teacher', 'coordinator', 'district_admin', 'city_admin', 'expert'] }).notNull(),
    scopeType: text('scope_type', { enum: ['city', 'district', 'school', 'class'] }).notNull(),
    /** district, school or class id; null for city scope */
    scopeId: uuid('scope_id'),
    /** e.g. 班主任 for a class's head teacher, 语文老师 for a subject teacher */
    title: varchar('title', { length: 20 }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique('role_assignments_uq').on(t.userId, t.role, t.scopeType, t.scopeId).nullsNotDistinct(),
    index('role_assignments_scope_idx').on(t.scopeType, t.scopeId),
  ],
);

export const SESSION_END_REASONS = ['logout', 'reuse_detected', 'disabled', 'password_changed', 'password_reset'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** A login: the family of refresh tokens descended from it. Revoking it ends every token of the family. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    userAgent: varchar('user_agent', { length: 200 }),
    ip: inet('ip'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason', { enum: SESSION_END_REASONS }),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

export const refreshTokens = pgTable('refresh_tokens', {
  id: id(),
  sessionId: uuid('session_id')
    .notNull()
    .references(() => authSessions.id),
  /** sha256 of the secret half; the token itself is never stored */
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    actorId: uuid('actor_id').references(() => users.id),
    /** `auth.login`, `role.assigned`, `roster.imported`, `roster.exported`, … */
    action: varchar('action', { length: 60 }).notNull(),
    targetType: varchar('target_type', { length: 40 }),
    targetId: uuid('target_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    ip: inet('ip'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt), index('audit_log_actor_idx').on(t.actorId, t.createdAt)],
);

/**
 * A guardian's acceptance of a version of the privacy notice (PIPL art. 31: children's data needs
 * a guardian's consent). Withdrawing sets withdrawnAt; accepting again adds a new row.
 */
export const consents = pgTable(
  'consents',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    version: varchar('version', { length: 20 }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [index('consents_user_idx').on(t.userId, t.version)],
);

export const IDENTITY_PROVIDERS = ['wechat_mp', 'wecom'] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number];

/**
 * An outside identity bound to an account: a 公众号 openid (with the unionid when the account
 * is linked to an open platform) or a WeCom parent userid. One per account and provider, and
 * an outside identity belongs to one account only.
 */
export const userIdentities = pgTable(
  'user_identities',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    provider: text('provider', { enum: IDENTITY_PROVIDERS }).notNull(),
    /** the 公众号 AppID or the WeCom CorpID the subject belongs to */
    appId: varchar('app_id', { length: 40 }).notNull(),
    /** openid, or the WeCom parent_userid */
    subject: varchar('subject', { length: 64 }).notNull(),
    unionid: varchar('unionid', { length: 64 }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('user_identities_subject_uq').on(t.provider, t.appId, t.subject),
    unique('user_identities_user_uq').on(t.userId, t.provider),
    index('user_identities_unionid_idx').on(t.unionid),
  ],
);
