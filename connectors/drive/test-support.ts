import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectorContext, Json, WebhookRequest } from '../../src/connectors/kit/index.js';
import { createHttpPacer } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { type DriveConfig, DriveConfig as DriveConfigSchema } from './config.js';
import { pullDrive } from './pull.js';

/** Test helpers (not a test file): contexts, pulling to the end, a webhook receiver. */

export interface TestContext extends ConnectorContext<DriveConfig> {
  /** The ids Baton holds, as ingest would leave them: `pullAll` keeps it up to date. */
  known: Set<string>;
  warnings: { obj: object; msg?: string }[];
  sleeps: number[];
  setNow(date: Date): void;
}

/** A context whose pacer never really waits (the waits it asked for are kept in `sleeps`). */
export function testContext(settings: Record<string, unknown>, known: Iterable<string> = []): TestContext {
  const warnings: TestContext['warnings'] = [];
  const sleeps: number[] = [];
  let now = new Date('2024-06-03T09:00:00.000Z');
  let useRealClock = true;
  const knownIds = new Set(known);
  return {
    connection: 'docs',
    config: DriveConfigSchema.parse(settings),
    http: createHttpPacer({
      baseDelayMs: 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
    log: {
      info() {},
      debug() {},
      error() {},
      warn(obj, msg) {
        warnings.push({ obj, msg });
      },
    },
    now: () => (useRealClock ? new Date() : now),
    setNow(date) {
      useRealClock = false;
      now = date;
    },
    publicUrl: 'https://baton.example.com',
    reportRateLimit() {},
    knownExternalIds: async () => new Set(knownIds),
    known: knownIds,
    warnings,
    sleeps,
  };
}

/** Pulls to the end; like ingest, it updates `ctx.known` after each page. */
export async function pullAll(ctx: ConnectorContext<DriveConfig> & { known?: Set<string> }, cursor: Json) {
  const pages: { records: SourceRecord[]; cursor: Json }[] = [];
  for await (const page of pullDrive(ctx, cursor)) {
    pages.push(page);
    for (const r of page.records) {
      if (r.deleted) ctx.known?.delete(r.externalId);
      else ctx.known?.add(r.externalId);
    }
  }
  return {
    pages,
    records: pages.flatMap((p) => p.records),
    cursor: pages.at(-1)?.cursor ?? cursor,
  };
}

/** A loopback HTTP server that keeps every notification POSTed to it, answering 200. */
export async function startReceiver() {
  const received: WebhookRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
      received.push({ headers, query: {}, rawBody: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/docs`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
