import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
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
import { type AuthOptions, installAccessControl } from './auth/access.js';
import { loginRoutes } from './auth/login.routes.js';
import { ApiError } from './errors.js';
import { pagesPlugin } from './pages/pages.plugin.js';
import { alertRoutes } from './routes/alerts.routes.js';
import { connectionRoutes } from './routes/connections.routes.js';
import { handoffRoutes } from './routes/handoffs.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { metricsRoutes } from './routes/metrics.routes.js';
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
  /** Access control: `required` (bearer tokens, share links) unless explicitly `off`. Default: off. */
  auth?: Omit<AuthOptions, 'db'>;
  /** Extra plugins registered inside the app (pages, auth …), so the root error handler covers them. */
  plugins?: ((app: BatonApp) => Promise<void>)[];
}

/** The whole HTTP surface as one plugin: one error handler applies everywhere. */
export const batonPlugin = fp(async (app: FastifyInstance, options: AppOptions) => {
  const zodApp = app.withTypeProvider<ZodTypeProvider>();
  zodApp.setValidatorCompiler(validatorCompiler);
  zodApp.setSerializerCompiler(serializerCompiler);
  // Routes that do not state their access are closed (admin), except the API description.
  zodApp.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && route.url.startsWith('/docs')) {
      route.config = { ...route.config, access: 'viewer' };
    }
  });
  installAccessControl(zodApp, { mode: 'off', ...options.auth, db: options.services.db });
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

  // ops: every response names its request id, the one every log line of the request carries.
  zodApp.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Stopping: each answer still in hand closes its connection after it. An idle keep-alive
  // socket would otherwise hold the stop until the server's keep-alive timeout ran out.
  zodApp.addHook('onSend', (_request, reply, payload, done) => {
    if (!zodApp.runtime.acceptingWebhooks()) reply.header('connection', 'close');
    done(null, payload);
  });
  await zodApp.register(metricsRoutes); // ops: before the routes, so its latency hook sees them all
  await zodApp.register(pagesPlugin); // first: its security headers then cover every route after it
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

  await zodApp.register(loginRoutes);
  await zodApp.register(healthRoutes);
  await zodApp.register(planRoutes);
  await zodApp.register(handoffRoutes);
  await zodApp.register(alertRoutes);
  await zodApp.register(connectionRoutes);
  await zodApp.register(webhookRoutes);
  for (const plugin of options.plugins ?? []) await zodApp.register(plugin);
});

/** ops: keeps a caller's or proxy's x-request-id (when it is a plain token) so logs join across hops. */
function requestId(request: RawRequestDefaultExpression): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.:@/+=-]{1,128}$/.test(incoming) ? incoming : randomUUID();
}

const LOG_METHODS = new Set(['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child', 'silent']);

function lazyChild(logger: FastifyBaseLogger, bindings: Record<string, unknown>): FastifyBaseLogger {
  let child: FastifyBaseLogger | undefined;
  const real = () => {
    child ??= logger.child(bindings);
    return child;
  };
  return new Proxy({} as FastifyBaseLogger, {
    get(_target, property) {
      // Fastify checks each request's logger has these methods: answering without making the
      // child keeps that check from building it (and its redaction) on every request.
      if (child === undefined && typeof property === 'string' && LOG_METHODS.has(property)) {
        return (...args: unknown[]) =>
          (real() as unknown as Record<string, (...a: unknown[]) => unknown>)[property](...args);
      }
      const target = real() as unknown as Record<string | symbol, unknown>;
      const value = target[property];
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_target, property, value) {
      (real() as unknown as Record<string | symbol, unknown>)[property] = value;
      return true;
    },
  });
}

export async function buildApp(
  options: AppOptions & { logger?: Logger | false; trustProxy?: boolean },
): Promise<BatonApp> {
  const app = Fastify({
    loggerInstance: options.logger ? (options.logger as FastifyBaseLogger) : undefined,
    // Request logs are ours (ops hooks), not Fastify's per-request lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Forwarded headers are believed only when the operator says a proxy of theirs sets them.
    trustProxy: options.trustProxy ?? false,
    genReqId: requestId, // ops
    // Most requests never log: the per-request child logger (with redaction) is made on first use.
    childLoggerFactory: (logger, bindings) => lazyChild(logger, bindings),
  }).withTypeProvider<ZodTypeProvider>();
  await app.register(batonPlugin, options);
  return app;
}
