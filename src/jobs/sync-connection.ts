import type { Kysely } from 'kysely';
import { scrubSecrets, secretValues } from '../config/secret-box.js';
import { ConnectorHttpError } from '../connectors/kit/pacing.js';
import { ingestBatch } from '../ingest/ingest-batch.js';
import { prepareForIngest } from '../ingest/item-changes.js';
import type { RuntimeConnection } from '../runtime/connection-registry.js';
import type { PlanRegistry } from '../runtime/plan-registry.js';
import { markHealthy, markUnhealthy, readCursor } from '../store/connections.repository.js';
import type { Database } from '../store/schema.js';
import { refreshDerivedStatistics } from '../store/statistics.js';
import { batchedPages } from './page-batches.js';

export interface SyncProgress {
  pages: number;
  records: number;
  applied: number;
}

export type SyncOutcome =
  | ({ ok: true } & SyncProgress)
  | ({ ok: false; code: string; message: string; retryAt?: Date } & SyncProgress);

/** Items a sync must write before it refreshes the planner's statistics itself (a first sync). */
const BULK_SYNC_ITEMS = 5_000;

/**
 * One incremental pull of a connection from its stored cursor. Each batch of pages and the
 * cursor after it commit together, so a crash at any point resumes without loss. Failures mark the
 * connection unhealthy with the reason; they never throw past here.
 */
export async function syncConnection(
  db: Kysely<Database>,
  plans: PlanRegistry,
  connection: RuntimeConnection,
  options: {
    signal?: AbortSignal;
    onPage?: (progress: SyncProgress) => void;
    /** Items written at or above which the sync ends by refreshing table statistics. */
    analyzeAfter?: number;
  } = {},
): Promise<SyncOutcome> {
  const progress: SyncProgress = { pages: 0, records: 0, applied: 0 };
  const ctx = connection.context(options.signal);
  try {
    const cursor = await readCursor(db, connection.name);
    const pages = batchedPages(connection.connector.pull(ctx, cursor), {
      onArrival: (page) => prepareForIngest(page.records),
    });
    for await (const page of pages) {
      options.signal?.throwIfAborted();
      const result = await ingestBatch(db, plans.readers(connection.name), connection.name, page.records, {
        origin: 'poll',
        cursor: page.cursor,
        now: ctx.now(),
      });
      progress.pages += page.pages;
      progress.records += page.records.length;
      progress.applied += result.applied;
      options.onPage?.({ ...progress });
    }
    await markHealthy(db, connection.name);
    if (progress.applied >= (options.analyzeAfter ?? BULK_SYNC_ITEMS)) {
      // A bulk load outgrew the statistics autovacuum will take a while to refresh.
      await refreshDerivedStatistics(db).catch((error: unknown) =>
        ctx.log.warn({ err: error, connection: connection.name }, 'could not refresh table statistics'),
      );
    }
    return { ok: true, ...progress };
  } catch (error) {
    // Stopped on purpose (shutdown): the connection is not at fault and its health stays as it was.
    if (options.signal?.aborted) return { ok: false, code: 'aborted', message: 'sync stopped', ...progress };
    const code = error instanceof ConnectorHttpError ? error.code : 'sync_failed';
    // A tool (or a proxy) may echo credentials in its error text: never store or log them.
    const message = scrubSecrets(
      error instanceof Error ? error.message : String(error),
      secretValues(connection.config.settings),
    );
    await markUnhealthy(db, connection.name, code, message).catch(() => {});
    ctx.log.warn({ code, err: message }, 'sync failed');
    return {
      ok: false,
      code,
      message,
      retryAt: error instanceof ConnectorHttpError ? error.retryAt : undefined,
      ...progress,
    };
  }
}
