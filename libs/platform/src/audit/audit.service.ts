import { Inject, Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { decodeTimeIdCursor, DEFAULT_PAGE_SIZE, DomainError, maskPhone, Principal, toPage } from '@jiaxiao/common';
import { auditLog, DB, Database, DbExecutor } from '@jiaxiao/db';
import { AuditPageDto, AuditQueryDto } from './audit.dto';
import { AuditRepository } from './audit.repository';

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
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly repository: AuditRepository,
  ) {}

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

  /** The trail, newest first: city staff only (it spans every school and district). */
  async list(principal: Principal, query: AuditQueryDto): Promise<AuditPageDto> {
    if (!principal.assignments.some((a) => a.role === 'city_admin')) throw new DomainError('FORBIDDEN');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeTimeIdCursor(query.cursor) ?? undefined;
    const rows = await this.repository.list({ before, limit, action: query.action, actorId: query.actorId });
    const page = toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
    return {
      items: page.items.map((r) => ({
        ...r,
        actorPhone: r.actorPhone ? maskPhone(r.actorPhone) : null,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
