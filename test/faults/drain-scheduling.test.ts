import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitUntil } from './support/wait-until.js';

let database: DatabaseHandle;
let scheduler: JobScheduler;

beforeAll(async () => {
  database = await createTestDatabase();
  scheduler = await JobScheduler.create(database.pool);
});
afterAll(async () => {
  await scheduler.close();
  await database.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const drainJobs = async () =>
  Number(
    (
      await sql<{ n: string }>`
        select count(*) as n from graphile_worker.jobs where task_identifier = 'drain_inbox'`.execute(
        database.db,
      )
    ).rows[0].n,
  );

describe('asking for inbox drains under a stream of webhooks', () => {
  it('still drains a delivery stored right after the previous drain job was taken', async () => {
    // The wall clock stands still: every request below falls in one debounce window.
    vi.useFakeTimers({ toFake: ['Date'] });
    scheduler.drainSoon('github');
    await waitUntil(async () => (await drainJobs()) === 1, 5_000, 'the first drain job');
    // A worker takes that job and finishes it …
    await sql`delete from graphile_worker._private_jobs`.execute(database.db);
    // … and then a delivery is stored: it needs a drain of its own, not the sweep a minute later.
    scheduler.drainSoon('github');
    await waitUntil(async () => (await drainJobs()) === 1, 5_000, 'a drain job for the later delivery');
  });

  it('writes one job row for a burst, not one per delivery', async () => {
    await sql`delete from graphile_worker._private_jobs`.execute(database.db);
    vi.useFakeTimers({ toFake: ['Date'] });
    const { utils } = scheduler as unknown as { utils: { addJob: () => Promise<unknown> } };
    const added = vi.spyOn(utils, 'addJob');
    for (let i = 0; i < 100; i++) scheduler.drainSoon('jira');
    await waitUntil(async () => (await drainJobs()) === 1, 5_000, 'the drain job');
    expect(added.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
