import { randomUUID } from 'node:crypto';
import { parse } from 'node:querystring';
import multipart from '@fastify/multipart';
import { DynamicModule, NotFoundException, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyListenOptions, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@jiaxiao/common';
import { PinoNestLogger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';
import { Infrastructure } from '../infrastructure';
import { jsonTextTooDeep, MAX_JSON_DEPTH } from './bad-input';
import { renderError } from './error-renderer';
import { registerRateLimit } from './rate-limit';
import { apiSecurityHeaders, registerCors } from './security';
import { completeOpenApiDocument } from './openapi';
import { AppValidationPipe } from './validation.pipe';
import { serializeReply } from './shared-answers';
import { registerWebApp, WebAppOptions } from './web-app';

export interface HttpAppOptions {
  name: string;
  title: string;
  description: string;
  infra: Infrastructure;
  /** runs before init, e.g. to install the Socket.IO adapter */
  configure?: (app: NestFastifyApplication) => void;
  /** a built web app this app serves under its prefix (same origin as the API) */
  web?: WebAppOptions;
}

export { clientIp } from './client-ip';

export const JSON_BODY_LIMIT = 1024 * 1024;
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

/**
 * Builds one HTTP app the way all of ours are built: Fastify with pino request logs and
 * request ids, multipart uploads, the validation pipe, one error format, Swagger at /docs and /docs-json
 * (completed by completeOpenApiDocument: servers, security, error responses), and
 * request metrics, security headers, CORS for the configured origins and the general rate limit. Errors Fastify raises before a handler runs (bad JSON, body limits) reach
 * the global filter through Nest's own error handler. The caller listens.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = options.infra.logger.child({ app: options.name });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: JSON_BODY_LIMIT,
    // X-Forwarded-For only from the configured proxy hops; otherwise the socket's address.
    trustProxy: options.infra.config.trustedProxies.length > 0 ? options.infra.config.trustedProxies : false,
    // Fastify answers a URL it cannot route (bad percent-encoding, a parameter longer than
    // maxParamLength) itself, before Nest and its filter: such a URL names no route of ours.
    frameworkErrors: (_error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { status, headers, body } = renderError(new NotFoundException(), request, logger);
      // The hooks below (security headers, request id) do not run for these replies.
      void reply
        .status(status)
        .headers({ ...headers, 'x-request-id': request.id })
        .send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // The headers every answer carries, set before anything can answer (CORS preflights, the rate
  // limit, errors); a handler may still overwrite one (web pages set their own CSP).
  const securityHeaders = apiSecurityHeaders(options.infra.config);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeaders).header('x-request-id', request.id);
    done();
  });
  await registerCors(fastify, options.infra.config);
  registerRateLimit(fastify, options.infra.config, options.infra.redis, logger);
  await fastify.register(multipart, { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 10 } });
  // Fastify's own JSON parser behind a depth check (Nest's body parsers are off): 3,000 nested
  // arrays parse fine but then overflow the stack in the recursive validation that follows.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonTextTooDeep(String(body))) done(new DomainError('JSON_TOO_DEEP', { max: MAX_JSON_DEPTH }), undefined);
    else void parseJson(request, String(body), done);
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, { ...parse(String(body)) });
  });

  // JSON.stringify as Fastify's default, except that an answer a read cache keeps is serialized
  // once. Fastify sends a Buffer as it is; its type only names the string.
  fastify.setReplySerializer(serializeReply as (payload: unknown) => string);

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  app.useGlobalPipes(new AppValidationPipe());
  if (options.web) registerWebApp(fastify, options.infra.config, options.web);

  const document = completeOpenApiDocument(
    app,
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1.0').addBearerAuth().build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });

  options.configure?.(app);
  await app.init();
  return app;
}

/**
 * Connections the kernel queues for an app before the app accepts them (the kernel caps it at
 * net.core.somaxconn). Node's default, 511, is fewer than a hall of parents scanning the same
 * check-out code at once: past it the kernel drops their connection attempts, and each phone
 * tries again one, then three seconds later.
 */
export const LISTEN_BACKLOG = 4096;

/**
 * Whether a process can bind a port other processes also bind (SO_REUSEPORT), the kernel spreading
 * new connections over them: Linux, from Node 22.12. Elsewhere Node refuses the option, or (Node 20)
 * ignores it and the second bind fails.
 */
export function portSharingSupported(): boolean {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return process.platform === 'linux' && (major > 22 || (major === 22 && minor >= 12));
}

/**
 * Listens on the port (0 picks a free one) on every interface, or on `host`, and returns the base URL.
 * `sharePort`: a cluster worker binds the port itself beside its siblings (portSharingSupported), so
 * the kernel hands each new connection to one of them; otherwise a worker's listen goes through the
 * cluster's primary, which accepts every connection and passes it to a worker over IPC, a cost per
 * connection that a hall of phones connecting at once pays 2,000 times.
 */
export async function listen(app: NestFastifyApplication, port: number, host = '0.0.0.0', sharePort = false): Promise<string> {
  // Node's own listen options; Fastify passes them on (its types, and Node 20's, lack reusePort).
  const shared = sharePort ? { exclusive: true, reusePort: true } : {};
  await app.listen({ port, host, backlog: LISTEN_BACKLOG, ...shared } as FastifyListenOptions);
  const address = app.getHttpServer().address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return `http://127.0.0.1:${actual}`;
}
