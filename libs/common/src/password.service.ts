import { Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// OWASP Password Storage Cheat Sheet: scrypt N=2^17, r=8, p=1. One hash needs 128·N·r bytes
// (128 MiB) on a libuv thread, so maxmem is raised above Node's 32 MiB default.
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 256 * 1024 * 1024;

/**
 * scrypt from node:crypto: memory-hard, no native module to build, and it runs on libuv's
 * thread pool so hashing (≈0.5–0.9 s here) never blocks the event loop. Hashes keep their own
 * parameters, so older ones still verify; needsRehash() tells sign-in to store a stronger one.
 */
@Injectable()
export class PasswordService {
  private readonly dummy = this.hash('jiaxiao-timing-equaliser');

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, N, R, P);
    return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** True when a stored hash was made with other parameters than today's (or another scheme). */
  needsRehash(stored: string): boolean {
    const [scheme, n, r, p] = stored.split('$');
    return scheme !== 'scrypt' || Number(n) !== N || Number(r) !== R || Number(p) !== P;
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    if (!stored) {
      // Spend the same time as a real check, so a response's timing does not tell which phone numbers exist.
      await this.verify(password, await this.dummy);
      return false;
    }
    const [scheme, n, r, p, salt, expected] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
    const want = Buffer.from(expected, 'base64');
    return key.length === want.length && timingSafeEqual(key, want);
  }
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEM }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
