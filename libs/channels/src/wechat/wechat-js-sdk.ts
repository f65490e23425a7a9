import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';
import { AccessTokenCache } from './access-token.cache';
import { callWechat, WechatTransportError } from './wechat-http';
import { describe, TOKEN_ERRCODES } from './wechat-message';
import { WechatMpClient } from './wechat-mp.client';

/** What `wx.config` needs for one page (besides the list of APIs the page uses). */
export interface JsSdkConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/**
 * The JS-SDK signature as WeChat documents it: sha1 of
 * `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (keys in this order, the URL without its #fragment).
 */
export function jsSdkSignature(ticket: string, nonceStr: string, timestamp: number, url: string): string {
  return createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex');
}

/**
 * The 公众号 JS-SDK: pages inside WeChat call `wx.config` with a signature made from the
 * jsapi_ticket. The ticket (7200 s, a limited number of fetches a day) is fetched with the shared
 * access_token and kept in Redis for every node, like the access_token itself.
 */
@Injectable()
export class WechatJsSdk {
  private readonly tickets: AccessTokenCache;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
    private readonly mp: WechatMpClient,
  ) {
    this.tickets = new AccessTokenCache(redis, `wechat:mp-jsapi-ticket:${config.WECHAT_APP_ID ?? 'none'}`, () => this.fetchTicket());
  }

  /** A signed configuration for the page at `url` (its #fragment is not part of what is signed). */
  async configFor(url: string): Promise<JsSdkConfig> {
    if (!this.mp.enabled) throw new DomainError('WECHAT_NOT_CONFIGURED');
    let ticket: string;
    try {
      ticket = await this.tickets.get();
    } catch (error) {
      throw new DomainError('WECHAT_UNAVAILABLE', { detail: (error as Error).message });
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const nonceStr = randomBytes(8).toString('hex');
    return {
      appId: this.config.WECHAT_APP_ID!,
      timestamp,
      nonceStr,
      signature: jsSdkSignature(ticket, nonceStr, timestamp, url.split('#')[0]),
    };
  }

  private async fetchTicket(): Promise<{ token: string; expiresIn: number }> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.mp.accessToken();
      const reply = await callWechat(
        `${this.config.WECHAT_API_BASE}/cgi-bin/ticket/getticket?access_token=${encodeURIComponent(token)}&type=jsapi`,
        { method: 'GET' },
        { timeoutMs: this.config.WECHAT_TIMEOUT_MS },
      );
      const code = reply.errcode ?? 0;
      if (code === 0 && typeof reply.ticket === 'string') return { token: reply.ticket, expiresIn: Number(reply.expires_in ?? 7200) };
      if (TOKEN_ERRCODES.has(code) && attempt === 0) {
        await this.mp.invalidateAccessToken(token);
        continue;
      }
      throw new WechatTransportError(`ticket: ${describe(reply)}`);
    }
  }
}
