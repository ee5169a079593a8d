import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import type { JobScheduler } from '../../src/jobs/scheduler.js';
import { ConnectionRegistry } from '../../src/runtime/connection-registry.js';
import { PlanRegistry } from '../../src/runtime/plan-registry.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { type DatabaseHandle, freePort, openDatabase } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';

/** Services whose pool points at a port nobody listens on: every query fails fast. */
async function unreachableServices(): Promise<{ services: BatonServices; database: DatabaseHandle }> {
  const port = await freePort();
  const database = await openDatabase({ url: `postgres://baton:baton@127.0.0.1:${port}/baton`, poolSize: 1 });
  const log = pino({ level: 'silent' });
  const services: BatonServices = {
    db: database.db,
    plans: new PlanRegistry(),
    connections: new ConnectionRegistry(database.db, log, 'http://baton.test'),
    // makeWorkerUtils needs the database at creation; these routes never schedule a job.
    scheduler: {} as JobScheduler,
    log,
    publicUrl: 'http://baton.test',
    now: () => new Date(),
  };
  return { services, database };
}

describe('readiness when the database is unreachable', () => {
  let app: BatonApp;
  let database: DatabaseHandle;
  beforeAll(async () => {
    const unreachable = await unreachableServices();
    database = unreachable.database;
    app = await buildApp({
      services: unreachable.services,
      logger: false,
      runtime: { workersRunning: () => true },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('answers /readyz with 503 and says the database check failed', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { database: false, migrations: false, workers: true },
    });
  });

  it('still answers /healthz: the process is up', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
  });

  it('still serves /metrics, with the database gauges gone and database_up 0', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^baton_metrics_database_up 0$/m);
    expect(response.body).not.toMatch(/^baton_handoffs_open\{/m);
    expect(response.body).toContain('baton_http_request_duration_seconds_count');
  });
});

describe('readiness with a reachable database', () => {
  let database: DatabaseHandle;
  let services: BatonServices;
  const apps: BatonApp[] = [];
  const appWithWorkers = async (running: boolean) => {
    const app = await buildApp({ services, logger: false, runtime: { workersRunning: () => running } });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    services = await testServices(database);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await services.scheduler.close();
    await database.close();
  });

  it('answers 200 when the database is migrated and workers run', async () => {
    const response = await (await appWithWorkers(true)).inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: true, migrations: true, workers: true },
    });
  });

  it('answers 503 when this process should run workers and they are not running', async () => {
    const response = await (await appWithWorkers(false)).inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({ database: true, migrations: true, workers: false });
  });
});
