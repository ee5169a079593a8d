import type { Runner } from 'graphile-worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import type { BatonApp } from '../../src/api/app.js';
import { startWorker } from '../../src/jobs/worker.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { testApp } from '../support/test-services.js';
import { githubServices } from './support/github-services.js';
import { waitUntil } from './support/wait-until.js';

let sim: GitHubSimulator;
let database: DatabaseHandle;
let services: BatonServices;
let runner: Runner;
let app: BatonApp;

beforeAll(async () => {
  sim = await startGitHubSimulator({ generate: { items: 30 } });
  database = await createTestDatabase();
  services = await githubServices(database, [
    { name: 'github', settings: sim.connectionSettings(), pollIntervalSeconds: 1 },
    {
      name: 'github-revoked',
      settings: { ...sim.connectionSettings(), token: 'ghp_revoked' },
      pollIntervalSeconds: 1,
    },
  ]);
  runner = await startWorker(services, { pool: database.pool, concurrency: 2 });
  for (const name of ['github', 'github-revoked']) await services.scheduler.pollAt(name, new Date());
  app = await testApp(services);
});
afterAll(async () => {
  await runner?.stop();
  await app?.close();
  await services?.scheduler.close();
  await database?.close();
  await sim?.stop();
});

const connection = (name: string) =>
  database.db.selectFrom('connections').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
const itemCount = async (name: string) =>
  Number(
    (
      await database.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('connection', '=', name)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a connection whose credentials are refused', () => {
  it('is marked unhealthy with the reason and retried slowly, while the other keeps syncing', async () => {
    await waitUntil(
      async () => (await connection('github-revoked')).health === 'unhealthy',
      20_000,
      'the 401',
    );
    const revoked = await connection('github-revoked');
    expect(revoked).toMatchObject({ last_error_code: 'auth_failed' });
    expect(revoked.last_error).toMatch(/401/);
    const next = await sql<{ run_at: Date }>`
      select run_at from graphile_worker.jobs where key = 'poll:github-revoked'`.execute(database.db);
    expect(next.rows[0].run_at.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    // The healthy connection goes on polling every second: a new issue arrives with no webhook.
    await waitUntil(async () => (await itemCount('github')) === 30, 20_000, 'the first sync');
    await sim.createIssue('acme/checkout', { title: 'Arrives by poll', user: 'alice' });
    await waitUntil(async () => (await itemCount('github')) === 31, 20_000, 'the next poll');
    expect(await itemCount('github-revoked')).toBe(0);
    // One refused call: 401 is final, never retried in a loop against the tool.
    expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('shows each connection’s health, error, lag, rate limit and inbox depth to operators', async () => {
    const response = await app.inject('/api/connections');
    const byName = Object.fromEntries(
      (response.json() as { connections: { name: string }[] }).connections.map((c) => [c.name, c]),
    );
    expect(byName['github-revoked']).toMatchObject({
      health: 'unhealthy',
      lastSuccessAt: null,
      lastError: { code: 'auth_failed', message: expect.stringMatching(/401/) },
      inbox: { pending: 0, failed: 0 },
    });
    expect(byName.github).toMatchObject({
      health: 'healthy',
      lagSeconds: expect.any(Number),
      lastError: null,
      rateLimit: { limit: 5000, remaining: expect.any(Number) },
      items: 31,
      inbox: { pending: 0, failed: 0 },
    });
  });
});
