import { Logger as GraphileLogger, type Runner, run, type TaskList } from 'graphile-worker';
import type pg from 'pg';
import { observedJobEvents } from '../runtime/metrics.js';
import type { BatonServices } from '../runtime/services.js';
import { drainInboxBatch } from './drain-inbox.js';
import { RECOVERY_CRONTAB, recoveryTasks } from './recovery-tasks.js';
import { rederivePlan } from './rederive-plan.js';
import { RETENTION_CRONTAB, retentionTasks } from './retention-tasks.js'; // security: inbox retention
import { evaluateSoon, SLA_CRONTAB, slaTasks } from './sla-tasks.js';
import { SUBSCRIPTION_CRONTAB, subscriptionTasks } from './subscription-tasks.js';
import { syncConnection } from './sync-connection.js';
import { WorkerLiveness } from './worker-liveness.js';

// Large enough to amortise a burst; small enough to stay well under Postgres's bind-parameter limit.
const DRAIN_BATCH = 500;

/** Every task Baton runs in the background, by name. */
export function batonTasks(services: BatonServices, extra: TaskList = {}): TaskList {
  const { db, plans, connections, scheduler, log } = services;
  return {
    async poll(payload, helpers) {
      const name = (payload as { connection: string }).connection;
      const connection = connections.get(name);
      if (!connection?.config.enabled) return;
      // Shutting down: stop after the page being written; its cursor is committed, another process continues.
      const outcome = await syncConnection(db, plans, connection, { signal: helpers.abortSignal });
      if (outcome.applied > 0) await evaluateSoon(scheduler);
      if (helpers.abortSignal?.aborted) return scheduler.pollAt(name, new Date());
      const interval = connection.config.pollIntervalSeconds * 1000;
      // A failing connection is retried slowly and never blocks the others.
      const next = outcome.ok
        ? new Date(Date.now() + interval)
        : (outcome.retryAt ??
          new Date(Date.now() + Math.max(interval, outcome.code === 'auth_failed' ? 900_000 : 60_000)));
      await scheduler.pollAt(name, next);
    },

    async drain_inbox(payload, helpers) {
      const name = (payload as { connection: string }).connection;
      const connection = connections.get(name);
      if (!connection) {
        log.warn({ connection: name }, 'inbox holds deliveries for a connection that is not configured');
        return;
      }
      let pull = false;
      let processed = 0;
      const lifecycle: Awaited<ReturnType<typeof drainInboxBatch>>['subscriptionRequests'] = [];
      for (;;) {
        const result = await drainInboxBatch(db, plans, connection, DRAIN_BATCH);
        pull ||= result.pullRequested;
        lifecycle.push(...result.subscriptionRequests);
        processed += result.processed;
        if (result.processed < DRAIN_BATCH) break;
        if (helpers.abortSignal?.aborted) {
          await scheduler.drainNow(name); // shutting down: the rest is drained by another process
          break;
        }
      }
      if (processed > 0) await evaluateSoon(scheduler);
      if (pull) await scheduler.pollAt(name, new Date());
      for (const force of lifecycle) {
        await scheduler.add(
          'renew_subscriptions',
          { connection: name, force },
          { queueName: `subs:${name}`, maxAttempts: 5 },
        );
      }
    },

    async rederive_plan(payload) {
      const key = (payload as { plan: string }).plan;
      const plan = plans.get(key);
      if (!plan) return;
      const { items } = await rederivePlan(db, plan);
      log.info({ plan: key, items }, 'plan re-derived from stored items');
    },

    /** Once a minute: a safety net for inboxes left pending and poll chains that broke. */
    async sweep() {
      const pending = await db
        .selectFrom('webhook_inbox')
        .select('connection')
        .distinct()
        .where('status', '=', 'pending')
        .execute();
      for (const { connection } of pending) await scheduler.drainNow(connection);
      const rows = await db.selectFrom('connections').select(['name', 'last_sync_at']).execute();
      for (const connection of connections.all()) {
        const last = rows.find((r) => r.name === connection.name)?.last_sync_at;
        const overdue =
          !last || Date.now() - last.getTime() > 2 * connection.config.pollIntervalSeconds * 1000 + 60_000;
        if (overdue) await scheduler.pollAt(connection.name, new Date(), 'preserve_run_at');
      }
    },
    ...slaTasks(services),
    ...subscriptionTasks(services),
    ...retentionTasks(services), // security: prune_inbox
    ...recoveryTasks(services),
    ...extra,
  };
}

export interface WorkerOptions {
  pool: pg.Pool;
  concurrency?: number;
  tasks?: TaskList;
}

/** Starts graphile-worker on the same Postgres; stop() finishes or releases jobs in flight. */
export async function startWorker(services: BatonServices, options: WorkerOptions): Promise<Runner> {
  const { log } = services;
  const logger = new GraphileLogger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    log[method]({ scope: { label: scope.label, task: scope.taskIdentifier }, ...meta }, message);
  });
  const events = observedJobEvents(); // ops metrics: job latency and failures by task
  // Before run(): it must hear every worker being created.
  const liveness = await WorkerLiveness.start(options.pool, events, log);
  const runner = await run({
    pgPool: options.pool,
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    // A stop gives jobs 2 s to finish on their own, then aborts them: a poll stops after the page it
    // is writing, a send gives its alert back. (Default 5 s; with the API's own drain that left a
    // stop close to the 10 s a container gets before it is killed.)
    gracefulShutdownAbortTimeout: 2_000,
    pollInterval: 1000,
    logger,
    events,
    taskList: batonTasks(services, options.tasks),
    crontab: [
      '* * * * * sweep ?max=1',
      SLA_CRONTAB,
      RETENTION_CRONTAB,
      SUBSCRIPTION_CRONTAB,
      RECOVERY_CRONTAB,
    ].join('\n'), // security: + retention
  }).catch(async (error) => {
    await liveness.close();
    throw error;
  });
  log.info({ workers: liveness.held() }, 'worker started');
  // The locks go only once every job of this runner is finished or released.
  const release = () => liveness.close();
  runner.promise.then(release, release);
  return runner;
}
