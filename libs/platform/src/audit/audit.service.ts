import { Inject, Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { auditLog, DB, Database, DbExecutor } from '@jiaxiao/db';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
  ip?: string;
}

/**
 * The append-only audit trail: logins, role changes, imports, exports of personal data.
 * Pass the transaction of the change being audited so the entry commits with it.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(DB) private readonly db: Database) {}

  async record(entry: AuditEntry, db: DbExecutor = this.db): Promise<void> {
    await db.insert(auditLog).values({
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      detail: entry.detail ?? {},
      ip: entry.ip && isIP(entry.ip) ? entry.ip : null,
    });
  }
}
