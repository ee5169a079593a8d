import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { WorkerLiveness } from '../../src/jobs/worker-liveness.js';
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';

const log = pino({ level: 'silent' });
let database: DatabaseHandle;
let other: DatabaseHandle;
let scheduler: JobScheduler;
let alive: WorkerLiveness;
let watcher: WorkerLiveness;

beforeAll(async () => {
  database = await createTestDatabase();
  // Another process on the same database: its own pool, its own liveness session.
  other = await openDatabase({ url: database.url, poolSize: 2 });
  scheduler = await JobScheduler.create(database.pool);
  const events = new EventEmitter() as WorkerEvents;
  alive = await WorkerLiveness.start(other.pool, events, log, 3_600_000);
  events.emit('worker:create', { worker: { workerId: 'worker-alive' } } as never);
  watcher = await WorkerLiveness.start(database.pool, new EventEmitter() as WorkerEvents, log, 3_600_000);
});
afterAll(async () => {
  await alive.close();
  await watcher.close();
  await scheduler.close();
  await other.close();
  await database.close();
});

/** A poll job of `connection` locked by `worker`, with its connection's queue, as graphile-worker locks them. */
async function lockedPoll(connection: string, worker: string) {
  await scheduler.pollAt(connection, new Date());
  await sql`update graphile_worker._private_jobs set locked_by = ${worker}, locked_at = now()
            where key = ${`poll:${connection}`}`.execute(database.db);
  await sql`update graphile_worker._private_job_queues set locked_by = ${worker}, locked_at = now()
            where queue_name = ${`conn:${connection}`}`.execute(database.db);
}
const lockedBy = async (connection: string) =>
  (
    await sql<{ locked_by: string | null }>`
      select locked_by from graphile_worker.jobs where key = ${`poll:${connection}`}`.execute(database.db)
  ).rows[0].locked_by;

describe('jobs locked by a worker whose process is gone', () => {
  it('are released at the second check that finds its liveness lock free, never those of a live worker', async () => {
    await lockedPoll('jira', 'worker-gone');
    await lockedPoll('github', 'worker-alive');
    // The first check only suspects: a worker that just started may not hold its lock yet.
    expect(await watcher.reclaim()).toEqual([]);
    expect(await lockedBy('jira')).toBe('worker-gone');
    expect(await watcher.reclaim()).toEqual(['worker-gone']);
    expect(await lockedBy('jira')).toBeNull();
    const queue = await sql<{ locked_by: string | null }>`
      select locked_by from graphile_worker._private_job_queues where queue_name = 'conn:jira'`.execute(
      database.db,
    );
    expect(queue.rows[0].locked_by).toBeNull();
    expect(await lockedBy('github')).toBe('worker-alive');
  });

  it('are released once their process really ends', async () => {
    await alive.close();
    expect(await watcher.reclaim()).toEqual([]);
    expect(await watcher.reclaim()).toEqual(['worker-alive']);
    expect(await lockedBy('github')).toBeNull();
  });
});
