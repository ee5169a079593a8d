import type { Kysely } from 'kysely';
import type { StoredDelivery } from '../connectors/kit/contract.js';
import type { SourceRecord } from '../domain/source-record.js';
import { ingestInTransaction, relaxDurability } from '../ingest/ingest-batch.js';
import type { RuntimeConnection } from '../runtime/connection-registry.js';
import type { PlanRegistry } from '../runtime/plan-registry.js';
import { claimPending, settleDeliveries } from '../store/inbox.repository.js';
import type { Database } from '../store/schema.js';

export interface DrainResult {
  processed: number;
  failed: number;
  /** Some delivery only said "something changed": the caller schedules a pull. */
  pullRequested: boolean;
  /** Lifecycle notices asking the subscription manager to renew or recreate now. */
  subscriptionRequests: { action: 'renew' | 'recreate'; subscriptionIds?: string[] }[];
}

/**
 * Drains one batch of a connection's inbox through the ingest path. Claiming, ingesting and
 * marking the rows happen in one transaction: a crash leaves the rows pending for the next drain.
 */
export async function drainInboxBatch(
  db: Kysely<Database>,
  plans: PlanRegistry,
  connection: RuntimeConnection,
  batchSize = 200,
): Promise<DrainResult> {
  const ctx = connection.context();
  return db.transaction().execute(async (trx) => {
    // Losing this transaction in a crash leaves its deliveries pending: they are drained again.
    await relaxDurability(trx);
    const rows = await claimPending(trx, connection.name, batchSize);
    const records: SourceRecord[] = [];
    const outcomes: { id: string; status: 'done' | 'ignored' | 'failed'; error?: string }[] = [];
    let pullRequested = false;
    const subscriptionRequests: DrainResult['subscriptionRequests'] = [];
    for (const row of rows) {
      const delivery: StoredDelivery = {
        deliveryId: row.delivery_id,
        event: row.event,
        headers: row.headers as Record<string, string>,
        body: row.body,
        receivedAt: row.received_at,
      };
      try {
        const parsed = await connection.connector.webhook.parse(delivery, ctx);
        if (parsed.kind === 'records') {
          records.push(...parsed.records);
          outcomes.push({ id: row.id, status: 'done' });
        } else if (parsed.kind === 'pull') {
          pullRequested = true;
          if (parsed.subscriptions) subscriptionRequests.push(parsed.subscriptions);
          outcomes.push({ id: row.id, status: 'done' });
        } else if (parsed.kind === 'ignored') {
          outcomes.push({ id: row.id, status: 'ignored' });
        } else {
          outcomes.push({ id: row.id, status: 'failed', error: `${parsed.code}: ${parsed.message}` });
        }
      } catch (error) {
        outcomes.push({
          id: row.id,
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (records.length > 0) {
      await ingestInTransaction(trx, plans.readers(connection.name), connection.name, records, {
        origin: 'webhook',
        now: ctx.now(),
      });
    }
    await settleDeliveries(trx, connection.name, outcomes);
    return {
      processed: rows.length,
      failed: outcomes.filter((o) => o.status === 'failed').length,
      pullRequested,
      subscriptionRequests,
    };
  });
}
