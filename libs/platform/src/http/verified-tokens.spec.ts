import { createHmac } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { hs256Verifier, InvalidToken, VerifiedTokens } from './verified-tokens';

const SECRET = 'verified-tokens-spec-secret';
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const SECONDS = Math.floor(NOW / 1000);
const jwt = new JwtService({ secret: SECRET });

/** A token signed with `secret` over the given header and claims, as any HS* signer would make it. */
function handMade(header: object, claims: unknown, secret = SECRET, alg: 'sha256' | 'sha512' = 'sha256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac(alg, secret).update(unsigned).digest('base64url')}`;
}

/** What jsonwebtoken decides for the same token: its claims, or that it refuses it. */
function reference(token: string): unknown {
  try {
    return jwt.verify(token, { algorithms: ['HS256'], clockTimestamp: SECONDS });
  } catch {
    return 'refused';
  }
}

function ours(token: string): unknown {
  try {
    return hs256Verifier(SECRET)(token, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidToken);
    return 'refused';
  }
}

describe('hs256Verifier', () => {
  const signed = jwt.sign({ sub: 'user-1', sid: 'session-1' }, { algorithm: 'HS256', expiresIn: 900 });
  const [header, claims, signature] = signed.split('.');
  const cases: [string, string][] = [
    ['a token jsonwebtoken signed', jwt.sign({ sub: 'user-1', sid: 's' }, { algorithm: 'HS256', expiresIn: 900 })],
    ['no expiry', handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'user-1' })],
    ['expired a second ago', handMade({ alg: 'HS256' }, { sub: 'user-1', exp: SECONDS - 1 })],
    ['expiring this second', handMade({ alg: 'HS256' }, { sub: 'user-1', exp: SECONDS })],
    ['valid from this second', handMade({ alg: 'HS256' }, { sub: 'user-1', nbf: SECONDS, exp: SECONDS + 60 })],
    ['valid from the next second', handMade({ alg: 'HS256' }, { sub: 'user-1', nbf: SECONDS + 1, exp: SECONDS + 60 })],
    ['an expiry that is not a number', handMade({ alg: 'HS256' }, { sub: 'user-1', exp: String(SECONDS + 60) })],
    ['a start that is not a number', handMade({ alg: 'HS256' }, { sub: 'user-1', nbf: 'soon' })],
    ['another secret', handMade({ alg: 'HS256' }, { sub: 'user-1' }, 'another-secret')],
    ['HS512, signed as such', handMade({ alg: 'HS512' }, { sub: 'user-1' }, SECRET, 'sha512')],
    ['HS512 named, HS256 signature', handMade({ alg: 'HS512' }, { sub: 'user-1' })],
    ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${claims}.`],
    ['no header alg', handMade({ typ: 'JWT' }, { sub: 'user-1' })],
    ['claims changed after signing', `${header}.${Buffer.from('{"sub":"user-2","sid":"session-1"}').toString('base64url')}.${signature}`],
    ['signature of other text', `${header}.${claims}.${handMade({ alg: 'HS256' }, { sub: 'x' }).split('.')[2]}`],
    ['a signature with a character more', `${signed}A`],
    ['a signature one character short', signed.slice(0, -1)],
    ['no signature', `${header}.${claims}.`],
    ['two segments', `${header}.${claims}`],
    ['four segments', `${signed}.${signature}`],
    ['a header that is not JSON', `${Buffer.from('alg').toString('base64url')}.${claims}.${signature}`],
    ['empty', ''],
    ['dots only', '..'],
  ];

  it.each(cases)('decides as jsonwebtoken does: %s', (_, token) => {
    expect(ours(token)).toEqual(reference(token));
  });

  it('accepts what it should and refuses the rest (so the comparison above is not vacuous)', () => {
    const accepted = cases.filter(([, token]) => ours(token) !== 'refused').map(([name]) => name);
    expect(accepted).toEqual(['a token jsonwebtoken signed', 'no expiry', 'valid from this second']);
  });

  it('refuses signed claims that are not an object, which jsonwebtoken would hand back as text', () => {
    for (const value of [42, null, 'user-1', ['user-1']]) {
      const token = handMade({ alg: 'HS256' }, value);
      expect(reference(token)).not.toBe('refused');
      expect(ours(token)).toBe('refused');
    }
  });

  it('is what VerifiedTokens keeps until the expiry', () => {
    const tokens = new VerifiedTokens<{ sub?: unknown; exp?: unknown }>(hs256Verifier(SECRET));
    const token = handMade({ alg: 'HS256' }, { sub: 'user-1', exp: SECONDS + 60 });
    expect(tokens.claims(token, NOW)?.sub).toBe('user-1');
    expect(tokens.claims(token, (SECONDS + 59) * 1000)?.sub).toBe('user-1');
    expect(tokens.claims(token, (SECONDS + 60) * 1000)).toBeUndefined();
  });
});
