import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTsChild } from './support/child-process.js';
import { snapshotDifferences, snapshotSize, syncSnapshot } from './support/db-snapshot.js';
import { faultSeed, seededRandom } from './support/seeded-random.js';

/**
 * Size: see docs/operations.md ("Fault tests"). FAULT_SYNC_ITEMS and FAULT_SEED override it for
 * a longer or a replayed run.
 */
const ITEMS = Number(process.env.FAULT_SYNC_ITEMS ?? 10_000);
const KILLS = 10;
const PER_PAGE = 100;
const seed = faultSeed();
const CHILD = fileURLToPath(new URL('./support/sync-child.ts', import.meta.url));

let sim: GitHubSimulator;
let clean: DatabaseHandle;
let killed: DatabaseHandle;

beforeAll(async () => {
  // The simulator lives in this process: it survives every kill of the syncing one.
  sim = await startGitHubSimulator({
    generate: { items: ITEMS },
    perPage: PER_PAGE,
    rateLimit: { limit: 1_000_000 },
  });
  [clean, killed] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([clean?.close(), killed?.close()]);
  await sim?.stop();
});

const childEnv = (database: DatabaseHandle) => ({
  FAULT_DB_URL: database.url,
  FAULT_SIM_SETTINGS: JSON.stringify(sim.connectionSettings()),
});

describe('a sync killed with SIGKILL at random points', () => {
  it(`ends with the same items, events, placements and handoffs as a clean sync (${ITEMS} items, ${KILLS} kills, seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const pages = Math.ceil(ITEMS / PER_PAGE);
    // Where each kill lands: after that many pages committed in all, then a random part of a page.
    // A few pages of margin at the end, so no run can finish before its kill lands.
    const targets = Array.from({ length: KILLS }, () => Math.floor(random() * (pages - 3))).sort(
      (a, b) => a - b,
    );
    const delays = Array.from({ length: KILLS }, () => Math.floor(random() * 250));
    console.log(`sync-kill seed ${seed}: kill after pages ${targets.join(',')} + ms ${delays.join(',')}`);

    // The reference: the same sync into another database, never killed, running meanwhile.
    const reference = startTsChild(CHILD, childEnv(clean));
    const referenceDone = reference.waitFor(/^done/, 300_000);
    referenceDone.catch(() => {});

    let committed = 0;
    const kills: string[] = [];
    for (const [k, target] of targets.entries()) {
      const child = startTsChild(CHILD, childEnv(killed));
      const base = committed;
      let reached: () => void;
      const atTarget = new Promise<void>((resolve) => {
        reached = resolve;
      });
      child.onLine((line) => {
        const page = /^page (\d+)$/.exec(line);
        if (page) committed = base + Number(page[1]);
        if ((line === 'start' || page) && committed >= target) reached();
      });
      const outcome = await Promise.race([
        atTarget.then(() => 'target' as const),
        child.exited.then(() => 'exited' as const),
      ]);
      if (outcome === 'exited')
        throw new Error(`sync ended before kill ${k + 1}:\n${child.output.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, delays[k]));
      await child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      kills.push(`#${k + 1} at ${committed} pages`);
    }
    console.log(`sync-kill seed ${seed}: ${kills.join(', ')}`);

    const finish = startTsChild(CHILD, childEnv(killed));
    await Promise.all([finish.waitFor(/^done/, 300_000), referenceDone]);
    await Promise.all([finish.exited, reference.exited]);

    const expected = await syncSnapshot(clean.db, 'github');
    const actual = await syncSnapshot(killed.db, 'github');
    expect(snapshotSize(expected).items).toBe(ITEMS);
    expect(snapshotDifferences(actual, expected)).toEqual([]);
  }, 600_000);
});
