import type { TaskList } from 'graphile-worker';
import { type Kysely, sql } from 'kysely';
import type { BatonServices } from '../runtime/services.js';
import type { Database } from '../store/schema.js';

/**
 * How long Baton remembers a webhook delivery: its inbox row (and with it the unique
 * (connection, delivery_id) that makes a replay a no-op) is kept 30 days after it arrived.
 * Older replays are refused by the tools' timestamps where they send one
 * (src/api/auth/webhook-freshness.ts). Pending rows are never pruned: unprocessed work is not lost.
 */
export const INBOX_RETENTION_DAYS = 30;

/** Hourly, off the minute the other crons use. */
export const RETENTION_CRONTAB = '17 * * * * prune_inbox ?max=1';

const BATCH = 5_000;

/** Deletes settled inbox rows older than the retention window, in batches; returns how many. */
export async function pruneInbox(
  db: Kysely<Database>,
  now: Date,
  retentionDays = INBOX_RETENTION_DAYS,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from webhook_inbox where (connection, id) in (
        select connection, id from webhook_inbox
        where received_at < ${cutoff} and status <> 'pending'
        limit ${BATCH}
      )`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

export function retentionTasks(services: BatonServices): TaskList {
  return {
    async prune_inbox() {
      const deleted = await pruneInbox(services.db, services.now());
      if (deleted > 0) services.log.info({ deleted }, 'old webhook deliveries pruned from the inbox');
    },
  };
}
