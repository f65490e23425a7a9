import { api, ENTRY_URL, unwrap } from './api';

/** The user closed WeChat's scanner without scanning. */
export class ScanCancelled extends Error {}

const iOS = () => /iPhone|iPad|iPod/i.test(navigator.userAgent);

/**
 * WeChat's own scanner through the JS-SDK (loaded only when asked for): the page is signed by
 * parent-api (`GET /wechat/js-sdk-config`), then `wx.scanQRCode({needResult: 1})` returns the text.
 */
export async function scanWithWechat(): Promise<string> {
  // WeChat on iOS verifies the signature against the URL the single-page app was entered at.
  const url = iOS() ? ENTRY_URL : location.href.split('#')[0];
  const [{ default: wx }, config] = await Promise.all([
    import('weixin-js-sdk'),
    unwrap(api.client.GET('/wechat/js-sdk-config', { params: { query: { url } } })),
  ]);
  await new Promise<void>((resolve, reject) => {
    wx.config({ debug: false, ...config, jsApiList: ['scanQRCode'] });
    wx.ready(resolve);
    wx.error((e) => reject(new Error(`微信扫一扫暂不可用（${e.errMsg}）`)));
  });
  return new Promise((resolve, reject) => {
    wx.scanQRCode({
      needResult: 1,
      scanType: ['qrCode'],
      success: (result: { resultStr?: string }) => resolve(result.resultStr ?? ''),
      cancel: () => reject(new ScanCancelled('已取消扫码')),
      fail: (e: { errMsg?: string }) => reject(new Error(`扫码失败（${e.errMsg ?? '未知原因'}）`)),
    });
  });
}

/** The in-app route of a scanned venue code (this platform's /h5/lectures/<id>/check-in?token=…), or null. */
export function checkInRoute(scanned: string): string | null {
  let url: URL;
  try {
    url = new URL(scanned.trim());
  } catch {
    return null;
  }
  const match = /^\/h5\/lectures\/([^/]+)\/check-in$/.exec(url.pathname);
  const token = url.searchParams.get('token');
  if (url.origin !== location.origin || !match || !token) return null;
  return `/lectures/${match[1]}/check-in?token=${encodeURIComponent(token)}`;
}
