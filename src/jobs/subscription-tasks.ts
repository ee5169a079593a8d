import { isDeepStrictEqual } from 'node:util';
import type { TaskList } from 'graphile-worker';
import type { Json } from '../connectors/kit/contract.js';
import type { BatonServices } from '../runtime/services.js';
import { saveSubscription } from '../store/connections.repository.js';

/**
 * Every minute. Cheap: a connector's `renew` calls the tool only for what expires soon (Graph
 * subscriptions, Drive channels); between renewals a run reads one row per connection.
 */
export const SUBSCRIPTION_CRONTAB = '* * * * * renew_subscriptions ?max=1';

/**
 * `renew_subscriptions` without a payload (the cron) asks for one job per connection that has
 * subscriptions; with `{ connection }` it keeps that connection's subscriptions alive. Those jobs
 * share the queue `subs:<name>`, so two processes never create the same subscription twice. The
 * first run in a process calls `ensure` (it also repairs what the tool dropped, or a changed
 * webhook URL after a restart); later runs call `renew`. A failure throws: graphile-worker retries
 * it with backoff and counts it, and the other connections are not held up.
 */
export function subscriptionTasks(services: BatonServices): TaskList {
  const { db, connections, scheduler, log } = services;
  const ensured = new Set<string>();
  return {
    async renew_subscriptions(payload, helpers) {
      const request = payload as {
        connection?: string;
        force?: { action: 'renew' | 'recreate'; subscriptionIds?: string[] };
      } | null;
      const name = request?.connection;
      if (name === undefined) {
        for (const connection of connections.all()) {
          if (!connection.connector.subscriptions || !connection.config.enabled) continue;
          await scheduler.add(
            'renew_subscriptions',
            { connection: connection.name },
            {
              jobKey: `subs:${connection.name}`,
              jobKeyMode: 'preserve_run_at',
              queueName: `subs:${connection.name}`,
              maxAttempts: 5,
            },
          );
        }
        return;
      }
      const connection = connections.get(name);
      const manager = connection?.connector.subscriptions;
      if (!connection || !manager) return;
      const row = await db
        .selectFrom('connections')
        .select('subscription')
        .where('name', '=', name)
        .executeTakeFirst();
      const state = (row?.subscription ?? null) as Json;
      const webhookUrl = `${services.publicUrl}/webhooks/${name}`;
      // Stopping: the call gives up and the job is retried by the next process.
      const ctx = connection.context(helpers.abortSignal);
      const force = request?.force;
      // A lifecycle notice: `recreate` (the tool dropped a subscription) lists and repairs through
      // ensure; `renew` (reauthorization required) renews those subscriptions now.
      const first = state === null || !ensured.has(name) || force?.action === 'recreate';
      const next = first
        ? await manager.ensure(ctx, state, webhookUrl)
        : await manager.renew(
            ctx,
            state,
            webhookUrl,
            force?.action === 'renew' ? { subscriptionIds: force.subscriptionIds ?? [] } : undefined,
          );
      ensured.add(name);
      if (!isDeepStrictEqual(next, state)) {
        await saveSubscription(db, name, next);
        log.info({ connection: name, ensured: first }, 'subscriptions kept alive');
      }
    },
  };
}
