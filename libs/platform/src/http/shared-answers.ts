/**
 * Answers handed to many requests and never changed once made (those a ReadCache keeps). The HTTP
 * apps serialize each of them once and send every caller the same bytes: for a cached course-hours
 * answer (3.7 KB, mostly Chinese), the JSON text, its UTF-8 encoding and their garbage were about a
 * quarter of the request's cost.
 */
const shared = new WeakMap<object, Buffer | null>();

/** Marks `value` as shared and immutable from now on: whoever holds it must not change it. */
export function shareAnswer(value: unknown): void {
  if (typeof value === 'object' && value !== null && !shared.has(value)) shared.set(value, null);
}

/** The reply serializer of the HTTP apps: JSON, made once for a shared answer. */
export function serializeReply(payload: unknown): string | Buffer {
  if (typeof payload !== 'object' || payload === null) return JSON.stringify(payload);
  const kept = shared.get(payload);
  if (kept === undefined) return JSON.stringify(payload);
  if (kept !== null) return kept;
  const bytes = Buffer.from(JSON.stringify(payload));
  shared.set(payload, bytes);
  return bytes;
}
