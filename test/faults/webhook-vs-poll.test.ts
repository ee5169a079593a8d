import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../connectors/github/simulator/deliveries.js';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import type { BatonApp } from '../../src/api/app.js';
import { drainInboxBatch } from '../../src/jobs/drain-inbox.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { testApp } from '../support/test-services.js';
import { githubServices, WEBHOOK_SECRET } from './support/github-services.js';

const REPO = 'acme/checkout';
let now = Date.parse('2026-11-16T09:00:00Z');
const tick = () => {
  now += 60_000;
};
let sim: GitHubSimulator;
let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;

beforeAll(async () => {
  // Deliveries are recorded, not sent: the test decides which arrive, late or never.
  sim = await startGitHubSimulator({
    now: () => new Date(now),
    webhook: { secret: WEBHOOK_SECRET },
    seed: {
      users: [{ login: 'samiyer' }, { login: 'priya-r' }],
      repos: [{ full_name: REPO, issues: [], pulls: [] }],
    },
  });
  database = await createTestDatabase();
  services = await githubServices(database, [{ name: 'github', settings: sim.connectionSettings() }]);
  app = await testApp(services);
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
  await sim.stop();
});

const poll = async () => {
  const outcome = await syncConnection(services.db, services.plans, services.connections.get('github')!);
  expect(outcome).toMatchObject({ ok: true });
};
const deliver = async (delivery: DeliveryRecord) => {
  const response = await app.inject({
    method: 'POST',
    url: '/webhooks/github',
    payload: delivery.request.rawBody,
    headers: delivery.request.headers as Record<string, string>,
  });
  expect(response.statusCode).toBe(202);
  await drainInboxBatch(services.db, services.plans, services.connections.get('github')!);
};
const item = (n: number) =>
  database.db
    .selectFrom('items')
    .select(['title', 'raw_state', 'source_updated_at'])
    .where('external_id', '=', `${REPO}#${n}`)
    .executeTakeFirst();
const events = (n: number) =>
  database.db
    .selectFrom('item_events')
    .select(['kind', 'origin'])
    .where('external_id', '=', `${REPO}#${n}`)
    .execute();

describe('webhooks and polls disagreeing', () => {
  it('keeps what a poll stored when a webhook carrying older data arrives after it', async () => {
    const issue = await sim.createIssue(REPO, { title: 'Apple Pay button', user: 'samiyer' });
    tick();
    await sim.editIssue(REPO, issue.number, { title: 'Apple Pay button on Safari', by: 'samiyer' });
    tick();
    await sim.editIssue(REPO, issue.number, {
      title: 'Apple Pay button on Safari and Chrome',
      by: 'samiyer',
    });
    await poll();
    const polled = await item(issue.number);
    expect(polled?.title).toBe('Apple Pay button on Safari and Chrome');

    // The two older deliveries arrive late, newest first then oldest.
    const [opened, firstEdit] = sim.deliveries;
    await deliver(firstEdit);
    await deliver(opened);
    expect(await item(issue.number)).toEqual(polled);
    expect(await events(issue.number)).toEqual([{ kind: 'created', origin: 'poll' }]);
  });

  it('catches up on a poll after webhooks that never arrived', async () => {
    const seen = sim.deliveries.length;
    tick();
    await sim.editIssue(REPO, 1, { title: 'Apple Pay button everywhere', by: 'priya-r' });
    tick();
    await sim.close(REPO, 1, { by: 'priya-r' });
    tick();
    const pull = await sim.openPullRequest(REPO, {
      title: 'CHK-12 Apple Pay on Chrome',
      user: 'samiyer',
      head: 'feature/CHK-12-chrome',
    });
    tick();
    await sim.requestReview(REPO, pull.number, { reviewer: 'priya-r', by: 'samiyer' });
    expect(sim.deliveries.length - seen).toBe(4); // none of them delivered

    await poll();
    expect(await item(1)).toMatchObject({ title: 'Apple Pay button everywhere', raw_state: 'closed' });
    const stored = await database.db
      .selectFrom('items')
      .select('external_id')
      .orderBy('external_id')
      .execute();
    expect(stored.map((r) => r.external_id)).toEqual([...sim.liveIds()].sort());
    const handoffs = await database.db
      .selectFrom('handoffs')
      .select(['external_id', 'kind', 'to_name', 'closed_at'])
      .where('external_id', '=', `${REPO}#${pull.number}`)
      .execute();
    expect(handoffs).toEqual([
      { external_id: `${REPO}#${pull.number}`, kind: 'review', to_name: 'Priya Raman', closed_at: null },
    ]);
  });
});
