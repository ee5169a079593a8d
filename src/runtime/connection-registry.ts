import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ConnectionConfig } from '../config/baton-config.js';
import type { Connector, ConnectorContext } from '../connectors/kit/contract.js';
import { createHttpPacer, type HttpPacer, normaliseHeaders } from '../connectors/kit/pacing.js';
import { findConnector } from '../connectors/kit/registry.js';
import { stoppable } from '../connectors/kit/stoppable.js';
import { saveRateLimit } from '../store/connections.repository.js';
import type { Database } from '../store/schema.js';

export interface RuntimeConnection {
  name: string;
  kind: string;
  config: ConnectionConfig;
  connector: Connector;
  context(signal?: AbortSignal): ConnectorContext<unknown>;
}

/**
 * Live connections: one pacer per connection (its own p-queue and backoff), a context factory for
 * connector calls, and rate-limit state written back to the connection's health.
 */
export class ConnectionRegistry {
  readonly #connections = new Map<string, RuntimeConnection>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(config: ConnectionConfig): RuntimeConnection {
    const connector = findConnector(config.kind);
    if (!connector) throw new Error(`unknown connector kind ${config.kind}`);
    const log = this.log.child({ connection: config.name, kind: config.kind });
    let lastRateLimit = 0;
    const reportRateLimit = (state: { limit?: number; remaining?: number; resetAt?: string }) => {
      // Throttled: a busy sync reports on every response.
      if (Date.now() - lastRateLimit < 1000) return;
      lastRateLimit = Date.now();
      saveRateLimit(this.db, config.name, state).catch((error) =>
        log.warn({ err: error }, 'could not save rate limit'),
      );
    };
    const pacer: HttpPacer = createHttpPacer({
      ...connector.pacing,
      onRateLimit: (headers) => {
        const h = normaliseHeaders(headers);
        if (h['x-ratelimit-remaining'] === undefined) return;
        reportRateLimit({
          limit: Number(h['x-ratelimit-limit']),
          remaining: Number(h['x-ratelimit-remaining']),
          resetAt: h['x-ratelimit-reset']
            ? new Date(Number(h['x-ratelimit-reset']) * 1000).toISOString()
            : undefined,
        });
      },
    });
    const runtime: RuntimeConnection = {
      name: config.name,
      kind: config.kind,
      config,
      connector,
      context: (signal) => ({
        connection: config.name,
        config: config.settings,
        http: stoppable(pacer, signal),
        log,
        now: this.now,
        signal,
        publicUrl: this.publicUrl,
        reportRateLimit,
        knownExternalIds: async () => {
          const rows = await this.db
            .selectFrom('items')
            .select('external_id')
            .where('connection', '=', config.name)
            .where('deleted', '=', false)
            .execute();
          return new Set(rows.map((r) => r.external_id));
        },
      }),
    };
    this.#connections.set(config.name, runtime);
    return runtime;
  }

  get(name: string): RuntimeConnection | undefined {
    return this.#connections.get(name);
  }

  all(): RuntimeConnection[] {
    return [...this.#connections.values()];
  }
}
