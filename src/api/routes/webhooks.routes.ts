import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WebhookRequest } from '../../connectors/kit/contract.js';
import { recordWebhook, UNKNOWN_CONNECTION } from '../../runtime/metrics.js';
import { InboxWriter } from '../../store/inbox-writer.js';
import type { BatonApp } from '../app.js';
import { checkFreshness } from '../auth/webhook-freshness.js'; // security
import { webhookRateLimit } from '../auth/webhook-rate-limit.js'; // security
import { isWellFormedJson } from '../json-syntax.js';
import { ErrorBody } from '../schemas.js';

const Params = z.object({ connection: z.string().min(1).max(100) });

function webhookRequest(request: FastifyRequest): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(request.headers))
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  return {
    headers,
    query: request.query as Record<string, string | undefined>,
    rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
  };
}

/** Headers that authenticate a delivery are checked, then not kept: a database reader must not be able to forge. */
const SECRET_HEADERS = ['x-goog-channel-token', 'authorization', 'cookie'];
const storableHeaders = (headers: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !SECRET_HEADERS.includes(name)));

const ACCEPTED = JSON.stringify({ accepted: true, duplicate: false });
const DUPLICATE = JSON.stringify({ accepted: true, duplicate: true });

function isMalformedJson(request: WebhookRequest): boolean {
  if (!/json/i.test(request.headers['content-type'] ?? '') || request.rawBody.length === 0) return false;
  return !isWellFormedJson(request.rawBody);
}

/**
 * POST /webhooks/:connection — verify (per connector) on the raw bytes, store in the inbox,
 * answer 202 only once the delivery is durable. Processing happens later, in a job.
 */
export async function webhookRoutes(app: BatonApp): Promise<void> {
  // Raw bytes for signatures, in this plugin's scope only.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  // security: per-connection rate limit, in this plugin's scope only (before the body is read).
  await app.register(rateLimit, webhookRateLimit(app.services.connections));
  // Deliveries arriving together share a commit; each is answered once its own is durable.
  const inbox = new InboxWriter(app.services.db);

  app.post(
    '/webhooks/:connection',
    {
      // Tools read JSON, not pages: helmet's per-request header building is skipped here.
      config: { access: 'public', helmet: { skipRoute: true } },
      schema: {
        summary: 'Receives a signed delivery from a tool',
        params: Params,
        response: {
          202: z.object({ accepted: z.boolean(), duplicate: z.boolean() }),
          '4xx': ErrorBody,
          '5xx': ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const name = request.params.connection;
      const connection = app.services.connections.get(name);
      if (!connection) {
        request.log.warn({ connection: name }, 'webhook for an unknown connection: nothing stored');
        recordWebhook(UNKNOWN_CONNECTION, 'refused'); // ops metric
        return reply
          .code(404)
          .send({ error: { code: 'unknown_connection', message: `no connection named "${name}"` } });
      }
      if (!app.runtime.acceptingWebhooks()) {
        recordWebhook(name, 'unavailable'); // ops metric
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: { code: 'shutting_down', message: 'Baton is restarting; retry shortly' } });
      }
      const ctx = connection.context();
      const incoming = webhookRequest(request);
      const handshake = connection.connector.webhook.handshake?.(incoming, ctx);
      if (handshake) {
        // A plain-text echo (Graph's validationToken): sent as is, not JSON-encoded.
        return reply
          .code(handshake.status)
          .type(handshake.contentType)
          .serializer((body: unknown) => String(body))
          .send(handshake.body as never);
      }

      const verdict = connection.connector.webhook.verify(incoming, ctx);
      if (!verdict.ok) {
        request.log.warn({ connection: name, code: verdict.code }, 'webhook refused');
        recordWebhook(name, 'refused'); // ops metric
        return reply.code(verdict.status).send({ error: { code: verdict.code, message: verdict.message } });
      }
      // security: replays older than the inbox remembers are refused by the tool's own timestamp.
      const fresh = checkFreshness(connection.kind, incoming, app.services.now());
      if (!fresh.ok) {
        request.log.warn({ connection: name, code: fresh.code }, 'webhook refused');
        recordWebhook(name, 'refused'); // ops metric
        return reply.code(400).send({ error: { code: fresh.code, message: fresh.message } });
      }
      const malformed = isMalformedJson(incoming);
      let stored: boolean;
      try {
        stored = await inbox.store({
          connection: name,
          deliveryId: verdict.deliveryId,
          event: verdict.event,
          headers: storableHeaders(incoming.headers),
          body: incoming.rawBody,
          ...(malformed
            ? { status: 'failed' as const, error: 'malformed_json: the body is not valid JSON' }
            : {}),
        });
      } catch (error) {
        // Not stored means not acknowledged: the sender keeps it and retries.
        request.log.error({ err: error, connection: name }, 'could not store a webhook delivery');
        recordWebhook(name, 'unavailable'); // ops metric
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: { code: 'storage_unavailable', message: 'delivery not stored; retry later' } });
      }
      recordWebhook(name, malformed ? 'malformed' : stored ? 'accepted' : 'duplicate'); // ops metric
      if (malformed) {
        return reply.code(400).send({
          error: {
            code: 'malformed_json',
            message: 'the body is not valid JSON; kept in the inbox as failed',
          },
        });
      }
      if (stored) app.services.scheduler.drainSoon(name);
      // Sent as ready JSON (the 202 schema above documents it): the schema serializer's
      // validate-then-stringify is skipped on the busiest route.
      return reply
        .code(202)
        .type('application/json; charset=utf-8')
        .send((stored ? ACCEPTED : DUPLICATE) as never);
    },
  );
}
