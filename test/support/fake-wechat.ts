import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  api: 'template' | 'subscribe' | 'wecom';
  token: string;
  body: Record<string, unknown>;
}

/**
 * A stand-in for api.weixin.qq.com, open.weixin.qq.com and qyapi.weixin.qq.com speaking the
 * documented shapes: GET /cgi-bin/token, GET /cgi-bin/ticket/getticket (the JS-SDK's jsapi_ticket),
 * GET /connect/oauth2/authorize (web authorization: redirects back with ?code=&state= for
 * `browserOpenid`), GET /sns/oauth2/access_token, POST /cgi-bin/message/template/send and
 * /cgi-bin/message/subscribe/bizsend, and WeCom's /cgi-bin/gettoken, /cgi-bin/school/getuserinfo,
 * /cgi-bin/externalcontact/message/send. Errors are HTTP 200 with {errcode, errmsg}, as WeChat does.
 */
export class FakeWechat {
  readonly appId = 'wxfake0123456789';
  readonly appSecret = 'fake-app-secret-0123';
  readonly corpId = 'wwfakecorp01';
  readonly corpSecret = 'fake-corp-secret-0123';
  /** token requests received, per API */
  tokenRequests = { mp: 0, wecom: 0 };
  /** jsapi_tickets issued, the newest last */
  readonly tickets: string[] = [];
  /** the WeChat user of the phone that opens the authorize page */
  browserOpenid = 'openid-browser';
  readonly sent: SentMessage[] = [];
  /** openids that refused messages (43101) */
  readonly refusing = new Set<string>();
  /** answer the next n sends with HTTP 502 */
  failNextSends = 0;
  /** seconds of life of the tokens issued from now on */
  tokenLifetime = 7200;
  private readonly tokens = new Map<string, number>();
  private readonly codes = new Map<string, { openid: string; unionid?: string }>();
  private readonly wecomCodes = new Map<string, string>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The configuration pointing the apps at this server. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      WECHAT_APP_ID: this.appId,
      WECHAT_APP_SECRET: this.appSecret,
      WECHAT_API_BASE: this.url,
      WECHAT_OAUTH_BASE: this.url,
      WECHAT_TIMEOUT_MS: '2000',
      ...extra,
    };
  }

  /** A web-authorization code WeChat would hand the H5 for this user (usable once). */
  issueCode(openid: string, unionid?: string): string {
    const code = `code-${randomBytes(6).toString('hex')}`;
    this.codes.set(code, { openid, unionid });
    return code;
  }

  issueWecomCode(parentUserId: string): string {
    const code = `wc-${randomBytes(6).toString('hex')}`;
    this.wecomCodes.set(code, parentUserId);
    return code;
  }

  /** Every token issued so far dies now (WeChat answers 42001 for it). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const q = url.searchParams;
    const body = req.method === 'POST' ? await readJson(req) : {};
    const reply = (json: Record<string, unknown>, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    switch (url.pathname) {
      case '/cgi-bin/token':
        this.tokenRequests.mp++;
        if (q.get('grant_type') !== 'client_credential') return reply({ errcode: 40002, errmsg: 'invalid grant_type' });
        if (q.get('appid') !== this.appId) return reply({ errcode: 40013, errmsg: 'invalid appid' });
        if (q.get('secret') !== this.appSecret) return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
        return reply({ access_token: this.newToken('mp'), expires_in: this.tokenLifetime });
      case '/cgi-bin/gettoken':
        this.tokenRequests.wecom++;
        if (q.get('corpid') !== this.corpId || q.get('corpsecret') !== this.corpSecret)
          return reply({ errcode: 40001, errmsg: 'invalid credential' });
        return reply({ errcode: 0, errmsg: 'ok', access_token: this.newToken('wecom'), expires_in: this.tokenLifetime });
      case '/cgi-bin/ticket/getticket': {
        const invalid = this.tokenError(q.get('access_token'));
        if (invalid) return reply(invalid);
        if (q.get('type') !== 'jsapi') return reply({ errcode: 40097, errmsg: 'invalid args' });
        this.tickets.push(`ticket-${randomBytes(12).toString('hex')}`);
        return reply({ errcode: 0, errmsg: 'ok', ticket: this.tickets.at(-1), expires_in: this.tokenLifetime });
      }
      case '/connect/oauth2/authorize': {
        const redirect = q.get('redirect_uri');
        if (q.get('appid') !== this.appId || q.get('response_type') !== 'code' || !redirect)
          return reply({ errcode: 10003, errmsg: 'redirect_uri or appid invalid' });
        const back = new URL(redirect);
        back.searchParams.set('code', this.issueCode(this.browserOpenid));
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        res.end();
        return;
      }
      case '/sns/oauth2/access_token': {
        if (q.get('appid') !== this.appId || q.get('secret') !== this.appSecret)
          return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
        const who = this.codes.get(q.get('code') ?? '');
        if (!who) return reply({ errcode: 40029, errmsg: 'invalid code' });
        this.codes.delete(q.get('code')!);
        return reply({
          access_token: `sns-${randomBytes(8).toString('hex')}`,
          expires_in: 7200,
          refresh_token: 'r',
          openid: who.openid,
          scope: 'snsapi_base',
          ...(who.unionid ? { unionid: who.unionid } : {}),
        });
      }
      case '/cgi-bin/school/getuserinfo': {
        const invalid = this.tokenError(q.get('access_token'));
        if (invalid) return reply(invalid);
        const parent = this.wecomCodes.get(q.get('code') ?? '');
        if (!parent) return reply({ errcode: 40029, errmsg: 'invalid code' });
        this.wecomCodes.delete(q.get('code')!);
        return reply({ errcode: 0, errmsg: 'ok', parent_userid: parent, type: 2 });
      }
      case '/cgi-bin/message/template/send':
      case '/cgi-bin/message/subscribe/bizsend': {
        if (this.failNextSends > 0) {
          this.failNextSends--;
          return reply({ errmsg: 'bad gateway' }, 502);
        }
        const invalid = this.tokenError(q.get('access_token'));
        if (invalid) return reply(invalid);
        if (typeof body.touser !== 'string' || typeof body.template_id !== 'string')
          return reply({ errcode: 47001, errmsg: 'data format error' });
        if (this.refusing.has(body.touser)) return reply({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
        const api = url.pathname.includes('subscribe') ? 'subscribe' : 'template';
        this.sent.push({ api, token: q.get('access_token')!, body });
        return reply({ errcode: 0, errmsg: 'ok', msgid: 1000 + this.sent.length });
      }
      case '/cgi-bin/externalcontact/message/send': {
        const invalid = this.tokenError(q.get('access_token'));
        if (invalid) return reply(invalid);
        const to = Array.isArray(body.to_parent_userid) ? (body.to_parent_userid as string[]) : [];
        const refused = to.filter((id) => this.refusing.has(id));
        if (refused.length < to.length) this.sent.push({ api: 'wecom', token: q.get('access_token')!, body });
        return reply({ errcode: 0, errmsg: 'ok', invalid_parent_userid: refused });
      }
      default:
        return reply({ errcode: 404, errmsg: 'not found' }, 404);
    }
  }

  private newToken(kind: string): string {
    const token = `${kind}-${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, Date.now() + this.tokenLifetime * 1000);
    return token;
  }

  private tokenError(token: string | null): Record<string, unknown> | undefined {
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (expiresAt === undefined) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (expiresAt <= Date.now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
