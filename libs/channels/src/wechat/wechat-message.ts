/** What a WeChat or WeCom push came to. `refused`: the user declined messages; do not retry, use SMS. */
export type WechatSendResult =
  { status: 'sent'; messageId?: string } | { status: 'refused'; error: string } | { status: 'failed'; error: string; retryable: boolean };

/** The identity WeChat knows a user by. */
export interface WechatOauthIdentity {
  openid: string;
  unionid?: string;
}

/** errcodes meaning the access_token is stale: refresh it and try once more */
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/**
 * errcodes meaning the user will not take the message: 43101 refused the subscription,
 * 43004 no longer follows the account, 43019 blocked it.
 */
export const REFUSED_ERRCODES = new Set([43004, 43019, 43101]);
/** errcodes worth trying again later (rate limits) */
export const TRANSIENT_ERRCODES = new Set([45009, 45047, 45011]);

export function describe(reply: { errcode?: number; errmsg?: string }): string {
  return `${reply.errcode ?? '?'} ${reply.errmsg ?? ''}`.trim().slice(0, 200);
}
