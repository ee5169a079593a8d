import { Logger, runOnce, type TaskList } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import outlookConnector from '../../connectors/outlook/index.js';
import { type GraphSimulator, startOutlookSimulator } from '../../connectors/outlook/simulator.js';
import type { BatonApp } from '../../src/api/app.js';
import type { Connector } from '../../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import { subscriptionTasks } from '../../src/jobs/subscription-tasks.js';
import { batonTasks } from '../../src/jobs/worker.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { type DatabaseHandle, freePort } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testApp, testServices } from '../support/test-services.js';

const MINUTE = 60_000;
let clock = new Date('2024-03-04T09:00:00Z');
let sim: GraphSimulator;
let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
const silent = new Logger(() => () => {});

beforeAll(async () => {
  if (!findConnector('outlook')) registerConnector(outlookConnector as Connector);
  sim = await startOutlookSimulator({ now: () => clock, seed: { mailboxes: [{ user: 'pm@contoso.com' }] } });
  database = await createTestDatabase();
  const settings = outlookConnector.config.parse(sim.connectionSettings());
  const port = await freePort();
  services = {
    ...(await testServices(database, {
      now: () => clock,
      connections: [connectionConfig('outlook', 'outlook', settings)],
    })),
    // Graph checks the notification URL by calling it: Baton's own webhook route answers.
    publicUrl: `http://127.0.0.1:${port}`,
  };
  app = await testApp(services);
  await app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
  await sim.stop();
});

/** What the minute's cron does in one worker process: the fan-out job, then each connection's job. */
async function cronTick(tasks: TaskList) {
  await services.scheduler.add('renew_subscriptions', {});
  await runOnce({ pgPool: database.pool, taskList: tasks, logger: silent });
}
const stored = async () =>
  (
    (await database.db.selectFrom('connections').select('subscription').executeTakeFirstOrThrow())
      .subscription as { subscriptions: { id: string; expirationDateTime: string }[] } | null
  )?.subscriptions ?? [];
const patches = () => sim.requests.filter((r) => r.method === 'PATCH').length;

describe('subscription renewal', () => {
  it('is a worker task on the crontab', () => {
    expect(Object.keys(batonTasks(services))).toContain('renew_subscriptions');
  });

  it('subscribes on the first run, at Baton’s webhook URL, and keeps the state on the connection', async () => {
    const process1 = subscriptionTasks(services);
    await cronTick(process1);
    expect(sim.subscriptions().map((s) => s.notificationUrl)).toEqual(
      Array(3).fill(`${services.publicUrl}/webhooks/outlook`),
    );
    expect((await stored()).map((s) => s.id).sort()).toEqual(
      sim
        .subscriptions()
        .map((s) => s.id)
        .sort(),
    );

    // A minute later nothing is due: no call to Graph at all.
    const calls = sim.requests.length;
    clock = new Date(clock.getTime() + MINUTE);
    await cronTick(process1);
    expect(sim.requests.length).toBe(calls);

    // A day before expiry: each subscription is extended, and the new expiry is stored.
    clock = new Date(clock.getTime() + (4_230 - 1_000) * MINUTE);
    await cronTick(process1);
    expect(patches()).toBe(3);
    const expiry = new Date(clock.getTime() + 4_230 * MINUTE).toISOString();
    expect((await stored()).map((s) => s.expirationDateTime)).toEqual(Array(3).fill(expiry));
  });

  it('repairs on the first run after a restart what Graph dropped meanwhile', async () => {
    const dropped = (await stored())[0].id;
    await sim.lifecycle('subscriptionRemoved', dropped);
    expect(sim.subscriptions()).toHaveLength(2);

    await cronTick(subscriptionTasks(services)); // a new process: ensure, not renew
    expect(sim.subscriptions()).toHaveLength(3);
    const ids = (await stored()).map((s) => s.id);
    expect(ids).not.toContain(dropped);
    expect(ids.sort()).toEqual(
      sim
        .subscriptions()
        .map((s) => s.id)
        .sort(),
    );
  });
});
