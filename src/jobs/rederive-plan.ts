import type { Kysely } from 'kysely';
import type { CompiledPlan } from '../domain/plan.js';
import { deriveForPlan } from '../ingest/derive-plans.js';
import { notifyChange } from '../store/change-feed.js';
import { itemsOfConnection, recordFromRow } from '../store/items.repository.js';
import type { Database } from '../store/schema.js';

/**
 * Re-derives a plan from stored items after its mapping changed: no refetch from the tools.
 * Rows of connections the plan no longer reads are removed.
 */
export async function rederivePlan(db: Kysely<Database>, plan: CompiledPlan): Promise<{ items: number }> {
  let items = 0;
  for (const table of ['placements', 'handoffs', 'approvals'] as const) {
    let query = db.deleteFrom(table).where('plan_key', '=', plan.key);
    if (plan.connections.length > 0) query = query.where('connection', 'not in', plan.connections);
    await query.execute();
  }
  for (const connection of plan.connections) {
    for await (const rows of itemsOfConnection(db, connection)) {
      await db.transaction().execute((trx) => deriveForPlan(trx, plan, connection, rows.map(recordFromRow)));
      items += rows.length;
    }
  }
  await notifyChange(db, `p:${plan.key}`);
  return { items };
}
