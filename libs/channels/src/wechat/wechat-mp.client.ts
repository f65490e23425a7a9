import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';
import { AccessTokenCache } from './access-token.cache';
import { callWechat, WechatReply, WechatTransportError } from './wechat-http';
import { describe, REFUSED_ERRCODES, TOKEN_ERRCODES, TRANSIENT_ERRCODES, WechatOauthIdentity, WechatSendResult } from './wechat-message';

export interface TemplateMessage {
  openid: string;
  templateId: string;
  /** template fields (keyword1, thing2, time3, …) → value */
  fields: Record<string, string>;
  /** the H5 page the message opens */
  url?: string;
}

/**
 * The 公众号 (official account) HTTP API: web authorization (snsapi_base) and template or
 * subscribe messages. The access_token is shared by every node through Redis.
 */
@Injectable()
export class WechatMpClient {
  private readonly tokens: AccessTokenCache;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.tokens = new AccessTokenCache(redis, `wechat:mp-token:${config.WECHAT_APP_ID ?? 'none'}`, () => this.fetchToken());
  }

  get enabled(): boolean {
    return this.config.wechatEnabled;
  }

  /** Where the H5 sends the browser inside WeChat; WeChat comes back to `redirect` with ?code=&state=. */
  authorizeUrl(redirect: string, state: string): string {
    this.assertEnabled();
    const query = new URLSearchParams({
      appid: this.config.WECHAT_APP_ID!,
      redirect_uri: redirect,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
    });
    return `${this.config.WECHAT_OAUTH_BASE}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
  }

  /** Trades a web-authorization code for the user's openid (and unionid when the account is linked to an open platform). */
  async exchangeCode(code: string): Promise<WechatOauthIdentity> {
    this.assertEnabled();
    const query = new URLSearchParams({
      appid: this.config.WECHAT_APP_ID!,
      secret: this.config.WECHAT_APP_SECRET!,
      code,
      grant_type: 'authorization_code',
    });
    let reply: WechatReply;
    try {
      reply = await callWechat(
        `${this.config.WECHAT_API_BASE}/sns/oauth2/access_token?${query.toString()}`,
        { method: 'GET' },
        this.http(),
      );
    } catch (error) {
      throw new DomainError('WECHAT_UNAVAILABLE', { detail: (error as Error).message });
    }
    // 40029 invalid code, 40163 code been used: the H5 must authorize again.
    if (reply.errcode || typeof reply.openid !== 'string') throw new DomainError('WECHAT_CODE_INVALID');
    return { openid: reply.openid, unionid: typeof reply.unionid === 'string' ? reply.unionid : undefined };
  }

  /** Sends a template (or subscribe) message; a stale token is refreshed and the send tried once more. */
  async send(message: TemplateMessage): Promise<WechatSendResult> {
    if (!this.enabled) return { status: 'failed', error: 'WeChat is not configured', retryable: false };
    const subscribe = this.config.WECHAT_MESSAGE_API === 'subscribe';
    const path = subscribe ? '/cgi-bin/message/subscribe/bizsend' : '/cgi-bin/message/template/send';
    const data = Object.fromEntries(Object.entries(message.fields).map(([k, v]) => [k, { value: v }]));
    const body = subscribe
      ? { touser: message.openid, template_id: message.templateId, page: message.url, data }
      : { touser: message.openid, template_id: message.templateId, url: message.url, data };
    try {
      for (let attempt = 0; ; attempt++) {
        const token = await this.tokens.get();
        const reply = await callWechat(
          `${this.config.WECHAT_API_BASE}${path}?access_token=${encodeURIComponent(token)}`,
          { method: 'POST', body },
          this.http(),
        );
        const code = reply.errcode ?? 0;
        if (code === 0) return { status: 'sent', messageId: reply.msgid === undefined ? undefined : String(reply.msgid) };
        if (TOKEN_ERRCODES.has(code) && attempt === 0) {
          await this.tokens.invalidate(token);
          continue;
        }
        if (REFUSED_ERRCODES.has(code)) return { status: 'refused', error: describe(reply) };
        return { status: 'failed', error: describe(reply), retryable: TRANSIENT_ERRCODES.has(code) || TOKEN_ERRCODES.has(code) };
      }
    } catch (error) {
      // Network errors and timeouts, already retried with backoff by callWechat.
      return { status: 'failed', error: (error as Error).message.slice(0, 200), retryable: true };
    }
  }

  /** The current access_token (fetched once for all nodes when missing or near expiry). */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  /** WeChat said this access_token is stale (another API answered 40001/42001): the next call fetches a new one. */
  invalidateAccessToken(token: string): Promise<void> {
    return this.tokens.invalidate(token);
  }

  private async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appid: this.config.WECHAT_APP_ID!,
      secret: this.config.WECHAT_APP_SECRET!,
    });
    const reply = await callWechat(`${this.config.WECHAT_API_BASE}/cgi-bin/token?${query.toString()}`, { method: 'GET' }, this.http());
    if (reply.errcode || typeof reply.access_token !== 'string') throw new WechatTransportError(`token: ${describe(reply)}`);
    return { token: reply.access_token, expiresIn: Number(reply.expires_in ?? 7200) };
  }

  private assertEnabled(): void {
    if (!this.enabled) throw new DomainError('WECHAT_NOT_CONFIGURED');
  }

  private http() {
    return { timeoutMs: this.config.WECHAT_TIMEOUT_MS };
  }
}
