import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { ConnectionRegistry } from '../../runtime/connection-registry.js';
import { ApiError } from '../errors.js';

export const DEFAULT_WEBHOOK_RATE_LIMIT = 600;
/** Names that are no configured connection share one bucket, so made-up names cannot fill the store. */
const UNKNOWN = '\u0000unknown';

const connectionName = (request: FastifyRequest) =>
  String((request.params as { connection?: unknown } | undefined)?.connection ?? '');

/**
 * Per-connection webhook rate limit (`webhookRateLimitPerMinute` in baton.yaml, 600 by default),
 * counted before the body is read: a flood answers 429 with Retry-After and stores nothing.
 * Counted per process: N processes behind a balancer accept up to N times the limit.
 */
export function webhookRateLimit(connections: ConnectionRegistry): RateLimitPluginOptions {
  const key = (request: FastifyRequest) => {
    const name = connectionName(request);
    return connections.get(name) ? `webhook:${name}` : UNKNOWN;
  };
  return {
    timeWindow: 60_000,
    keyGenerator: key,
    max: (request) =>
      connections.get(connectionName(request))?.config.webhookRateLimitPerMinute ??
      DEFAULT_WEBHOOK_RATE_LIMIT,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'rate_limited',
        `too many deliveries for this connection; retry after ${context.after}`,
      ),
  };
}
