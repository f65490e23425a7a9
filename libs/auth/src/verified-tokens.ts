/** Access tokens a process keeps verified at most (about 300 bytes each). */
const KEPT_TOKENS = 50_000;

/**
 * Access tokens whose signature this process has checked, with their claims, until they expire:
 * a client sends the same token with every request for its lifetime (ACCESS_TOKEN_TTL), and the
 * HMAC and JSON parsing of a check cost more than the rest of a cached request. A signed token's
 * claims cannot change, so keeping them is exactly as safe as checking again; whether its session
 * is still open is decided afresh by PrincipalService.
 */
export class VerifiedTokens<C extends { exp?: number }> {
  private readonly kept = new Map<string, C>();

  get(token: string): C | undefined {
    const claims = this.kept.get(token);
    if (claims && (claims.exp ?? 0) * 1000 > Date.now()) return claims;
    if (claims) this.kept.delete(token);
    return undefined;
  }

  keep(token: string, claims: C): void {
    if (typeof claims.exp !== 'number') return;
    if (this.kept.size >= KEPT_TOKENS) {
      // Tokens arrive roughly in the order they expire: the oldest go first.
      const oldest = this.kept.keys().next();
      if (!oldest.done) this.kept.delete(oldest.value);
    }
    this.kept.set(token, claims);
  }
}
