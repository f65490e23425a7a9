import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ADMIN_ROLES, AppConfig, DomainError, PasswordService, Principal } from '@jiaxiao/common';
import { DbExecutor } from '@jiaxiao/db';
import { AuditService, hs256Verifier, VerifiedTokens } from '@jiaxiao/platform';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { TokenPairDto } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle.service';

import { PrincipalService } from './principal.service';
import { SessionEvents } from './session-events';
import { SessionRepository } from './session.repository';

/** Callers whose forwarded address is not an IP share one per-IP login bucket. */

export interface ClientInfo {
  /** undefined when the forwarded address is not an IP */
  ip?: string;
  userAgent?: string;
}

/** What signing in needs of a user row. */
export interface SessionUser {
  id: string;
  name: string;
  status: string;
  passwordChangeRequired: boolean;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  /** seconds since the epoch, set when the token is signed */
  exp?: number;
}

@Injectable()
export class AuthService {
  private readonly verified: VerifiedTokens<AccessClaims>;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly sessions: SessionRepository,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottleService,
    private readonly principals: PrincipalService,
    private readonly audit: AuditService,
    private readonly events: SessionEvents,
  ) {
    this.verified = new VerifiedTokens(hs256Verifier<AccessClaims>(config.JWT_SECRET));
  }

  async login(phone: string, password: string, client: ClientInfo): Promise<TokenPairDto> {
    // Reserved before the hash: parallel guesses cannot all slip under the limit.
    await this.throttle.reserve(phone, client.ip);
    const user = await this.sessions.userByPhone(phone);
    if (user?.status === 'invited' && !user.passwordHash) throw new DomainError('ACCOUNT_NOT_ACTIVATED');
    const valid = await this.passwords.verify(password, user?.passwordHash ?? null);
    if (!user || !valid) {
      await this.audit.record({
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        ip: client.ip,
        detail: { api: this.options.audience },
      });
      throw new DomainError('INVALID_CREDENTIALS');
    }
    await this.throttle.succeeded(phone, client.ip);
    // A hash made with older scrypt parameters is replaced while the password is at hand.
    if (user.passwordHash && this.passwords.needsRehash(user.passwordHash)) {
      await this.sessions.replacePasswordHash(user.id, user.passwordHash, await this.passwords.hash(password));
    }
    return this.openSession(user, client, 'password');
  }

  /**
   * Signs a verified user in: a new session and its first token pair, audited. `before` runs in the
   * same transaction (an imported account's activation on its first SMS sign-in).
   */
  async openSession(
    user: SessionUser,
    client: ClientInfo,
    method: 'password' | 'sms' | 'wechat',
    before?: (tx: DbExecutor) => Promise<void>,
  ): Promise<TokenPairDto> {
    if (user.status === 'disabled') throw new DomainError('ACCOUNT_DISABLED');
    const principal = await this.principals.forUser(user.id, user.name);
    this.assertAudience(principal);
    principal.passwordChangeRequired = user.passwordChangeRequired;
    return this.sessions.transaction(async (tx) => {
      await before?.(tx);
      const sessionId = await this.sessions.createSession(
        { userId: user.id, userAgent: client.userAgent?.slice(0, 200), ip: client.ip },
        tx,
      );
      const pair = await this.issue(principal, sessionId, tx);
      await this.audit.record(
        { actorId: user.id, action: 'auth.login', ip: client.ip, detail: { api: this.options.audience, sessionId, method } },
        tx,
      );
      return pair;
    });
  }

  /**
   * Rotates a refresh token. A token that was already used means it leaked (or a client
   * retried a stale one): the whole session is revoked, so every token of the family dies.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairDto> {
    const [tokenId, secret] = refreshToken.split('.');
    // The id goes into a uuid column: anything PostgreSQL would not parse as one must stop here, not as a 500.
    if (!tokenId || !secret || !TOKEN_ID.test(tokenId)) throw new DomainError('TOKEN_INVALID');

    // The caller is resolved before the transaction: a transaction must only use its own
    // connection (embedded PGlite has just one, so a query beside it would wait forever).
    const owner = await this.sessions.tokenOwner(tokenId);
    const principal = owner ? await this.principals.resolve(owner.userId, owner.sessionId) : undefined;
    if (principal) this.assertAudience(principal);

    const outcome = await this.sessions.transaction(async (tx) => {
      const row = await this.sessions.lockRefreshToken(tokenId, tx);
      if (!row || !sameHash(row.tokenHash, hashOf(secret))) return { kind: 'invalid' as const };
      if (row.sessionRevokedAt || row.expiresAt.getTime() <= Date.now() || row.userStatus !== 'active') {
        return { kind: 'invalid' as const };
      }
      if (row.usedAt) {
        await this.sessions.revokeSession(row.sessionId, 'reuse_detected', tx);
        await this.audit.record(
          { actorId: row.userId, action: 'auth.refresh_reuse_detected', targetType: 'session', targetId: row.sessionId, ip: client.ip },
          tx,
        );
        return { kind: 'reused' as const, sessionId: row.sessionId };
      }
      if (!principal) return { kind: 'invalid' as const };
      await this.sessions.markUsed(row.id, tx);
      return { kind: 'ok' as const, pair: await this.issue(principal, row.sessionId, tx) };
    });

    if (outcome.kind === 'reused') {
      await this.events.ended([outcome.sessionId]);
      throw new DomainError('REFRESH_TOKEN_REUSED');
    }
    if (outcome.kind === 'invalid') throw new DomainError('TOKEN_INVALID');
    return outcome.pair;
  }

  async logout(principal: Principal, client: ClientInfo): Promise<void> {
    await this.sessions.transaction(async (tx) => {
      await this.sessions.revokeSession(principal.sessionId, 'logout', tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'auth.logout', targetType: 'session', targetId: principal.sessionId, ip: client.ip },
        tx,
      );
    });
    await this.events.ended([principal.sessionId]);
  }

  /** Signs in an account another factor has already proven (a bound WeChat identity). */
  async loginVerified(userId: string, method: 'wechat', client: ClientInfo): Promise<TokenPairDto> {
    const user = await this.sessions.userById(userId);
    if (!user) throw new DomainError('ACCOUNT_DISABLED');
    return this.openSession(user, client, method);
  }

  /** Verifies an access token and loads its caller; undefined when the token or its session is no good. */
  async authenticate(accessToken: string): Promise<Principal | undefined> {
    const claims = this.verified.claims(accessToken);
    if (!claims) return undefined;
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return undefined;
    return this.principals.resolve(claims.sub, claims.sid);
  }

  /** When an access token expires (ms since the epoch); undefined when it is not a token of ours. */
  async expiryOf(accessToken: string): Promise<number | undefined> {
    const exp = this.verified.claims(accessToken)?.exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  }

  /** The caller as the database has it now; undefined once the session or the account has ended. */
  recheck(principal: Principal): Promise<Principal | undefined> {
    return this.principals.resolve(principal.userId, principal.sessionId);
  }

  assertAudience(principal: Principal): void {
    if (this.options.audience === 'admin' && !principal.roles.some((r) => ADMIN_ROLES.includes(r))) {
      throw new DomainError('ADMIN_ROLE_REQUIRED');
    }
  }

  private async issue(principal: Principal, sessionId: string, tx: DbExecutor): Promise<TokenPairDto> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const tokenId = await this.sessions.insertRefreshToken({ sessionId, tokenHash: hashOf(secret), expiresAt }, tx);
    const claims: AccessClaims = { sub: principal.userId, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL, algorithm: 'HS256' });
    return {
      accessToken,
      refreshToken: `${tokenId}.${secret}`,
      expiresIn: this.config.ACCESS_TOKEN_TTL,
      user: {
        id: principal.userId,
        name: principal.name,
        roles: principal.roles,
        passwordChangeRequired: principal.passwordChangeRequired ?? false,
      },
    };
  }
}

const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
