import type { FastifyRequest } from 'fastify';
import { DomainError } from '@jiaxiao/common';

/** No request body or socket payload of ours nests deeper than a few levels; 32 leaves room. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests deeper than `max`, found by one pass over the characters (strings
 * skipped), before anything recursive — the parser, class-transformer, class-validator — sees it.
 */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The same for a value already parsed (a Socket.IO payload), walked without recursion. */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  let visited = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > max || ++visited > 100_000) return true;
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The one file of a multipart request. A request without a file is FILE_REQUIRED; one that is
 * not well-formed multipart (no boundary, truncated, garbage) is MALFORMED_MULTIPART; a file over
 * the limit keeps its 413.
 */
export async function readUploadedFile(request: FastifyRequest): Promise<{ filename: string; content: Buffer }> {
  if (!request.isMultipart()) throw new DomainError('FILE_REQUIRED');
  try {
    const part = await request.file();
    if (!part) throw new DomainError('FILE_REQUIRED');
    return { filename: part.filename, content: await part.toBuffer() };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if ((error as { statusCode?: unknown })?.statusCode === 413) throw new DomainError('PAYLOAD_TOO_LARGE');
    throw new DomainError('MALFORMED_MULTIPART');
  }
}
