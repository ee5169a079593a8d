import pino from 'pino';
import { registerAllConnectors } from '../../connectors/index.js';
import jiraConnector from '../../connectors/jira/index.js';
import { contextFor } from '../../src/connectors/kit/harness.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { ConnectionRegistry } from '../../src/runtime/connection-registry.js';
import { growHeapForSyncs } from '../../src/runtime/heap-growth.js';
import { PlanRegistry } from '../../src/runtime/plan-registry.js';
import { ensureConnection } from '../../src/store/connections.repository.js';
import { openDatabase } from '../../src/store/database.js';
import { savePlan } from '../../src/store/plans.repository.js';

/**
 * One measured run in its own process, so peak RSS is the run's own.
 * MODE=ceiling: the connector's pull (fetch, parse, normalise), storing nothing.
 * MODE=baton: syncConnection into the database: ingest, events, derivation, cursor.
 * Both time from the first request of the pull to the last write. With an IPC channel, a baton run
 * then waits for the parent to change 1% of the data and syncs again (INCREMENTAL line).
 */
const settings = JSON.parse(process.env.SETTINGS ?? '{}');
// What the process holds before syncing anything: Node, tsx and the four tool SDKs.
const baselineRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
let started = performance.now();
let records = 0;
if (process.env.MODE === 'ceiling') {
  const ctx = contextFor(jiraConnector, settings);
  for await (const page of jiraConnector.pull(ctx, null)) records += page.records.length;
} else {
  // As `baton worker` and `baton sync` set up their process.
  growHeapForSyncs();
  registerAllConnectors();
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 4 });
  const loaded = await loadMappingFile('mappings/checkout-rollout.yaml');
  if (!loaded.ok) throw new Error('plan does not load');
  const plans = new PlanRegistry([loaded.plan]);
  await savePlan(database.db, loaded.plan);
  const log = pino({ level: 'warn' });
  const registry = new ConnectionRegistry(database.db, log, 'http://127.0.0.1');
  await ensureConnection(database.db, 'jira', 'jira', {});
  const connection = registry.add({
    name: 'jira',
    kind: 'jira',
    pollIntervalSeconds: 300,
    enabled: true,
    settings: jiraConnector.config.parse(settings),
    declared: {},
  });
  // The clock starts where the ceiling's does: at the pull. Opening the pool and loading the plan
  // are process startup, done once by a worker, not part of a sync.
  started = performance.now();
  const outcome = await syncConnection(database.db, plans, connection);
  if (!outcome.ok) throw new Error(`sync failed: ${outcome.message}`);
  report('RESULT', started, outcome.records);
  // The next poll, as the worker that did the full sync makes it (warm, same pool): when the
  // parent has changed the data it says so, and the connection syncs again from its cursor.
  if (process.send) {
    process.send('synced');
    await new Promise((resolve) => process.once('message', resolve));
    const next = performance.now();
    const again = await syncConnection(database.db, plans, connection);
    if (!again.ok) throw new Error(`incremental sync failed: ${again.message}`);
    report('INCREMENTAL', next, again.records);
  }
  await database.close();
  process.exit(0);
}
report('RESULT', started, records);
process.exit(0);

function report(label: string, since: number, count: number) {
  const seconds = (performance.now() - since) / 1000;
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const peakRssMb = Math.round(usage.maxRSS / 1024);
  console.log(
    `${label} ${JSON.stringify({ seconds, records: count, baselineRssMb, peakRssMb, cpuSeconds })}`,
  );
}
