import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';
import { AccessTokenCache } from './access-token.cache';
import { callWechat, WechatReply, WechatTransportError } from './wechat-http';
import { describe, TOKEN_ERRCODES, TRANSIENT_ERRCODES, WechatSendResult } from './wechat-message';

/**
 * WeCom (企业微信) 家校沟通: for schools that reach families through their WeCom school
 * directory instead of the 公众号. Parents are known by their parent_userid.
 */
@Injectable()
export class WecomClient {
  private readonly tokens: AccessTokenCache;
  private readonly schools: Set<string>;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.tokens = new AccessTokenCache(redis, `wecom:token:${config.WECOM_CORP_ID ?? 'none'}`, () => this.fetchToken());
    this.schools = new Set((config.WECOM_SCHOOL_IDS ?? '').split(',').filter(Boolean));
  }

  get enabled(): boolean {
    return this.config.wecomEnabled;
  }

  /** Whether this school's families are reached through WeCom. */
  servesSchool(schoolId: string | undefined): boolean {
    return this.enabled && schoolId !== undefined && this.schools.has(schoolId);
  }

  authorizeUrl(redirect: string, state: string): string {
    if (!this.enabled) throw new DomainError('WECHAT_NOT_CONFIGURED');
    const query = new URLSearchParams({
      appid: this.config.WECOM_CORP_ID!,
      redirect_uri: redirect,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
    });
    return `${this.config.WECHAT_OAUTH_BASE}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
  }

  /** The parent's userid in the school directory, from a web-authorization code. */
  async exchangeCode(code: string): Promise<string> {
    if (!this.enabled) throw new DomainError('WECHAT_NOT_CONFIGURED');
    let reply: WechatReply;
    try {
      reply = await this.withToken(
        (token) =>
          `${this.config.WECOM_API_BASE}/cgi-bin/school/getuserinfo?access_token=${encodeURIComponent(token)}&code=${encodeURIComponent(code)}`,
        undefined,
      );
    } catch (error) {
      throw new DomainError('WECHAT_UNAVAILABLE', { detail: (error as Error).message });
    }
    const userId = reply.parent_userid ?? reply.UserId;
    if (reply.errcode || typeof userId !== 'string') throw new DomainError('WECHAT_CODE_INVALID');
    return userId;
  }

  /** A 家校消息 (text) to one parent. */
  async send(parentUserId: string, content: string): Promise<WechatSendResult> {
    if (!this.enabled) return { status: 'failed', error: 'WeCom is not configured', retryable: false };
    const body = { to_parent_userid: [parentUserId], agentid: this.config.WECOM_AGENT_ID, msgtype: 'text', text: { content } };
    try {
      const reply = await this.withToken(
        (token) => `${this.config.WECOM_API_BASE}/cgi-bin/externalcontact/message/send?access_token=${encodeURIComponent(token)}`,
        body,
      );
      const code = reply.errcode ?? 0;
      const invalid = Array.isArray(reply.invalid_parent_userid) ? reply.invalid_parent_userid : [];
      // A parent who left the school directory or unsubscribed comes back as invalid: SMS instead.
      if (code === 0 && invalid.length > 0) return { status: 'refused', error: 'invalid_parent_userid' };
      if (code === 0) return { status: 'sent' };
      return { status: 'failed', error: describe(reply), retryable: TRANSIENT_ERRCODES.has(code) };
    } catch (error) {
      return { status: 'failed', error: (error as Error).message.slice(0, 200), retryable: true };
    }
  }

  /** One call, refreshing a stale token and trying once more. */
  private async withToken(url: (token: string) => string, body: unknown): Promise<WechatReply> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      const reply = await callWechat(url(token), body === undefined ? { method: 'GET' } : { method: 'POST', body }, {
        timeoutMs: this.config.WECHAT_TIMEOUT_MS,
      });
      if (attempt === 0 && TOKEN_ERRCODES.has(reply.errcode ?? 0)) {
        await this.tokens.invalidate(token);
        continue;
      }
      return reply;
    }
  }

  private async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const query = new URLSearchParams({ corpid: this.config.WECOM_CORP_ID!, corpsecret: this.config.WECOM_SECRET! });
    const reply = await callWechat(
      `${this.config.WECOM_API_BASE}/cgi-bin/gettoken?${query.toString()}`,
      { method: 'GET' },
      { timeoutMs: this.config.WECHAT_TIMEOUT_MS },
    );
    if (reply.errcode || typeof reply.access_token !== 'string') throw new WechatTransportError(`token: ${describe(reply)}`);
    return { token: reply.access_token, expiresIn: Number(reply.expires_in ?? 7200) };
  }
}
