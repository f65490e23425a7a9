import { api, unwrap } from './api';

const STATE_KEY = 'jx.h5.wechat-state';
const TRIED_KEY = 'jx.h5.wechat-tried';

/** Opened in WeChat's in-app browser. */
export const inWechat = (): boolean => /MicroMessenger/i.test(navigator.userAgent);

/** The server has a 公众号 configured (it says so in index.html). */
export const wechatConfigured = (): boolean => document.querySelector('meta[name="jx-wechat"]') !== null;

/** WeChat sign-in, binding and scanning are offered only inside WeChat and when configured. */
export const wechatAvailable = (): boolean => inWechat() && wechatConfigured();

/** Silent sign-in is tried once per visit, so that signing out inside WeChat stays signed out. */
export const wechatTried = (): boolean => sessionStorage.getItem(TRIED_KEY) === '1';

/**
 * Sends the browser to WeChat's silent web authorization (snsapi_base); WeChat comes back to
 * /h5/wechat with `?code=&state=`, where the code signs in (`login`) or binds (`bind`).
 */
export async function authorizeWithWechat(purpose: 'login' | 'bind', next: string): Promise<void> {
  const back = new URL(`${location.origin}${import.meta.env.BASE_URL}wechat`);
  back.searchParams.set('purpose', purpose);
  back.searchParams.set('next', next);
  const { url, state } = await unwrap(api.client.GET('/auth/wechat/authorize-url', { params: { query: { redirect: back.toString() } } }));
  sessionStorage.setItem(STATE_KEY, state);
  sessionStorage.setItem(TRIED_KEY, '1');
  location.assign(url);
}

/** The state WeChat brought back is the one this tab sent (used once). */
export function takeState(state: string): boolean {
  const expected = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  return expected !== null && expected === state;
}
