import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from './errors';

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset cursors: an opaque base64url of the sort key of the last item seen. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Keys come from stored rows, which cannot hold NUL; PostgreSQL would refuse one in a comparison with a 500.
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => (typeof k === 'string' && !k.includes('\u0000')) || typeof k === 'number')
    ) {
      return key as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A `[time, id]` cursor (lists paged by a timestamp and a uuid). Both parts end up in typed
 * comparisons, where a tampered value (not a date, Feb 30, not a uuid) would fail the query with a 500.
 */
export function decodeTimeIdCursor(cursor: string | undefined): [string, string] | null {
  const key = decodeCursor(cursor, 2);
  if (!key) return null;
  const [at, id] = key;
  if (typeof at === 'string' && typeof id === 'string' && ISO_INSTANT.test(at) && UUID.test(id)) {
    // Date.parse rolls 02-30 over to March; PostgreSQL refuses it, so the date must read back unchanged.
    const parsed = new Date(at);
    if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === at.slice(0, 19)) return [at, id];
  }
  throw invalidCursor();
}

function invalidCursor(): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, [{ field: 'cursor', constraint: 'matches' }]);
}

/** Fetch limit+1 rows, then call this: it trims the extra row and builds the next cursor from the last kept one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}

export const DEFAULT_PAGE_SIZE = 20;

/** Numbered pages (`page` from 1, `pageSize` up to 200) for console tables that show a total. */
export class PageNumberQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

/** The LIMIT and OFFSET of a numbered page (20 a page by default). */
export function pageWindow(query: { page?: number; pageSize?: number }): { limit: number; offset: number } {
  const limit = query.pageSize ?? DEFAULT_PAGE_SIZE;
  return { limit, offset: ((query.page ?? 1) - 1) * limit };
}
