/**
 * JSON over HTTP for the WeChat and WeCom APIs: a timeout per request, and a few retries with
 * exponential backoff when the failure is transient (network, timeout, 5xx, "system busy").
 * Both vendors answer errors with HTTP 200 and `{errcode, errmsg}`; errcode 0 or absent is success.
 */
export interface WechatReply {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

interface HttpOptions {
  timeoutMs: number;
  /** attempts in all, the first included */
  attempts?: number;
  /** first backoff, doubled each retry */
  backoffMs?: number;
}

/** errcode -1: 系统繁忙, worth another try */
const BUSY = -1;

export class WechatTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatTransportError';
  }
}

export async function callWechat(
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  options: HttpOptions,
): Promise<WechatReply> {
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 200;
  let lastError = 'no attempt made';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoff * 2 ** (attempt - 2));
    try {
      const response = await fetch(url, {
        method: init.method,
        headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.status >= 500) {
        lastError = `HTTP ${response.status}`;
        continue;
      }
      if (!response.ok) throw new WechatTransportError(`HTTP ${response.status}`);
      const reply = (await response.json()) as WechatReply;
      if (reply.errcode === BUSY) {
        lastError = `errcode -1 ${reply.errmsg ?? ''}`.trim();
        continue;
      }
      return reply;
    } catch (error) {
      if (error instanceof WechatTransportError) throw error;
      // fetch rejects on network errors and on the timeout's abort: both are transient.
      lastError = (error as Error).name === 'TimeoutError' ? `timeout after ${options.timeoutMs} ms` : (error as Error).message;
    }
  }
  throw new WechatTransportError(lastError);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
