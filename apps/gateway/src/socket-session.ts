import type { Socket } from 'socket.io';
import { AppConfig, DomainError, Language, Principal } from '@jiaxiao/common';
import { AuthService } from '@jiaxiao/auth';

export interface SocketSessionData {
  principal: Principal;
  language: Language;
  /** when the access token the socket was opened (or last re-authenticated) with expires */
  expiresAt: number;
  /** when the session was last confirmed against the database */
  checkedAt: number;
}

/**
 * Keeps a socket's session honest: the session is re-read on events (at most every
 * SOCKET_SESSION_RECHECK_SECONDS), and the socket ends when its access token expires unless the
 * client sent a fresh one with `auth:refresh`. Revocations reach sockets at once by the
 * `disconnect` realtime command; this catches what that cannot (an account disabled in the database).
 */
export class SocketSessions {
  /** Expiry timers, beside the socket: `socket.data` holds plain values only. */
  private readonly timers = new WeakMap<Socket, NodeJS.Timeout>();

  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Arms the expiry of a newly connected socket. */
  start(socket: Socket, data: SocketSessionData): void {
    this.arm(socket, data);
    socket.once('disconnect', () => clearTimeout(this.timers.get(socket)));
  }

  /** The socket's current principal, re-read when the last check is stale; ends the socket when the session has. */
  async current(socket: Socket, data: SocketSessionData): Promise<Principal> {
    if (Date.now() - data.checkedAt >= this.config.SOCKET_SESSION_RECHECK_SECONDS * 1000) {
      const principal = await this.auth.recheck(data.principal);
      if (!principal) {
        this.end(socket, 'revoked');
        throw new DomainError('TOKEN_INVALID');
      }
      data.principal = principal;
      data.checkedAt = Date.now();
    }
    if (data.principal.passwordChangeRequired) throw new DomainError('PASSWORD_CHANGE_REQUIRED');
    if (data.principal.consentRequired) throw new DomainError('CONSENT_REQUIRED');
    return data.principal;
  }

  /** `auth:refresh {token}`: a new access token of the same session extends the socket's life. */
  async refresh(socket: Socket, data: SocketSessionData, token: string): Promise<{ expiresAt: string }> {
    const [principal, expiresAt] = await Promise.all([this.auth.authenticate(token), this.auth.expiryOf(token)]);
    if (!principal || !expiresAt || principal.sessionId !== data.principal.sessionId) throw new DomainError('TOKEN_INVALID');
    Object.assign(data, { principal, expiresAt, checkedAt: Date.now() });
    this.arm(socket, data);
    return { expiresAt: new Date(expiresAt).toISOString() };
  }

  end(socket: Socket, reason: 'expired' | 'revoked'): void {
    socket.emit('session:ended', { reason });
    // A server-side disconnect: the client does not reconnect on its own, and it gets the event above first.
    socket.disconnect();
  }

  private arm(socket: Socket, data: SocketSessionData): void {
    clearTimeout(this.timers.get(socket));
    // setTimeout holds at most ~24.8 days; access tokens live minutes.
    const timer = setTimeout(() => this.end(socket, 'expired'), Math.max(0, data.expiresAt - Date.now()));
    timer.unref();
    this.timers.set(socket, timer);
  }
}
