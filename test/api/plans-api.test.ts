import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { ensureConnection } from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { gh, record, testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { testApp, testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
const plan = testPlan();
const now = new Date('2026-11-10T12:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  services = await testServices(database, { plans: [plan], now: () => now });
  await ensureConnection(database.db, 'jira', 'jira', {});
  await ensureConnection(database.db, 'github', 'github', {});
  await ingestBatch(
    database.db,
    [plan],
    'jira',
    [
      record({ externalId: '1', key: 'CHK-1', labels: ['design'], state: { raw: 'Done', category: 'done' } }),
      record({
        externalId: '2',
        key: 'CHK-2',
        title: 'Payment API',
        state: { raw: 'In Progress', category: 'in_progress' },
      }),
      record({
        externalId: '3',
        key: 'CHK-3',
        title: 'Fraud rules',
        state: { raw: 'Blocked', category: 'in_progress' },
      }),
    ],
    { origin: 'poll' },
  );
  await ingestBatch(
    database.db,
    [plan],
    'github',
    [
      record({
        externalId: 'acme/checkout#5',
        key: 'acme/checkout#5',
        source: 'github',
        kind: 'pull_request',
        title: 'Apple Pay button',
        labels: ['build'],
        author: gh('mayachen'),
        url: 'https://github.example/acme/checkout/pull/5',
        state: { raw: 'open', category: 'in_progress' },
        updatedAt: '2026-11-09T09:00:00Z',
        activity: [
          {
            id: 'e1',
            kind: 'review_requested',
            actor: gh('mayachen'),
            target: gh('rajp'),
            at: '2026-11-09T09:00:00Z',
          },
        ],
      }),
    ],
    { origin: 'poll' },
  );
  app = await testApp(services);
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

describe('GET /api/plans/:key/status', () => {
  it('shows each phase with its state, progress, owner and who holds the ball', async () => {
    const response = await app.inject('/api/plans/checkout/status');
    expect(response.statusCode).toBe(200);
    const status = response.json();
    expect(status.phases.map((p: { key: string; state: string }) => [p.key, p.state])).toEqual([
      ['design', 'done'],
      ['build', 'active'],
      ['launch', 'blocked'],
    ]);
    const build = status.phases[1];
    expect(build.owner).toEqual({ key: 'raj', name: 'Raj Patel' });
    expect(build.nextOwner).toMatchObject({ person: 'raj', name: 'Raj Patel', kind: 'review' });
    expect(build.blocked).toMatchObject([{ item: { key: 'CHK-3' }, reason: '"Blocked" in jira' }]);
    expect(build.approvalsWaiting).toMatchObject([
      { approver: { person: 'raj' }, item: { url: 'https://github.example/acme/checkout/pull/5' } },
    ]);
    expect(status.phases[0].progress).toBe(1);
  });

  it('flags a handoff open past its SLA as stalled and the plan as at risk', async () => {
    const status = (await app.inject('/api/plans/checkout/status')).json();
    const build = status.phases[1];
    expect(build.stalledHandoffs).toMatchObject([
      { kind: 'review', to: { name: 'Raj Patel' }, ageHours: 27 },
    ]);
    expect(status.plan).toMatchObject({ state: 'at_risk', currentPhase: 'build' });
    expect(status.totals).toMatchObject({ items: 4, stalledHandoffs: 1, approvalsWaiting: 1 });
  });

  it('answers 404 with the error shape for an unknown plan', async () => {
    const response = await app.inject('/api/plans/nope/status');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'no plan "nope"' } });
  });
});

describe('GET /api/plans/:key/items', () => {
  it('pages through items with a cursor', async () => {
    const first = (await app.inject('/api/plans/checkout/items?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await app.inject(`/api/plans/checkout/items?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it('filters by phase and state', async () => {
    const body = (await app.inject('/api/plans/checkout/items?phase=build&state=blocked')).json();
    expect(body.items.map((i: { key: string }) => i.key)).toEqual(['CHK-3']);
  });

  it.each([['limit=0'], ['limit=501'], ['state=sleeping'], ['cursor=%%%']])(
    'refuses %s with 400 and the stable error shape',
    async (query) => {
      const response = await app.inject(`/api/plans/checkout/items?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toMatch(/invalid_request|invalid_cursor/);
    },
  );
});

describe('GET /api/handoffs and /api/connections', () => {
  it('lists stalled handoffs', async () => {
    const body = (await app.inject('/api/handoffs?stalled=true')).json();
    expect(body.handoffs).toMatchObject([
      { plan: 'checkout', phase: 'build', kind: 'review', stalled: true },
    ]);
  });

  it('refuses a stalled flag that is not true or false', async () => {
    expect((await app.inject('/api/handoffs?stalled=maybe')).statusCode).toBe(400);
  });

  it('shows each connection with its items and inbox depth', async () => {
    const body = (await app.inject('/api/connections')).json();
    expect(body.connections).toMatchObject([
      { name: 'github', items: 1, inbox: { pending: 0, failed: 0 } },
      { name: 'jira', items: 3 },
    ]);
  });

  it('serves the OpenAPI description at /docs', async () => {
    const response = await app.inject('/docs/json');
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().paths)).toContain('/api/plans/{key}/status');
  });
});
