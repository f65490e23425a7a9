import { request as httpRequest, Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/**
 * Hostile HTTP requests for every route an app's OpenAPI document describes: path and query
 * parameters and every body field either plausible or junk, bodies that are not what the route
 * takes, 3,000-level JSON, broken multipart, missing or forged tokens. Shared by the fuzz test
 * (`test/http-fuzz.e2e-spec.ts`, a few per route) and the campaign (`npm run bench:fuzz`).
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: string;
  path: string;
  params: Parameter[];
  body?: { kind: 'json' | 'multipart'; schema?: Schema };
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzContext {
  doc: OpenApiDocument;
  /** access tokens of callers with different roles */
  tokens: string[];
  /** ids of existing objects, so some requests reach past the not-found checks */
  ids: string[];
}

/** Routes that end the caller's session are only ever called without a valid token, so the campaign keeps its callers. */
const SESSION_ENDING = /logout|password/;
const DEEP = 3000;

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const body = content['multipart/form-data']
        ? { kind: 'multipart' as const, schema: content['multipart/form-data'].schema }
        : content['application/json']
          ? { kind: 'json' as const, schema: content['application/json'].schema }
          : undefined;
      out.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body });
    }
  }
  return out;
}

/** Values wrong in type, form or size, for any field. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    '\u0000',
    'null',
    '[]',
    '{}',
    '00000000-0000-0000-0000-000000000000',
    '2026-02-30',
    '../../etc/passwd',
    "' or 1=1 --",
    '=cmd|calc',
    '<script>',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.uuid(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ minLength: 2001, maxLength: 6000 }),
);

export function deepJson(levels = DEEP): string {
  return Math.random() < 0.5 ? '['.repeat(levels) + ']'.repeat(levels) : '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

export function requestArbitrary(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const idArb = fc.oneof(fc.constantFrom(...ctx.ids), fc.uuid());
  const plausible = (schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => valueOf(schema, ctx, idArb, depth);
  const field = (schema: Schema | undefined) => fc.oneof({ arbitrary: plausible(schema), weight: 3 }, { arbitrary: junk, weight: 1 });

  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const pathArb = fc.tuple(
    ...pathParams.map((p) =>
      fc
        .oneof(
          { arbitrary: idArb, weight: 4 },
          { arbitrary: fc.string({ minLength: 1, maxLength: 80 }), weight: 1 },
          { arbitrary: fc.constantFrom('0', '-1', '%', '..', 'null'), weight: 1 },
        )
        .map((v) => [p.name, v] as const),
    ),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(
        field(p.schema).map((v) => [p.name, v] as const),
        { nil: undefined },
      ),
    ),
  );
  const valid = ctx.tokens.length > 0 && !SESSION_ENDING.test(op.path) ? fc.constantFrom(...ctx.tokens) : fc.constant('garbage');
  const authArb = fc.oneof(
    { arbitrary: valid.map((t) => `Bearer ${t}`), weight: 6 },
    { arbitrary: fc.constantFrom(undefined, 'Bearer garbage', 'Basic Zm9vOmJhcg==', 'Bearer '), weight: 1 },
  );
  return fc
    .record({
      path: pathArb,
      query: queryArb,
      auth: authArb,
      lang: fc.constantFrom(undefined, 'en', 'zh-CN', 'en;q=abc'),
      body: bodyArbitrary(op, plausible, field),
    })
    .map(({ path, query, auth, lang, body }) => {
      let url = op.path;
      for (const [name, value] of path) url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
      const qs = query
        .filter((q): q is readonly [string, unknown] => q !== undefined)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`);
      const headers: Record<string, string> = { ...body.headers };
      if (auth) headers.authorization = auth;
      if (lang) headers['accept-language'] = lang;
      return { method: op.method, path: qs.length ? `${url}?${qs.join('&')}` : url, headers, body: body.body };
    });
}

type BodyPart = { headers: Record<string, string>; body?: Buffer };

function bodyArbitrary(
  op: Operation,
  plausible: (s: Schema | undefined) => fc.Arbitrary<unknown>,
  field: (s: Schema | undefined) => fc.Arbitrary<unknown>,
): fc.Arbitrary<BodyPart> {
  const json = (value: unknown): BodyPart => ({
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value) ?? 'null'),
  });
  const hostile: fc.Arbitrary<BodyPart>[] = [
    fc.jsonValue().map(json),
    fc.constant(null).map(() => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(deepJson()) })),
    fc.string({ maxLength: 200 }).map((s) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(s) })),
    fc
      .constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/json; charset=latin1',
      )
      .map((type) => ({ headers: { 'content-type': type }, body: Buffer.from('a=1&b[c]=2') })),
    fc.constantFrom(...brokenMultipart()),
  ];
  if (op.method === 'GET' || op.method === 'DELETE') return fc.oneof({ arbitrary: fc.constant({ headers: {} }), weight: 6 }, ...hostile);
  if (op.body?.kind === 'multipart') {
    const file = fc.uint8Array({ maxLength: 2048 }).map((bytes) => multipart('XyZ', Buffer.from(bytes), 'file'));
    return fc.oneof({ arbitrary: file, weight: 3 }, ...hostile);
  }
  const schema = op.body?.schema;
  const object = fc
    .tuple(objectOf(schema, field), fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), junk), { nil: undefined }))
    .map(([record, extra]) => {
      const payload: Record<string, unknown> = { ...(record as Record<string, unknown>) };
      if (extra) payload[extra[0]] = extra[1];
      return json(payload);
    });
  return fc.oneof({ arbitrary: object, weight: 6 }, { arbitrary: plausible(schema).map(json), weight: 2 }, ...hostile);
}

function objectOf(schema: Schema | undefined, field: (s: Schema | undefined) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const props = schema?.properties ?? {};
  const keys = Object.keys(props);
  if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 3 });
  return fc.record(Object.fromEntries(keys.map((k) => [k, field(props[k])])), { requiredKeys: [] });
}

function valueOf(schemaIn: Schema | undefined, ctx: FuzzContext, idArb: fc.Arbitrary<string>, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(schemaIn, ctx.doc);
  if (!schema || depth > 4) return junk;
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const nested = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (nested) return valueOf(nested, ctx, idArb, depth + 1);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return idArb;
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      return fc.oneof(fc.string({ minLength: 1, maxLength: Math.min(schema.maxLength ?? 40, 200) }), fc.stringMatching(/^1[3-9]\d{9}$/));
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 10_000, 1e9) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -5, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueOf(schema.items, ctx, idArb, depth + 1), { maxLength: 4 });
    case 'object':
    default:
      if (!schema.properties) return fc.jsonValue({ maxDepth: 2 });
      return fc.record(Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, valueOf(s, ctx, idArb, depth + 1)])), {
        requiredKeys: schema.required ?? [],
      });
  }
}

function resolve(schema: Schema | undefined, doc: OpenApiDocument): Schema | undefined {
  let current = schema;
  for (let i = 0; current?.$ref && i < 10; i++) current = doc.components?.schemas?.[current.$ref.split('/').pop() ?? ''];
  return current;
}

function multipart(boundary: string, content: Buffer, name: string): BodyPart {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="f.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

/** Multipart that is not: no boundary, a truncated part, garbage, a boundary that never comes. */
export function brokenMultipart(): BodyPart[] {
  const part = Buffer.from(
    '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabcdef',
  );
  return [
    { headers: { 'content-type': 'multipart/form-data' }, body: part },
    { headers: { 'content-type': 'multipart/form-data; boundary=XX' }, body: part },
    { headers: { 'content-type': 'multipart/form-data; boundary=XX' }, body: Buffer.from('garbage') },
    { headers: { 'content-type': 'multipart/form-data; boundary=' }, body: part },
    { headers: { 'content-type': 'multipart/form-data; boundary=YY' }, body: part.subarray(0, 30) },
  ];
}

