import { checkToken, issueToken, TOKEN_WINDOW_MS } from './checkin-token';

describe('the rotating check-in code', () => {
  const secret = 'a'.repeat(48);
  const lectureId = '6b0b6a6e-4c3f-4a8e-9a57-0e8b1c1f2f3a';
  /** The start of a 30-second window, so each case knows exactly where it stands. */
  const windowStart = new Date(Math.floor(Date.parse('2026-11-29T10:00:07Z') / TOKEN_WINDOW_MS) * TOKEN_WINDOW_MS);
  const at = (ms: number) => new Date(windowStart.getTime() + ms);

  it('is `<window>.<16 hex>` and expires at the end of its window', () => {
    const { token, expiresAt } = issueToken(secret, lectureId, at(12_000));
    expect(token).toMatch(/^\d+\.[0-9a-f]{16}$/);
    expect(Number(token.split('.')[0])).toBe(windowStart.getTime() / TOKEN_WINDOW_MS);
    expect(expiresAt).toEqual(at(TOKEN_WINDOW_MS));
  });

  it('stays the same within a window and rotates every 30 seconds', () => {
    expect(issueToken(secret, lectureId, at(0)).token).toBe(issueToken(secret, lectureId, at(29_999)).token);
    expect(issueToken(secret, lectureId, at(30_000)).token).not.toBe(issueToken(secret, lectureId, at(29_999)).token);
  });

  it('accepts the current and the previous window, and calls older codes expired', () => {
    const { token } = issueToken(secret, lectureId, at(0));
    expect(checkToken(secret, lectureId, token, at(0))).toBe('valid');
    expect(checkToken(secret, lectureId, token, at(29_999))).toBe('valid');
    // Scanned just before the screen rotated, sent just after: still good.
    expect(checkToken(secret, lectureId, token, at(30_000))).toBe('valid');
    expect(checkToken(secret, lectureId, token, at(59_999))).toBe('valid');
    expect(checkToken(secret, lectureId, token, at(60_000))).toBe('expired');
    expect(checkToken(secret, lectureId, token, at(3_600_000))).toBe('expired');
  });

  it('refuses a code from a future window (a clock or a forger ahead of the screen)', () => {
    const { token } = issueToken(secret, lectureId, at(30_000));
    expect(checkToken(secret, lectureId, token, at(0))).toBe('invalid');
  });

  it('refuses tampered codes, other lectures’ and other secrets’ codes, and garbage', () => {
    const { token } = issueToken(secret, lectureId, at(0));
    const [window, mac] = token.split('.');
    const flipped = `${window}.${mac[0] === '0' ? '1' : '0'}${mac.slice(1)}`;
    // Moving a valid MAC to another window does not make it valid there.
    const moved = `${Number(window) + 1}.${mac}`;
    for (const bad of [
      flipped,
      moved,
      `${window}.${mac.toUpperCase()}`,
      `${window}.${mac}0`,
      `${window}.${mac.slice(1)}`,
      '',
      'hello',
      `${window}`,
      `-1.${mac}`,
    ]) {
      expect({ bad, check: checkToken(secret, lectureId, bad, at(0)) }).toEqual({ bad, check: 'invalid' });
    }
    expect(checkToken(secret, '00000000-0000-4000-8000-000000000000', token, at(0))).toBe('invalid');
    expect(checkToken('b'.repeat(48), lectureId, token, at(0))).toBe('invalid');
  });

  it('judges a forged old code invalid, not expired: only genuine codes are told they are late', () => {
    const { token } = issueToken(secret, lectureId, at(-120_000));
    const [window] = token.split('.');
    expect(checkToken(secret, lectureId, token, at(0))).toBe('expired');
    expect(checkToken(secret, lectureId, `${window}.0123456789abcdef`, at(0))).toBe('invalid');
  });
});
