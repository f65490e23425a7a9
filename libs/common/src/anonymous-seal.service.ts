import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from './config';

const VERSION = 1;
/** Plaintexts are padded to a multiple of this, so a sealed row's length says nothing about its content. */
const BLOCK = 256;

/**
 * Seals an anonymous choice (a ballot, a survey answer) with AES-256-GCM under a key the
 * database never holds. The sealed row may sit beside the voter's marker — same transaction,
 * same page — because nobody with only database access can read it; it is opened when it is
 * moved, in a shuffled batch, into the anonymous table (docs/security.md).
 */
@Injectable()
export class AnonymousSealService {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    const secret = config.ANONYMOUS_SEAL_KEY ?? config.JWT_SECRET;
    this.key = Buffer.from(hkdfSync('sha256', secret, 'jiaxiao', 'anonymous-seal-v1', 32));
  }

  seal(value: unknown): Buffer {
    const json = Buffer.from(JSON.stringify(value), 'utf8');
    const padded = Buffer.alloc(Math.ceil((json.length + 4) / BLOCK) * BLOCK);
    padded.writeUInt32BE(json.length, 0);
    json.copy(padded, 4);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(padded), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open<T>(sealed: Buffer): T {
    if (sealed[0] !== VERSION) throw new Error('unknown sealed format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(13, 29));
    const padded = Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    return JSON.parse(padded.subarray(4, 4 + padded.readUInt32BE(0)).toString('utf8')) as T;
  }
}

/** Fisher–Yates with a cryptographic source: the order rows are written in must not be guessable. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIntBelow(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function randomIntBelow(n: number): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const x = randomBytes(4).readUInt32BE(0);
    if (x < limit) return x % n;
  }
}
