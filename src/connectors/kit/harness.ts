import type { SourceRecord } from '../../domain/source-record.js';
import type { Connector, ConnectorContext, Json } from './contract.js';
import { createHttpPacer } from './pacing.js';

/**
 * Running a connector outside Baton's runtime: a context with quiet logging and fast backoff, and
 * a pull collected to its end. The contract suite, connector tests and benchmarks use it.
 */
export function contextFor(
  connector: Connector,
  settings: Record<string, unknown>,
  known: Set<string> = new Set(),
  name = 'contract',
): ConnectorContext<any> {
  const silent = { info() {}, warn() {}, error() {}, debug() {} };
  return {
    connection: name,
    config: connector.config.parse(settings),
    http: createHttpPacer({ maxInlineWaitMs: 5_000, baseDelayMs: 10 }),
    log: silent,
    now: () => new Date(),
    publicUrl: 'http://127.0.0.1:8080',
    reportRateLimit() {},
    knownExternalIds: async () => new Set(known),
  };
}

export async function collectPull(
  connector: Connector,
  ctx: ConnectorContext<any>,
  cursor: Json,
): Promise<{ pages: { records: SourceRecord[]; cursor: Json }[]; records: SourceRecord[]; cursor: Json }> {
  const pages: { records: SourceRecord[]; cursor: Json }[] = [];
  let last = cursor;
  for await (const page of connector.pull(ctx, cursor)) {
    pages.push(page);
    last = page.cursor;
  }
  return { pages, records: pages.flatMap((p) => p.records), cursor: last };
}
