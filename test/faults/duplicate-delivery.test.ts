import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { drainInboxBatch } from '../../src/jobs/drain-inbox.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { testApp } from '../support/test-services.js';
import { issueDelivery, postDelivery } from './support/github-delivery.js';
import { githubServices } from './support/github-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let baseUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = await githubServices(database, [
    {
      name: 'github',
      settings: { repos: ['acme/checkout'], token: 'unused', baseUrl: 'http://127.0.0.1:9' },
    },
  ]);
  app = await testApp(services);
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const drainers = () => {
  const connection = services.connections.get('github')!;
  // Two workers draining at once, as two processes would.
  return Promise.all([0, 1].map(() => drainInboxBatch(services.db, services.plans, connection)));
};

describe('the same delivery posted 20 times at once', () => {
  it('is stored once, acknowledged every time, and has one effect', async () => {
    const delivery = issueDelivery(501, { title: 'Checkout times out for EU cards', id: 'same-delivery-1' });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => postDelivery(baseUrl, delivery)));
    expect(statuses).toEqual(Array(20).fill(202));

    const inbox = await database.db
      .selectFrom('webhook_inbox')
      .select('status')
      .where('delivery_id', '=', delivery.id)
      .execute();
    expect(inbox).toHaveLength(1);

    const drained = await drainers();
    expect(drained.reduce((n, d) => n + d.processed, 0)).toBe(1);
    // A late redelivery after processing changes nothing either.
    expect(await postDelivery(baseUrl, delivery)).toBe(202);
    await drainers();

    const events = await database.db
      .selectFrom('item_events')
      .select(['kind', 'origin'])
      .where('external_id', '=', 'acme/checkout#501')
      .execute();
    expect(events).toEqual([{ kind: 'created', origin: 'webhook' }]);
    const rows = await database.db.selectFrom('webhook_inbox').select('status').execute();
    expect(rows).toEqual([{ status: 'done' }]);
  });
});
