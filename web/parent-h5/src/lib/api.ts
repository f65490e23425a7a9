import { createApiClient, localSessionStore, unwrap } from '@jiaxiao/web-shared/api';
import type { components, paths } from '@jiaxiao/web-shared/parent-api';

/** The address the app was opened at: WeChat on iOS checks JS-SDK signatures against it, not the current one. */
export const ENTRY_URL = location.href.split('#')[0];

export type Schemas = components['schemas'];
export { unwrap };

const listeners = new Set<() => void>();

/** The parent-api client (same origin): bearer token, refresh rotation, typed routes. */
export const api = createApiClient<paths>({
  baseUrl: location.origin,
  store: localSessionStore('jx.h5.session'),
  onSignedOut: () => listeners.forEach((listener) => listener()),
});

export const onSignedOut = (listener: () => void) => listeners.add(listener);

/** The gateway as the server announced it in index.html (another port of this host by default). */
export function gatewayUrl(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="jx-gateway"]');
  return meta?.content || `${location.protocol}//${location.hostname}:3001`;
}

/** A message for the user from anything thrown by a call. */
export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return '网络异常，请稍后重试';
}
