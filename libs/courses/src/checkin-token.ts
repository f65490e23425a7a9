import { createHmac, timingSafeEqual } from 'node:crypto';

/** The venue code rotates every 30 seconds; the current and the previous window are accepted. */
export const TOKEN_WINDOW_MS = 30_000;

/** `<window>.<16 hex of HMAC(secret, lecture:window)>`: short enough for a dense-free QR code. */
export function issueToken(secret: string, lectureId: string, now: Date): { token: string; expiresAt: Date } {
  const window = Math.floor(now.getTime() / TOKEN_WINDOW_MS);
  return { token: `${window}.${mac(secret, lectureId, window)}`, expiresAt: new Date((window + 1) * TOKEN_WINDOW_MS) };
}

export type TokenCheck = 'valid' | 'expired' | 'invalid';

/** Codes whose MAC checked out lately, with their window: a hall scans one code hundreds of times in its 30 seconds. */
const genuine = new Map<string, number>();
const GENUINE_KEPT = 1024;

export function checkToken(secret: string, lectureId: string, token: string, now: Date): TokenCheck {
  const match = /^(\d{1,12})\.([0-9a-f]{16})$/.exec(token);
  if (!match) return 'invalid';
  const window = Number(match[1]);
  // The MAC of a given secret, lecture and code never changes: checked once, it is remembered.
  const key = `${secret}:${lectureId}:${token}`;
  if (genuine.get(key) !== window) {
    const expected = Buffer.from(mac(secret, lectureId, window));
    const given = Buffer.from(match[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    if (genuine.size >= GENUINE_KEPT) genuine.delete(genuine.keys().next().value!);
    genuine.set(key, window);
  }
  const current = Math.floor(now.getTime() / TOKEN_WINDOW_MS);
  if (window === current || window === current - 1) return 'valid';
  return window < current ? 'expired' : 'invalid';
}

function mac(secret: string, lectureId: string, window: number): string {
  return createHmac('sha256', secret).update(`${lectureId}:${window}`).digest('hex').slice(0, 16);
}
