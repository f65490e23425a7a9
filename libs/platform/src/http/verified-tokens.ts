import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';

/** Access tokens a process keeps verified at most (about 300 bytes each); the oldest go first. */
const KEPT_TOKENS = 50_000;

export interface TokenClaims {
  exp?: unknown;
  nbf?: unknown;
}

/**
 * Access tokens whose signature this process has checked, with their claims, until they expire:
 * a client sends the same token with every request for its lifetime (ACCESS_TOKEN_TTL), and the
 * HMAC and JSON parsing of a check cost more than the rest of a request answered from memory. A
 * signed token's claims cannot change, so keeping them is as safe as checking again. Only tokens
 * with an expiry and no start time are kept: then `now < exp` is all a check would still decide.
 */
export class VerifiedTokens<C extends TokenClaims> {
  private readonly kept = new Map<string, C>();

  /** `verify` checks a token's signature and times (at `now`, ms since the epoch) and returns its claims, or throws. */
  constructor(private readonly verify: (token: string, now: number) => C) {}

  /** The token's claims, or undefined when it is not a valid token now. */
  claims(token: string, now = Date.now()): C | undefined {
    const kept = this.kept.get(token);
    if (kept && now < (kept.exp as number) * 1000) return kept;
    if (kept) this.kept.delete(token);
    let claims: C;
    try {
      claims = this.verify(token, now);
    } catch {
      return undefined;
    }
    if (typeof claims.exp === 'number' && claims.nbf === undefined) {
      if (this.kept.size >= KEPT_TOKENS) {
        const oldest = this.kept.keys().next();
        if (!oldest.done) this.kept.delete(oldest.value);
      }
      this.kept.set(token, claims);
    }
    return claims;
  }
}

/**
 * Checks an access token as jsonwebtoken's `verify(token, key, { algorithms: ['HS256'] })` does:
 * three segments, a header naming HS256, the HMAC-SHA256 signature of the first two (compared as
 * base64url text, so no second spelling of a signature passes), and the claims' `nbf` and `exp`
 * at `now` (ms since the epoch). Returns the claims; throws InvalidToken otherwise. One HMAC and
 * two small JSON parses: a burst of new callers (a hall checking out) each brings a token this
 * process has not seen, and jsonwebtoken's layers cost more than the rest of such a request's
 * checks together.
 */
export function hs256Verifier<C extends TokenClaims>(secret: string): (token: string, now: number) => C {
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  return (token, now) => {
    const first = token.indexOf('.');
    const second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.includes('.', second + 1)) throw new InvalidToken('not three segments');
    if (segmentJson(token.slice(0, first))?.alg !== 'HS256') throw new InvalidToken('not HS256');
    const expected = Buffer.from(createHmac('sha256', key).update(token.slice(0, second)).digest('base64url'));
    const given = Buffer.from(token.slice(second + 1));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidToken('bad signature');
    const claims = segmentJson(token.slice(first + 1, second));
    if (!claims) throw new InvalidToken('claims not an object');
    const seconds = Math.floor(now / 1000);
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > seconds)) throw new InvalidToken('not yet valid');
    if (claims.exp !== undefined && (typeof claims.exp !== 'number' || seconds >= claims.exp)) throw new InvalidToken('expired');
    return claims as C;
  };
}

export class InvalidToken extends Error {}

/** A base64url segment's JSON object, or undefined. */
function segmentJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
