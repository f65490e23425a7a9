import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, Principal } from '@jiaxiao/common';
import { WechatMpClient, WecomClient } from '@jiaxiao/channels';
import { IdentityProvider, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { AuditService } from '@jiaxiao/platform';
import { AuthService, ClientInfo } from '../auth.service';
import { TokenPairDto } from '../dto/login.dto';
import { AuthorizeUrlDto, IdentityDto, IdentityListDto } from './dto/identity.dto';
import { IdentityRepository, IdentityRow } from './identity.repository';

/** Where a user can be reached outside the app. */
export interface WechatTargets {
  openid?: string;
  wecomUserId?: string;
}

/**
 * WeChat identities: a 公众号 openid (or a WeCom parent userid) bound to an account once,
 * sign-in with a bound 公众号 identity, and the read port the delivery router uses.
 */
@Injectable()
export class WechatIdentityService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: IdentityRepository,
    private readonly mp: WechatMpClient,
    private readonly wecom: WecomClient,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  authorizeUrl(redirect: string, provider: IdentityProvider): AuthorizeUrlDto {
    const state = randomBytes(8).toString('hex');
    const url = provider === 'wecom' ? this.wecom.authorizeUrl(redirect, state) : this.mp.authorizeUrl(redirect, state);
    return { url, state };
  }

  /** Sign-in with a 公众号 code: the bound account's tokens, or WECHAT_NOT_BOUND so the H5 offers SMS sign-in then binding. */
  async signIn(code: string, client: ClientInfo): Promise<TokenPairDto> {
    const who = await this.mp.exchangeCode(code);
    const bound = await this.repository.bySubject('wechat_mp', this.config.WECHAT_APP_ID!, who.openid);
    if (!bound) throw new DomainError('WECHAT_NOT_BOUND');
    return this.auth.loginVerified(bound.userId, 'wechat', client);
  }

  async bind(principal: Principal, provider: IdentityProvider, code: string, client: ClientInfo): Promise<IdentityDto> {
    const identity =
      provider === 'wecom'
        ? { appId: this.requireWecom(), subject: await this.wecom.exchangeCode(code), unionid: undefined }
        : await this.mp.exchangeCode(code).then((w) => ({ appId: this.config.WECHAT_APP_ID!, subject: w.openid, unionid: w.unionid }));
    const existing = await this.repository.bySubject(provider, identity.appId, identity.subject);
    if (existing) {
      // Binding the same identity again is a retry, not a conflict.
      if (existing.userId === principal.userId) return toDto(existing);
      throw new DomainError('WECHAT_ALREADY_BOUND');
    }
    let row: IdentityRow;
    try {
      row = await this.repository.transaction(async (tx) => {
        const inserted = await this.repository.insert({ userId: principal.userId, provider, ...identity }, tx);
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'identity.bound',
            targetType: 'user',
            targetId: principal.userId,
            ip: client.ip,
            detail: { provider },
          },
          tx,
        );
        return inserted;
      });
    } catch (error) {
      if (pgErrorCode(error) !== UNIQUE_VIOLATION) throw error;
      throw new DomainError(pgConstraint(error) === 'user_identities_user_uq' ? 'IDENTITY_ALREADY_BOUND' : 'WECHAT_ALREADY_BOUND');
    }
    return toDto(row);
  }

  async unbind(principal: Principal, provider: IdentityProvider, client: ClientInfo): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const removed = await this.repository.remove(principal.userId, provider, tx);
      if (!removed) throw new DomainError('IDENTITY_NOT_FOUND');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'identity.unbound',
          targetType: 'user',
          targetId: principal.userId,
          ip: client.ip,
          detail: { provider },
        },
        tx,
      );
    });
  }

  async list(principal: Principal): Promise<IdentityListDto> {
    return { items: (await this.repository.ofUser(principal.userId)).map(toDto) };
  }

  /** The router's read port: each user's 公众号 openid (of the configured account) and WeCom userid. */
  async targets(userIds: string[]): Promise<Map<string, WechatTargets>> {
    const targets = new Map<string, WechatTargets>();
    for (const row of await this.repository.ofUsers(userIds)) {
      const entry = targets.get(row.userId) ?? {};
      if (row.provider === 'wechat_mp' && row.appId === this.config.WECHAT_APP_ID) entry.openid = row.subject;
      if (row.provider === 'wecom' && row.appId === this.config.WECOM_CORP_ID) entry.wecomUserId = row.subject;
      targets.set(row.userId, entry);
    }
    return targets;
  }

  private requireWecom(): string {
    if (!this.wecom.enabled) throw new DomainError('WECHAT_NOT_CONFIGURED');
    return this.config.WECOM_CORP_ID!;
  }
}

function toDto(row: IdentityRow): IdentityDto {
  return { provider: row.provider, subject: mask(row.subject), unionid: row.unionid !== null, createdAt: row.createdAt.toISOString() };
}

/** Enough to recognise, not enough to reuse elsewhere. */
function mask(subject: string): string {
  return subject.length <= 8 ? `${subject.slice(0, 2)}****` : `${subject.slice(0, 4)}****${subject.slice(-4)}`;
}
