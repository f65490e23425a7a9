import fc from 'fast-check';
import { DomainError } from './errors';
import { decodeCursor, decodeTimeIdCursor, encodeCursor, toPage } from './pagination';

/** A sort key as a stored row gives it: text (PostgreSQL text holds no NUL) or a safe integer. */
const keyPart = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\u0000')),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
);

function refusal(cursor: string, arity: number): DomainError {
  try {
    decodeCursor(cursor, arity);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`cursor ${cursor} was accepted`);
}

describe('cursor pagination', () => {
  it('a cursor decodes to the key it was made from', () => {
    fc.assert(
      fc.property(fc.array(keyPart, { minLength: 1, maxLength: 4 }), (key) => {
        const cursor = encodeCursor(key);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor, key.length)).toEqual(key);
      }),
    );
  });

  it('no cursor means the first page', () => {
    expect(decodeCursor(undefined, 1)).toBeNull();
    expect(decodeCursor('', 2)).toBeNull();
  });

  it('a tampered cursor is a VALIDATION_FAILED on the cursor field', () => {
    const tampered = [
      'not base64 at all!',
      Buffer.from('{"name":"x"}').toString('base64url'),
      Buffer.from('["a","b"]').toString('base64url'), // wrong arity
      Buffer.from('[{"$gt":""}]').toString('base64url'),
      Buffer.from('[null]').toString('base64url'),
      Buffer.from('[true]').toString('base64url'),
      Buffer.from('["a\\u0000b"]').toString('base64url'),
      encodeCursor(['潍坊七中']).slice(0, -2),
    ];
    for (const cursor of tampered) {
      const error = refusal(cursor, 1);
      expect({ cursor, code: error.code, fields: error.fields }).toEqual({
        cursor,
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'cursor', constraint: 'matches' }],
      });
      expect(error.status).toBe(400);
    }
  });

  it('a [time, id] cursor keeps its microseconds and refuses parts a typed comparison would fail on', () => {
    const id = '326582e6-c2c7-4318-a7ac-e05eca3b174d';
    expect(decodeTimeIdCursor(undefined)).toBeNull();
    expect(decodeTimeIdCursor(encodeCursor(['2026-11-29T03:17:29.450123Z', id]))).toEqual(['2026-11-29T03:17:29.450123Z', id]);
    expect(decodeTimeIdCursor(encodeCursor(['2028-02-29T00:00:00Z', id]))).toEqual(['2028-02-29T00:00:00Z', id]);
    for (const key of [
      ['garbage', id],
      ['2026-11-29T03:17:29Z', 'not-a-uuid'],
      ['2026-02-30T00:00:00Z', id],
      ['2026-13-01T00:00:00Z', id],
      ['0000-01-01T00:00:00Z', id],
      ['2026-11-29 03:17:29', id],
      [1732850000000, id],
    ]) {
      expect(() => decodeTimeIdCursor(encodeCursor(key))).toThrow(DomainError);
    }
  });

  it('toPage keeps limit rows and points the cursor at the last one kept', () => {
    const rows = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    const page = toPage(rows, 2, (r) => [r.name]);
    expect(page.items).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(decodeCursor(page.nextCursor ?? undefined, 1)).toEqual(['b']);
    expect(toPage(rows.slice(0, 2), 2, (r) => [r.name])).toEqual({ items: rows.slice(0, 2), nextCursor: null });
    expect(toPage([], 2, (r: { name: string }) => [r.name])).toEqual({ items: [], nextCursor: null });
  });
});
