import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { drainInboxBatch } from '../../src/jobs/drain-inbox.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { registerFakeConnector, signFake } from '../support/fake-connector.js';
import { record, testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testApp, testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;

const plan = testPlan({
  selectors: [{ connection: 'jira', phase: 'build', matches: () => true }],
  connections: ['jira'],
});

beforeAll(async () => {
  registerFakeConnector();
  database = await createTestDatabase();
  services = await testServices(database, {
    plans: [plan],
    connections: [connectionConfig('jira', 'fake', { secret: 'fake-secret' })],
  });
  app = await testApp(services);
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const body = (externalId: string, title = 'Checkout button') =>
  JSON.stringify({ records: [record({ externalId, title })] });
const post = (payload: string, headers: Record<string, string>, connection = 'jira') =>
  app.inject({
    method: 'POST',
    url: `/webhooks/${connection}`,
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });
const inbox = () => database.db.selectFrom('webhook_inbox').selectAll().orderBy('id').execute();

describe('POST /webhooks/:connection', () => {
  it('stores a verified delivery and answers 202 once it is durable', async () => {
    const payload = body('1');
    const response = await post(payload, { 'x-fake-signature': signFake(payload), 'x-fake-delivery': 'd-1' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: true, duplicate: false });
    expect((await inbox()).map((r) => [r.delivery_id, r.status])).toEqual([['d-1', 'pending']]);
  });

  it('gives a redelivered delivery no second effect', async () => {
    const payload = body('1');
    const response = await post(payload, { 'x-fake-signature': signFake(payload), 'x-fake-delivery': 'd-1' });
    expect(response.json()).toEqual({ accepted: true, duplicate: true });
    expect(await inbox()).toHaveLength(1);
  });

  it('refuses a delivery whose body was changed after signing, storing nothing', async () => {
    const payload = body('2');
    const response = await post(payload.replace('Checkout', 'Checkoot'), {
      'x-fake-signature': signFake(payload),
      'x-fake-delivery': 'd-2',
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('bad_signature');
    expect(await inbox()).toHaveLength(1);
  });

  it('answers 404 for a connection that does not exist, storing nothing', async () => {
    const payload = body('3');
    const response = await post(
      payload,
      { 'x-fake-signature': signFake(payload), 'x-fake-delivery': 'd-3' },
      'nobody',
    );
    expect(response.statusCode).toBe(404);
    expect(await inbox()).toHaveLength(1);
  });

  it('keeps malformed JSON with a valid signature as a failed delivery and answers 400', async () => {
    const payload = '{"records": [';
    const response = await post(payload, { 'x-fake-signature': signFake(payload), 'x-fake-delivery': 'd-4' });
    expect(response.statusCode).toBe(400);
    const row = (await inbox()).find((r) => r.delivery_id === 'd-4');
    expect(row).toMatchObject({ status: 'failed' });
    expect(row?.error).toMatch(/malformed_json/);
  });

  it('drains stored deliveries through the ingest path into the plan', async () => {
    const connection = services.connections.get('jira')!;
    const result = await drainInboxBatch(services.db, services.plans, connection);
    expect(result).toMatchObject({ processed: 1, failed: 0 });
    const placements = await database.db.selectFrom('placements').selectAll().execute();
    expect(placements).toMatchObject([{ external_id: '1', phase_key: 'build' }]);
    expect((await inbox()).find((r) => r.delivery_id === 'd-1')?.status).toBe('done');
  });
});
