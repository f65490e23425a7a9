import { randomBytes, scryptSync } from 'node:crypto';
import { PasswordService } from './password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('hashes at OWASP scrypt parameters (N=2^17, r=8, p=1) and verifies', async () => {
    const stored = await passwords.hash('Jiaxiao#2016');
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 17), '8', '1']);
    expect(await passwords.verify('Jiaxiao#2016', stored)).toBe(true);
    expect(await passwords.verify('jiaxiao#2016', stored)).toBe(false);
    expect(passwords.needsRehash(stored)).toBe(false);
  });

  it('still verifies a hash made with older parameters, and asks for a rehash', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('Jiaxiao#2016', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    expect(await passwords.verify('Jiaxiao#2016', old)).toBe(true);
    expect(passwords.needsRehash(old)).toBe(true);
    expect(passwords.needsRehash('bcrypt$whatever')).toBe(true);
  });
});
