import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { githubServices } from '../faults/support/github-services.js';
import { createTestDatabase } from '../support/test-database.js';

let sim: GitHubSimulator;
const databases: DatabaseHandle[] = [];
const services: BatonServices[] = [];

beforeAll(async () => {
  sim = await startGitHubSimulator({ generate: { items: 60 }, perPage: 50, rateLimit: { limit: 1_000_000 } });
});
afterAll(async () => {
  for (const s of services) await s.scheduler.close();
  for (const d of databases) await d.close();
  await sim?.stop();
});

async function freshServices(): Promise<BatonServices> {
  const database = await createTestDatabase();
  databases.push(database);
  const s = await githubServices(database, [{ name: 'github', settings: sim.connectionSettings() }]);
  services.push(s);
  return s;
}

/** Manual ANALYZE runs per derived table (autovacuum's own are counted apart). */
async function manualAnalyses(s: BatonServices): Promise<Record<string, number>> {
  const { rows } = await sql<{ relname: string; analyze_count: string }>`
    select relname, analyze_count from pg_stat_user_tables
    where relname in ('placements', 'handoffs', 'approvals')`.execute(s.db);
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.analyze_count)]));
}

describe('planner statistics after a bulk sync', () => {
  it('a sync that writes at least the bulk threshold refreshes the derived tables’ statistics', async () => {
    const s = await freshServices();
    const outcome = await syncConnection(s.db, s.plans, s.connections.get('github')!, { analyzeAfter: 20 });
    expect(outcome.ok && outcome.applied).toBeGreaterThanOrEqual(20);
    expect(await manualAnalyses(s)).toEqual({ placements: 1, handoffs: 1, approvals: 1 });
    const { rows } = await sql<{ reltuples: number; n: number }>`
      select c.reltuples, (select count(*)::int from placements) as n
      from pg_class c where c.relname = 'placements'`.execute(s.db);
    expect(rows[0].reltuples).toBe(rows[0].n);
  });

  it('a smaller sync leaves statistics to autovacuum', async () => {
    const s = await freshServices();
    const outcome = await syncConnection(s.db, s.plans, s.connections.get('github')!);
    expect(outcome.ok && outcome.applied).toBeGreaterThan(0);
    expect(await manualAnalyses(s)).toEqual({ placements: 0, handoffs: 0, approvals: 0 });
  });
});
