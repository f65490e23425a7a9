import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { DynamicModule, INestApplication, NotFoundException, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoNestLogger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';
import { Infrastructure } from '../infrastructure';
import { renderError } from './error-renderer';
import { AppValidationPipe } from './validation.pipe';
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

export const JSON_BODY_LIMIT = 1024 * 1024;
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

/**
 * Builds one HTTP app the way all of ours are built: Fastify with pino request logs and
 * request ids, multipart uploads, the validation pipe, one error format, Swagger at /docs and /docs-json, and
 * request metrics. Errors Fastify raises before a handler runs (bad JSON, body limits) reach
 * the global filter through Nest's own error handler. The caller listens.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = options.infra.logger.child({ app: options.name });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: true,
    // Fastify answers a URL it cannot route (bad percent-encoding, a parameter longer than
    // maxParamLength) itself, before Nest and its filter: such a URL names no route of ours.
    frameworkErrors: (_error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { status, headers, body } = renderError(new NotFoundException(), request, logger);
      // The onSend hooks below do not run for these replies.
      void reply.status(status).headers({ ...headers, 'x-request-id': request.id }).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(multipart, { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 10 } });

  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.useGlobalPipes(new AppValidationPipe());
  if (options.web) registerWebApp(fastify, options.infra.config, options.web);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });

  options.configure?.(app);
  await app.init();
  return app;
}

/** Listens on the port (0 picks a free one) on every interface and returns the base URL. */
export async function listen(app: INestApplication, port: number): Promise<string> {
  await app.listen(port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return `http://127.0.0.1:${actual}`;
}
