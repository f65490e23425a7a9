import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CATALOG, IS_PUBLIC } from '@jiaxiao/common';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const WRITES = new Set(['put', 'post', 'delete', 'patch']);
const ERROR_SCHEMA = 'ErrorResponse';

/** One reusable response per error status, named in components.responses. */
const STATUS_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
};

/**
 * Completes the generated OpenAPI document from what the routes already declare, so that
 * every route — including ones added later — is described the same way:
 * - `servers`: the document's own origin;
 * - `security`: bearer on every operation, none (`[]`) on @Public() routes;
 * - error responses: one `ErrorResponse` schema whose `code` lists the whole catalogue, and
 *   per status a shared response that names the codes of that status. Each operation gets
 *   400 when it takes input, 401/403 when it needs a token, 404 when its path names an object,
 *   409 for a write; 4xx responses a route declares itself get the same schema.
 */
export function completeOpenApiDocument(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const publicOperations = publicOperationIds(app);
  document.servers = [{ url: '/', description: 'this server' }];
  const components = (document.components ??= {});
  components.schemas = { ...components.schemas, [ERROR_SCHEMA]: errorSchema() };
  const shared = errorResponses();
  const used = new Set<string>();

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const isPublic = publicOperations.has(operation.operationId ?? '');
      operation.security = isPublic ? [] : [{ bearer: [] }];
      for (const name of addErrorResponses(operation, { path, method, isPublic })) used.add(name);
    }
  }
  components.responses = { ...components.responses, ...Object.fromEntries(Object.entries(shared).filter(([name]) => used.has(name))) };
  return document;
}

/** Adds the error responses the route can give; returns the names of the shared responses it refers to. */
function addErrorResponses(operation: Operation, route: { path: string; method: string; isPublic: boolean }): string[] {
  const responses: Responses = operation.responses;
  const takesInput = Boolean(operation.requestBody) || (operation.parameters ?? []).length > 0;
  const wanted = [
    takesInput && 400,
    !route.isPublic && 401,
    !route.isPublic && 403,
    route.path.includes('{') && 404,
    !route.isPublic && WRITES.has(route.method) && 409,
  ].filter((status): status is number => typeof status === 'number');
  const names: string[] = [];
  for (const status of wanted) {
    if (responses[String(status)]) continue;
    responses[String(status)] = { $ref: `#/components/responses/${STATUS_NAMES[status]}` };
    names.push(STATUS_NAMES[status]);
  }
  // 4xx responses declared on the route keep their description and get the shared schema.
  for (const [status, response] of Object.entries(responses)) {
    if (!status.startsWith('4') || !response || '$ref' in response || response.content) continue;
    response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } };
  }
  return names;
}

function errorSchema() {
  return {
    type: 'object' as const,
    description: 'Every error. `message` is Chinese by default, English with `Accept-Language: en`.',
    required: ['statusCode', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer' as const, example: 404 },
      code: { type: 'string' as const, enum: Object.keys(ERROR_CATALOG), example: 'NOT_FOUND' },
      message: { type: 'string' as const, example: '找不到请求的资源' },
      errors: {
        type: 'array' as const,
        description: 'VALIDATION_FAILED only: one entry per bad field, by its property name',
        items: {
          type: 'object' as const,
          required: ['field', 'message'],
          properties: { field: { type: 'string' as const }, message: { type: 'string' as const } },
        },
      },
    },
  };
}

function errorResponses(): Record<string, { description: string; content: Record<string, { schema: { $ref: string } }> }> {
  const codesByStatus = new Map<number, string[]>();
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
    codesByStatus.set(entry.status, [...(codesByStatus.get(entry.status) ?? []), code]);
  }
  return Object.fromEntries(
    Object.entries(STATUS_NAMES).map(([status, name]) => [
      name,
      {
        description: `${name}: one of ${(codesByStatus.get(Number(status)) ?? []).join(', ')}`,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
      },
    ]),
  );
}

/** The operation ids (Swagger's default `Controller_method`) of every @Public() handler of the app. */
function publicOperationIds(app: INestApplication): Set<string> {
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const controllerPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        if (key === 'constructor') continue;
        const handler: unknown = Reflect.getOwnPropertyDescriptor(controller.prototype, key)?.value;
        if (typeof handler !== 'function') continue;
        const handlerPublic = Reflect.getMetadata(IS_PUBLIC, handler) as boolean | undefined;
        if (handlerPublic ?? controllerPublic) ids.add(`${controller.name}_${key}`);
      }
    }
  }
  return ids;
}
