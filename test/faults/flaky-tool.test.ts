import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { snapshotDifferences, syncSnapshot } from './support/db-snapshot.js';
import { type Fault, type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.js';
import { githubServices, registerGitHub } from './support/github-services.js';
import { faultSeed, seededRandom } from './support/seeded-random.js';

const ITEMS = 400;
/** The tool misbehaves for this many requests, then recovers. */
const FAULTY_REQUESTS = 400;
const KINDS: Fault[] = ['500', '429', 'stall', 'stall-body', 'truncate', 'garble'];
/** Cut bodies come more often: they are the fault a client can mistake for an answer. */
const MIX: Fault[] = [...KINDS, 'truncate', 'truncate', 'garble'];
const seed = faultSeed();

let sim: GitHubSimulator;
let proxy: FaultyProxy;
let faulty: DatabaseHandle;
let reference: DatabaseHandle;
let services: BatonServices;
let referenceServices: BatonServices;

beforeAll(async () => {
  // A stalled call is given up after 1.5 s here (60 s by default) so the test stays short.
  registerGitHub({ timeoutMs: 1_500 });
  sim = await startGitHubSimulator({
    generate: { items: ITEMS },
    perPage: 50,
    rateLimit: { limit: 1_000_000 },
  });
  const random = seededRandom(seed);
  // One of each kind early, then one request in ten at random, until the tool recovers.
  proxy = await startFaultyProxy(sim.baseUrl, (n) => {
    if (n > FAULTY_REQUESTS) return undefined;
    if (n % 20 === 0 && n / 20 <= KINDS.length) return KINDS[n / 20 - 1];
    return random() < 0.1 ? MIX[Math.floor(random() * MIX.length)] : undefined;
  });
  [faulty, reference] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  services = await githubServices(faulty, [
    { name: 'github', settings: { ...sim.connectionSettings(), baseUrl: proxy.url } },
  ]);
  referenceServices = await githubServices(reference, [
    { name: 'github', settings: sim.connectionSettings() },
  ]);
});
afterAll(async () => {
  await services?.scheduler.close();
  await referenceServices?.scheduler.close();
  await Promise.all([faulty?.close(), reference?.close()]);
  await proxy?.close();
  await sim?.stop();
});

/** What the poll job does: sync, and on failure try again later (here: at once), at most `max` times. */
async function pollUntilHealthy(s: BatonServices, max: number, onPage?: (page: number) => void) {
  const outcomes: string[] = [];
  for (let i = 0; i < max; i++) {
    const outcome = await syncConnection(s.db, s.plans, s.connections.get('github')!, {
      onPage: (p) => onPage?.(p.pages),
    });
    outcomes.push(outcome.ok ? 'ok' : outcome.code);
    if (outcome.ok) return outcomes;
  }
  throw new Error(`still failing after ${max} polls: ${outcomes.join(', ')}`);
}

describe('a tool answering 500s, 429s, stalls and truncated bodies for a while', () => {
  it(`loses nothing: after recovery Baton holds what a clean sync holds (seed ${seed})`, async () => {
    let edited = false;
    await pollUntilHealthy(services, 20, (page) => {
      // Items change mid-sync, both behind and ahead of the cursor: the listing shifts under it.
      if (page === 2 && !edited) {
        edited = true;
        for (const n of [3, 60, 200, 390])
          void sim.editIssue('acme/checkout', n, { title: `Edited ${n}`, by: 'alice' });
      }
    });
    // The tool has recovered: the next poll picks up whatever the faulty period left.
    await pollUntilHealthy(services, 3);
    await pollUntilHealthy(referenceServices, 1);

    expect(KINDS.filter((kind) => proxy.applied[kind] === 0)).toEqual([]);
    const expected = await syncSnapshot(reference.db, 'github');
    const actual = await syncSnapshot(faulty.db, 'github');
    expect(expected.items.size).toBe(ITEMS);
    // Events differ on purpose (the faulty side saw items before and after their edit); the rest must not.
    const { events: _a, ...rest } = actual;
    const { events: _e, ...restExpected } = expected;
    expect(
      snapshotDifferences({ ...rest, events: new Map() }, { ...restExpected, events: new Map() }),
    ).toEqual([]);
    const created = await faulty.db
      .selectFrom('item_events')
      .select(['external_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('kind', '=', 'created')
      .groupBy('external_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(created).toEqual([]);
    const health = await faulty.db.selectFrom('connections').select('health').executeTakeFirstOrThrow();
    expect(health.health).toBe('healthy');
  }, 120_000);
});
