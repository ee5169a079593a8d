import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import { Gauge, Registry } from 'prom-client';
import { collectProcessDefaults, observeHttpRequest, processRegistry } from '../../runtime/metrics.js';
import type { Database } from '../../store/schema.js';

/**
 * Gauges read from the database when Prometheus scrapes. Every process serving /metrics reports
 * the same values for them (aggregate with max(), not sum()). Each query is grouped and bounded
 * by what is live, not by history — docs/metrics.md gives the cost of each.
 */
function databaseGauges() {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    up: gauge('baton_metrics_database_up', 'Whether the scrape could read the database (1) or not (0)', []),
    inbox: gauge('baton_inbox_pending', 'Webhook deliveries stored and not yet processed, by connection', [
      'connection',
    ]),
    lag: gauge(
      'baton_connection_sync_lag_seconds',
      'Seconds since the connection last synced successfully (absent until its first success)',
      ['connection'],
    ),
    healthy: gauge('baton_connection_healthy', 'Whether the connection is healthy (1) or not (0)', [
      'connection',
      'kind',
    ]),
    open: gauge('baton_handoffs_open', 'Handoffs waiting on their receiver, by plan', ['plan']),
    stalled: gauge('baton_handoffs_stalled', 'Open handoffs past their SLA, by plan', ['plan']),
    alerts: gauge('baton_alerts', 'Alerts in the alerts table, by channel and status (sent, failed …)', [
      'channel',
      'status',
    ]),
  };
}
type DatabaseGauges = ReturnType<typeof databaseGauges>;

function resetData(gauges: DatabaseGauges): void {
  for (const g of [gauges.inbox, gauges.lag, gauges.healthy, gauges.open, gauges.stalled, gauges.alerts])
    g.reset();
}

async function refresh(gauges: DatabaseGauges, db: Kysely<Database>, plans: string[], now: Date) {
  const [inbox, connections, handoffs, alerts] = await Promise.all([
    // Partial index webhook_inbox_pending: touches pending rows only.
    db
      .selectFrom('webhook_inbox')
      .select(['connection', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', '=', 'pending')
      .groupBy('connection')
      .execute(),
    db.selectFrom('connections').select(['name', 'kind', 'health', 'last_success_at']).execute(),
    // Partial index handoffs_open_plan: touches open handoffs only; one pass for both counts.
    sql<{ plan_key: string; open: string; stalled: string }>`
      select plan_key, count(*) as open, count(*) filter (where sla_due_at <= ${now}) as stalled
      from handoffs where closed_at is null group by plan_key`.execute(db),
    db
      .selectFrom('alerts')
      .select(['channel', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['channel', 'status'])
      .execute(),
  ]);
  resetData(gauges);
  for (const row of inbox) gauges.inbox.set({ connection: row.connection }, Number(row.n));
  for (const row of connections) {
    gauges.healthy.set({ connection: row.name, kind: row.kind }, row.health === 'healthy' ? 1 : 0);
    if (row.last_success_at)
      gauges.lag.set({ connection: row.name }, (now.getTime() - row.last_success_at.getTime()) / 1000);
  }
  for (const plan of plans) {
    gauges.open.set({ plan }, 0);
    gauges.stalled.set({ plan }, 0);
  }
  for (const row of handoffs.rows) {
    gauges.open.set({ plan: row.plan_key }, Number(row.open));
    gauges.stalled.set({ plan: row.plan_key }, Number(row.stalled));
  }
  for (const row of alerts) gauges.alerts.set({ channel: row.channel, status: row.status }, Number(row.n));
}

/**
 * GET /metrics (Prometheus text format) and the HTTP latency hook. Registered with fastify-plugin
 * and before the other routes, so its onResponse hook sees every route of the app.
 */
export const metricsRoutes = fp(
  async (app: FastifyInstance) => {
    collectProcessDefaults();
    const gauges = databaseGauges();

    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });

    // viewer: Prometheus scrapes with a viewer token (scrape_config `authorization`) when auth is on.
    app.get('/metrics', { config: { access: 'viewer' }, schema: { hide: true } }, async (request, reply) => {
      const { db, plans, now } = app.services;
      try {
        await refresh(
          gauges,
          db,
          plans.all().map((p) => p.key),
          now(),
        );
        gauges.up.set(1);
      } catch (error) {
        resetData(gauges); // no stale values: the series go until the database answers again
        gauges.up.set(0);
        request.log.warn({ err: error }, 'metrics: could not read the database; process metrics only');
      }
      const text = (await processRegistry.metrics()) + (await gauges.registry.metrics());
      return reply.type(processRegistry.contentType).send(text);
    });
  },
  { name: 'baton-metrics' },
);
