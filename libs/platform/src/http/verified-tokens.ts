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