/** The fixed hostile requests every route gets once, whatever the sampling draws. */
export function hostileRequests(op: Operation, ctx: FuzzContext): FuzzRequest[] {
  let path = op.path;
  for (const p of op.params.filter((x) => x.in === 'path')) path = path.replace(`{${p.name}}`, ctx.ids[0] ?? randomUUID());
  const authorization = ctx.tokens[0] && !SESSION_ENDING.test(op.path) ? `Bearer ${ctx.tokens[0]}` : 'Bearer garbage';
  const bodies: BodyPart[] = [
    { headers: { 'content-type': 'application/json' }, body: Buffer.from('['.repeat(DEEP) + ']'.repeat(DEEP)) },
    { headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP)) },
    ...brokenMultipart(),
  ];
  return bodies
    .map((b) => ({ method: op.method === 'GET' ? 'POST' : op.method, path, headers: { ...b.headers, authorization }, body: b.body }))
    .concat(
      bodies.slice(0, 1).map((b) => ({
        method: op.method,
        path,
        headers: { ...b.headers, authorization },
        body: op.method === 'GET' ? undefined : b.body,
      })),
    );
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one request and returns the status and the error code, if any (never throws on a status). */
export function send(base: string, req: FuzzRequest): Promise<{ status: number; code?: string }> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(req.path, base);
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const r = httpRequest(target, { method: req.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        resolvePromise({ status: res.statusCode ?? 0, code });
      });
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

export function describeRequest(req: FuzzRequest): string {
  return `${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers['content-type'] ?? '')} ${req.body?.subarray(0, 200).toString('utf8') ?? ''}`;
}
