import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import githubConnector from '../../connectors/github/index.js';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import type { BatonApp } from '../../src/api/app.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import type { CompiledPlan } from '../../src/domain/plan.js';
import { drainInboxBatch } from '../../src/jobs/drain-inbox.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { reviewRequestedSeed } from '../support/github-review-seed.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testApp, testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let sim: GitHubSimulator;
let plan: CompiledPlan;
const SECRET = 'e2e-webhook-secret';

interface Phase {
  key: string;
  items: number;
  nextOwner: { name: string; kind: string } | null;
  approvalsWaiting: { approver: { name: string }; item: { key: string } }[];
}

const status = async () =>
  (await app.inject('/api/plans/checkout-rollout/status')).json() as { phases: Phase[] };
const build = async () => (await status()).phases.find((p) => p.key === 'build')!;

beforeAll(async () => {
  if (!findConnector('github')) registerConnector(githubConnector);
  const loaded = await loadMappingFile('mappings/checkout-rollout.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  plan = loaded.plan;
  sim = await startGitHubSimulator({
    seed: reviewRequestedSeed(),
  });
  database = await createTestDatabase();
  const settings = githubConnector.config.parse({ ...sim.connectionSettings(), webhookSecret: SECRET });
  services = await testServices(database, {
    plans: [plan],
    connections: [connectionConfig('github', 'github', settings)],
  });
  app = await testApp(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
  await sim.stop();
});

describe('GitHub end to end: simulator → sync and webhooks → status', () => {
  it('places a pull request in its phase with the review handoff and the approval it waits for', async () => {
    const outcome = await syncConnection(services.db, services.plans, services.connections.get('github')!);
    expect(outcome).toMatchObject({ ok: true });
    const phase = await build();
    expect(phase.items).toBe(1);
    expect(phase.nextOwner).toMatchObject({ name: 'Priya Raman', kind: 'review' });
    expect(phase.approvalsWaiting).toMatchObject([
      { approver: { name: 'Priya Raman' }, item: { key: 'acme/checkout#42' } },
    ]);
    // Every item keeps the tool's payload for audit, as the tool sent it.
    const items = await services.db.selectFrom('items').select(['key', 'raw']).execute();
    expect(items.length).toBeGreaterThan(0);
    for (const item of items)
      expect(JSON.parse(item.raw!)).toMatchObject({ issue: { number: expect.any(Number) } });
  });

  it('grants the approval when an approving review arrives as a signed webhook', async () => {
    const address = app.server.address() as { port: number };
    const webhookSim = await startGitHubSimulator({
      webhook: { url: `http://127.0.0.1:${address.port}/webhooks/github`, secret: SECRET },
    });
    try {
      // The same repository, seen through a simulator that delivers to Baton: seed it with PR 42.
      webhookSim.seed(reviewRequestedSeed());
      await webhookSim.submitReview('acme/checkout', 42, { reviewer: 'priya-r', state: 'approved' });
    } finally {
      await webhookSim.stop();
    }
    const drained = await drainInboxBatch(services.db, services.plans, services.connections.get('github')!);
    expect(drained).toMatchObject({ processed: 1, failed: 0 });
    const phase = await build();
    expect(phase.approvalsWaiting).toEqual([]);
    const approvals = await database.db.selectFrom('approvals').select(['approver_name', 'status']).execute();
    expect(approvals).toEqual([{ approver_name: 'Priya Raman', status: 'approved' }]);
  });

  it('refuses a delivery signed with another secret and stores nothing', async () => {
    const before = await database.db.selectFrom('webhook_inbox').select('id').execute();
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: '{"zen":"Keep it logically awesome."}',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'x-1',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
    });
    expect(response.statusCode).toBe(401);
    expect(await database.db.selectFrom('webhook_inbox').select('id').execute()).toHaveLength(before.length);
  });
});
