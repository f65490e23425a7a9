import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, DomainError, enqueue, maskPhone, PasswordService, Principal, QUEUES } from '@jiaxiao/common';
import { AuditService } from '@jiaxiao/platform';
import { AuthService, ClientInfo } from './auth.service';
import { SmsCodeRequestedDto, TokenPairDto } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle.service';
import { SessionEvents } from './session-events';
import { SessionRepository } from './session.repository';
import { SmsCodePurpose, SmsCodeService } from './sms-code.service';

/**
 * The account's own lifecycle: codes by SMS, the first sign-in of an imported guardian
 * (activation), password reset by code and password change. A reset or change ends the
 * account's other sessions, on every API and every gateway node.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly sessions: SessionRepository,
    private readonly codes: SmsCodeService,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottleService,
    private readonly events: SessionEvents,
    private readonly audit: AuditService,
    @InjectQueue(QUEUES.delivery) private readonly delivery: Queue,
  ) {}

  /**
   * The same answer whether or not the phone has an account (no enumeration); the limits are
   * reserved first, for every phone alike, and a code is only really sent to an account.
   */
  async requestCode(phone: string, purpose: SmsCodePurpose, client: ClientInfo): Promise<SmsCodeRequestedDto> {
    await this.codes.reserveSend(phone, purpose, client.ip);
    const user = await this.sessions.userByPhone(phone);
    if (user && user.status !== 'disabled') {
      const code = await this.codes.issue(phone, purpose);
      const minutes = String(Math.round(this.config.SMS_CODE_TTL_SECONDS / 60));
      await enqueue(this.delivery, 'sms.send', {
        phone,
        template: purpose === 'login' ? 'login_code' : 'reset_code',
        params: { code, minutes },
      });
    }
    return { sentTo: maskPhone(phone), retryAfter: this.config.SMS_CODE_RESEND_SECONDS };
  }

  /** Sign-in by code; the first one of an imported guardian activates the account. */
  async loginWithCode(phone: string, code: string, client: ClientInfo): Promise<TokenPairDto> {
    const user = await this.verified(phone, 'login', code);
    // Proving the phone is the way past a password lockout.
    await this.throttle.clear(phone);
    return this.auth.openSession(user, client, 'sms', async (tx) => {
      if (await this.sessions.activate(user.id, tx)) {
        await this.audit.record(
          {
            actorId: user.id,
            action: 'account.activated',
            targetType: 'user',
            targetId: user.id,
            ip: client.ip,
            detail: { method: 'sms' },
          },
          tx,
        );
      }
    });
  }

  async resetPassword(phone: string, code: string, newPassword: string, client: ClientInfo): Promise<void> {
    const user = await this.verified(phone, 'reset', code);
    if (user.status === 'disabled') throw new DomainError('ACCOUNT_DISABLED');
    const hash = await this.passwords.hash(newPassword);
    const ended = await this.sessions.transaction(async (tx) => {
      await this.sessions.setPassword(user.id, hash, tx);
      const ids = await this.sessions.revokeSessionsOf(user.id, 'password_reset', undefined, tx);
      await this.audit.record(
        {
          actorId: user.id,
          action: 'account.password_reset',
          targetType: 'user',
          targetId: user.id,
          ip: client.ip,
          detail: { sessionsEnded: ids.length },
        },
        tx,
      );
      return ids;
    });
    await this.throttle.clear(phone);
    await this.events.ended(ended);
  }

  /** Change by the signed-in user (also how a one-time password is replaced); other sessions end. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, client: ClientInfo): Promise<void> {
    const user = await this.sessions.userById(principal.userId);
    if (!user) throw new DomainError('USER_NOT_FOUND');
    // The current password is a secret like any other: guesses count against the same limit as logins.
    await this.throttle.reserve(user.phone, client.ip);
    if (!(await this.passwords.verify(currentPassword, user.passwordHash))) throw new DomainError('CURRENT_PASSWORD_INCORRECT');
    await this.throttle.succeeded(user.phone, client.ip);
    if (currentPassword === newPassword) throw new DomainError('PASSWORD_UNCHANGED');
    const hash = await this.passwords.hash(newPassword);
    const ended = await this.sessions.transaction(async (tx) => {
      await this.sessions.setPassword(user.id, hash, tx);
      const ids = await this.sessions.revokeSessionsOf(user.id, 'password_changed', principal.sessionId, tx);
      await this.audit.record(
        {
          actorId: user.id,
          action: 'account.password_changed',
          targetType: 'user',
          targetId: user.id,
          ip: client.ip,
          detail: { sessionsEnded: ids.length },
        },
        tx,
      );
      return ids;
    });
    await this.events.ended(ended);
  }

  private async verified(phone: string, purpose: SmsCodePurpose, code: string) {
    const ok = await this.codes.consume(phone, purpose, code);
    const user = ok ? await this.sessions.userByPhone(phone) : undefined;
    if (!user) throw new DomainError('SMS_CODE_INVALID');
    return user;
  }
}
