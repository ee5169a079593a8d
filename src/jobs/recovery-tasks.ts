import type { TaskList } from 'graphile-worker';
import type { Kysely } from 'kysely';
import type { Json } from '../connectors/kit/contract.js';
import type { RuntimeConnection } from '../runtime/connection-registry.js';
import type { BatonServices } from '../runtime/services.js';
import { storeDelivery } from '../store/inbox.repository.js';
import type { Database } from '../store/schema.js';

/** Hourly, off the minutes the other crons use: Jira keeps failed deliveries about 72 hours. */
export const RECOVERY_CRONTAB = '43 * * * * recover_webhooks ?max=1';

export interface RecoveryOutcome {
  /** Deliveries new to the inbox (the others had arrived after all). */
  stored: number;
  listed: number;
  supported: boolean;
}

/**
 * Asks a connection's tool for the deliveries it failed to send and stores them in the inbox as
 * pending, as if they had arrived (the tool authenticated the listing; there is no signature to
 * check). Where it continues next time is saved with the connection; a tool that refuses the list
 * to these credentials is not asked again (the periodic pull remains the safety net).
 */
export async function recoverFailedWebhooks(
  db: Kysely<Database>,
  connection: RuntimeConnection,
  signal?: AbortSignal,
): Promise<RecoveryOutcome> {
  const recover = connection.connector.webhook.recoverFailed;
  if (!recover) return { stored: 0, listed: 0, supported: false };
  const row = await db
    .selectFrom('connections')
    .select('webhook_recovery')
    .where('name', '=', connection.name)
    .executeTakeFirst();
  const state = (row?.webhook_recovery ?? null) as Json;
  if ((state as { unsupported?: boolean } | null)?.unsupported)
    return { stored: 0, listed: 0, supported: false };
  const recovered = await recover(connection.context(signal), state);
  let stored = 0;
  for (const delivery of recovered.deliveries) {
    const isNew = await storeDelivery(db, {
      connection: connection.name,
      deliveryId: delivery.deliveryId,
      event: delivery.event,
      headers: delivery.headers,
      body: delivery.body,
    });
    if (isNew) stored++;
  }
  const next = recovered.supported ? recovered.state : { unsupported: true };
  await db
    .updateTable('connections')
    .set({ webhook_recovery: JSON.stringify(next) })
    .where('name', '=', connection.name)
    .execute();
  return { stored, listed: recovered.deliveries.length, supported: recovered.supported };
}

export function recoveryTasks(services: BatonServices): TaskList {
  const { db, connections, scheduler, log } = services;
  return {
    /** Each connection on its own: one tool failing does not hold up the others. */
    async recover_webhooks(_payload, helpers) {
      for (const connection of connections.all()) {
        if (!connection.config.enabled || !connection.connector.webhook.recoverFailed) continue;
        // Stopping: the next hourly run asks again from the position kept so far.
        if (helpers.abortSignal?.aborted) return;
        try {
          const outcome = await recoverFailedWebhooks(db, connection, helpers.abortSignal);
          if (outcome.stored > 0) {
            log.info(
              { connection: connection.name, stored: outcome.stored },
              'failed webhook deliveries recovered',
            );
            await scheduler.drainNow(connection.name);
          }
        } catch (error) {
          if (helpers.abortSignal?.aborted) return;
          log.warn(
            { connection: connection.name, err: error },
            'could not recover failed webhook deliveries',
          );
        }
      }
    },
  };
}
