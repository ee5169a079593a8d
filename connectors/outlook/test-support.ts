import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectorContext, Json, PullPage, WebhookRequest } from '../../src/connectors/kit/index.js';
import { createHttpPacer } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { OutlookConfig } from './config.js';
import { outlookConnector } from './index.js';

/** Helpers shared by this folder's tests (not loaded by the connector). */

export interface TestContext extends ConnectorContext<OutlookConfig> {
  /** Waits the pacer asked for, in ms (no real sleeping). */
  waits: number[];
  setNow(date: Date): void;
}

export function testContext(
  settings: Record<string, unknown>,
  options: { known?: Set<string>; now?: Date } = {},
): TestContext {
  const waits: number[] = [];
  let now = options.now;
  const ctx: TestContext = {
    connection: 'outlook-test',
    config: OutlookConfig.parse(settings),
    http: createHttpPacer({
      baseDelayMs: 1,
      sleep: async (ms) => {
        waits.push(ms);
      },
    }),
    log: { info() {}, warn() {}, error() {}, debug() {} },
    now: () => now ?? new Date(),
    publicUrl: 'http://127.0.0.1:8080',
    reportRateLimit() {},
    knownExternalIds: async () => new Set(options.known ?? []),
    waits,
    setNow(date) {
      now = date;
    },
  };
  return ctx;
}

export async function pullAll(
  ctx: ConnectorContext<OutlookConfig>,
  cursor: Json,
): Promise<{ pages: PullPage[]; records: SourceRecord[]; cursor: Json }> {
  const pages: PullPage[] = [];
  for await (const page of outlookConnector.pull(ctx, cursor)) pages.push(page);
  return { pages, records: pages.flatMap((p) => p.records), cursor: pages.at(-1)?.cursor ?? cursor };
}

/**
 * A webhook receiver standing in for Baton's route: answers Graph's validation handshake through
 * the connector's own `handshake`, and records every other delivery as Baton would receive it.
 */
export interface Receiver {
  url: string;
  deliveries: WebhookRequest[];
  stop(): Promise<void>;
}

export async function startReceiver(ctx: ConnectorContext<OutlookConfig>): Promise<Receiver> {
  const deliveries: WebhookRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: WebhookRequest = {
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        ),
        query: Object.fromEntries(url.searchParams),
        rawBody: Buffer.concat(chunks),
      };
      const reply = outlookConnector.webhook.handshake?.(request, ctx) ?? null;
      if (reply) {
        res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
        return;
      }
      deliveries.push(request);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks/outlook-test`,
    deliveries,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
