import { Injectable } from '@nestjs/common';
import { DomainError, Principal, PRIVACY_NOTICE } from '@jiaxiao/common';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { ConsentRepository } from './consent.repository';

interface PrivacyNoticeDto {
  version: string;
  title: string;
  body: string;
}

/** A guardian's consent to the privacy notice (PIPL art. 31), given and withdrawn, audited. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly consents: ConsentRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  notice(): PrivacyNoticeDto {
    return { ...PRIVACY_NOTICE };
  }

  /** Accepts the current version; accepting it again is a no-op. An older version is refused. */
  async accept(principal: Principal, version: string, ip: string | undefined): Promise<void> {
    if (version !== PRIVACY_NOTICE.version) throw new DomainError('CONSENT_VERSION_OUTDATED', { version: PRIVACY_NOTICE.version });
    if (await this.consents.accepted(principal.userId, version)) return;
    await this.consents.transaction(async (tx) => {
      await this.consents.accept(principal.userId, version, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'consent.accepted', targetType: 'user', targetId: principal.userId, ip, detail: { version } },
        tx,
      );
    });
  }

  /** Withdrawal: children's data is hidden from the account at once, and the schools are told (by the worker, from the `consent.withdrawn` event). */
  async withdraw(principal: Principal, ip: string | undefined): Promise<void> {
    const event = await this.consents.transaction(async (tx) => {
      const count = await this.consents.withdraw(principal.userId, tx);
      if (count === 0) return undefined;
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'consent.withdrawn',
          targetType: 'user',
          targetId: principal.userId,
          ip,
          detail: { version: PRIVACY_NOTICE.version },
        },
        tx,
      );
      return this.outbox.record(tx, 'consent.withdrawn', { userId: principal.userId, at: new Date().toISOString() });
    });
    if (event === undefined) throw new DomainError('CONSENT_NOT_GIVEN');
    await this.outbox.publish(event);
  }
}
