import { JwtService } from '@nestjs/jwt';
import { SignedInUsers } from './rate-limit';

const SECRET = 'rate-limit-spec-secret';

function bearer(claims: object, secret = SECRET): string {
  return `Bearer ${new JwtService({ secret }).sign(claims, { algorithm: 'HS256' })}`;
}

describe('SignedInUsers', () => {
  const now = Date.now();
  const exp = Math.floor(now / 1000) + 60;

  it('names the user of a token that verifies, again when it comes back', () => {
    const users = new SignedInUsers(SECRET);
    const token = bearer({ sub: 'user-1', exp });
    expect(users.of(token, now)).toBe('user-1');
    expect(users.of(token, now + 1000)).toBe('user-1');
  });

  it('names nobody for a missing header, a foreign signature or an odd user id', () => {
    const users = new SignedInUsers(SECRET);
    expect(users.of(undefined, now)).toBeUndefined();
    expect(users.of('Basic abc', now)).toBeUndefined();
    expect(users.of(bearer({ sub: 'user-1', exp }, 'another-secret'), now)).toBeUndefined();
    expect(users.of(bearer({ sub: 'user 1', exp }), now)).toBeUndefined();
  });

  it('names nobody once a remembered token has expired', () => {
    const users = new SignedInUsers(SECRET);
    const token = bearer({ sub: 'user-1', exp });
    expect(users.of(token, now)).toBe('user-1');
    expect(users.of(token, exp * 1000)).toBeUndefined();
  });
});
