import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { auditLog, DB, Database, users } from '@jiaxiao/db';

@Injectable()
export class AuditRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Newest first, keyset-paged by (createdAt, id), with the actor's name and phone. */
  list(options: { before?: [string, string]; limit: number; action?: string; actorId?: string }) {
    return this.db
      .select({
        id: auditLog.id,
        action: auditLog.action,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        detail: auditLog.detail,
        ip: auditLog.ip,
        createdAt: auditLog.createdAt,
        actorId: auditLog.actorId,
        actorName: users.name,
        actorPhone: users.phone,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(
        and(
          options.action ? eq(auditLog.action, options.action) : undefined,
          options.actorId ? eq(auditLog.actorId, options.actorId) : undefined,
          options.before
            ? or(
                lt(auditLog.createdAt, new Date(options.before[0])),
                and(eq(auditLog.createdAt, new Date(options.before[0])), lt(auditLog.id, options.before[1])),
              )
            : undefined,
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(options.limit + 1);
  }
}
