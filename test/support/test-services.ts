import pino from 'pino';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import type { ConnectionConfig } from '../../src/config/baton-config.js';
import type { CompiledPlan } from '../../src/domain/plan.js';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { ConnectionRegistry } from '../../src/runtime/connection-registry.js';
import { PlanRegistry } from '../../src/runtime/plan-registry.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { ensureConnection } from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { savePlan } from '../../src/store/plans.repository.js';

export interface TestServicesOptions {
  plans?: CompiledPlan[];
  connections?: ConnectionConfig[];
  now?: () => Date;
}

/** Real services over a test database: real scheduler, registries, no network. */
export async function testServices(
  database: DatabaseHandle,
  options: TestServicesOptions = {},
): Promise<BatonServices> {
  const log = pino({ level: 'silent' });
  const now = options.now ?? (() => new Date());
  const plans = new PlanRegistry(options.plans ?? []);
  for (const plan of options.plans ?? []) await savePlan(database.db, plan);
  const connections = new ConnectionRegistry(database.db, log, 'http://baton.test', now);
  for (const connection of options.connections ?? []) {
    await ensureConnection(database.db, connection.name, connection.kind, connection.declared);
    connections.add(connection);
  }
  const scheduler = await JobScheduler.create(database.pool);
  return { db: database.db, plans, connections, scheduler, log, publicUrl: 'http://baton.test', now };
}

export async function testApp(services: BatonServices): Promise<BatonApp> {
  const app = await buildApp({ services, logger: false, runtime: { workersRunning: () => true } });
  await app.ready();
  return app;
}

export function connectionConfig(name: string, kind: string, settings: unknown = {}): ConnectionConfig {
  return { name, kind, pollIntervalSeconds: 300, enabled: true, settings, declared: {} };
}
