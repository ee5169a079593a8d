import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import githubConnector from '../../connectors/github/index.js';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { reviewRequestedSeed } from '../support/github-review-seed.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testServices } from '../support/test-services.js';
import { alertRows, evaluateAndSend, testClock } from './sla-support.js';

// mappings/checkout-rollout.yaml: Priya reviews from Bengaluru, 10:00–18:30 IST; review SLA 8h.
const clock = testClock('2026-11-16T10:00:00Z'); // Monday 15:30 in Bengaluru
let sim: GitHubSimulator;
let database: DatabaseHandle;
let services: BatonServices;

const sync = async () => {
  const outcome = await syncConnection(services.db, services.plans, services.connections.get('github')!);
  expect(outcome).toMatchObject({ ok: true });
};
const handoff = () => database.db.selectFrom('handoffs').selectAll().executeTakeFirstOrThrow();

beforeAll(async () => {
  if (!findConnector('github')) registerConnector(githubConnector);
  const loaded = await loadMappingFile('mappings/checkout-rollout.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  sim = await startGitHubSimulator({
    now: clock.now,
    seed: reviewRequestedSeed(),
  });
  database = await createTestDatabase();
  const settings = githubConnector.config.parse({ ...sim.connectionSettings(), webhookSecret: 'e2e-secret' });
  services = await testServices(database, {
    plans: [loaded.plan],
    connections: [connectionConfig('github', 'github', settings)],
    now: clock.now,
  });
});
afterAll(async () => {
  await services.scheduler.close();
  await database.close();
  await sim.stop();
});

describe('GitHub end to end: a stalled review is chased on the pull request, and snoozed from it', () => {
  it("counts the SLA in the reviewer's business hours and comments on the PR once", async () => {
    await sync();
    // 3h on Monday (15:30–18:30 IST) + 5h on Tuesday from 10:00 IST: due Tuesday 15:00 IST.
    expect((await handoff()).sla_due_at).toEqual(new Date('2026-11-17T09:30:00Z'));
    clock.set('2026-11-17T10:00:00Z');
    expect(await evaluateAndSend(services)).toEqual(['sent']);
    expect(await evaluateAndSend(services)).toEqual([]);
    expect(sim.postedComments).toHaveLength(1);
    const [comment] = sim.postedComments;
    expect(comment).toMatchObject({ repo: 'acme/checkout', number: 42 });
    expect(comment.body).toContain('@priya-r');
    expect(comment.body).toContain('waiting 8 business hours');
    expect(comment.body).toContain('http://baton.test/plans/checkout-rollout');
    expect(await alertRows(services)).toMatchObject([{ status: 'sent', ref: comment.html_url }]);
  });

  it("snoozes the handoff when Priya answers `/baton snooze 1d`, and Baton's own comment changes nothing", async () => {
    clock.set('2026-11-17T10:30:00Z'); // 16:00 IST
    await sim.comment('acme/checkout', 42, { user: 'priya-r', body: '/baton snooze 1d' });
    await sync();
    const snoozed = await handoff();
    expect(snoozed).toMatchObject({ closed_at: null, level: 1 });
    expect(snoozed.snoozed_until).toEqual(new Date('2026-11-18T10:30:00Z')); // one of her working days
    clock.set('2026-11-18T09:45:00Z'); // level 2 (16h) came due Wednesday 14:30 IST, but she snoozed
    expect(await evaluateAndSend(services)).toEqual([]);
    expect(sim.postedComments).toHaveLength(1);
  });
});
