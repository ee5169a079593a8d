import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import fp from 'fastify-plugin';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { BatonServices } from '../runtime/services.js';
import type { ChangeFeed } from '../store/change-feed.js';
import { ApiError } from './errors.js';
import { connectionRoutes } from './routes/connections.routes.js';
import { handoffRoutes } from './routes/handoffs.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { planRoutes } from './routes/plans.routes.js';
import { webhookRoutes } from './routes/webhooks.routes.js';
import { StatusCache } from './status-cache.js';

export type BatonApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface AppRuntime {
  workersRunning(): boolean;
  /** False while shutting down: webhooks are refused with 503 so senders retry elsewhere or later. */
  acceptingWebhooks(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: BatonServices;
    runtime: AppRuntime;
    statusCache: StatusCache;
  }
}

export interface AppOptions {
  services: BatonServices;
  runtime?: Partial<AppRuntime>;
  changeFeed?: ChangeFeed;
  /** Extra plugins registered inside the app (pages, auth …), so the root error handler covers them. */
  plugins?: ((app: BatonApp) => Promise<void>)[];
}

/** The whole HTTP surface as one plugin: one error handler applies everywhere. */
export const batonPlugin = fp(async (app: FastifyInstance, options: AppOptions) => {
  const zodApp = app.withTypeProvider<ZodTypeProvider>();
  zodApp.setValidatorCompiler(validatorCompiler);
  zodApp.setSerializerCompiler(serializerCompiler);
  zodApp.decorate('services', options.services);
  zodApp.decorate('runtime', {
    workersRunning: options.runtime?.workersRunning ?? (() => false),
    acceptingWebhooks: options.runtime?.acceptingWebhooks ?? (() => true),
  });
  zodApp.decorate(
    'statusCache',
    new StatusCache(options.services.db, options.services.plans, options.services.now, options.changeFeed),
  );

  zodApp.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send({
        error: {
          code: 'invalid_request',
          message: `invalid ${error.validationContext ?? 'request'}: ${error.validation.map((v) => `${v.instancePath || '/'} ${v.message}`).join('; ')}`,
          details: error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
        },
      });
    }
    if (error instanceof ApiError) {
      return reply
        .code(error.statusCode)
        .send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      const code = (error as { code?: string }).code?.toLowerCase() ?? 'bad_request';
      return reply
        .code(status)
        .send({ error: { code, message: error instanceof Error ? error.message : String(error) } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(status)
      .send({ error: { code: 'internal_error', message: 'something went wrong on our side' } });
  });
  zodApp.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );

  await zodApp.register(swagger, {
    openapi: {
      info: {
        title: 'Baton API',
        version: '1',
        description: 'One implementation-plan view over Jira, GitHub, Outlook and Google Drive.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await zodApp.register(swaggerUi, { routePrefix: '/docs' });

  await zodApp.register(healthRoutes);
  await zodApp.register(planRoutes);
  await zodApp.register(handoffRoutes);
  await zodApp.register(connectionRoutes);
  await zodApp.register(webhookRoutes);
  for (const plugin of options.plugins ?? []) await zodApp.register(plugin);
});

export async function buildApp(options: AppOptions & { logger?: Logger | false }): Promise<BatonApp> {
  const app = Fastify({
    loggerInstance: options.logger ? (options.logger as FastifyBaseLogger) : undefined,
    disableRequestLogging: true,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();
  await app.register(batonPlugin, options);
  return app;
}
