import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedPull, SeedTimelineEvent } from '../../connectors/github/simulator.js';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { storeDelivery } from '../../src/store/inbox.repository.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTsChild, type TsChild } from './support/child-process.js';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.js';
import { issueDelivery } from './support/github-delivery.js';
import { WEBHOOK_SECRET } from './support/github-services.js';
import { waitUntil } from './support/wait-until.js';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const REPO = 'acme/checkout';
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const threeDaysAgo = stamp(Date.now() - 3 * 86_400_000);

let sim: GitHubSimulator;
let proxy: FaultyProxy;
let holdReads = false;
let database: DatabaseHandle;
let scheduler: JobScheduler;
let dir: string;
const workers: { child: TsChild; ids: string[] }[] = [];

/** Pull requests whose review was requested three days ago: each one is stalled and gets one alert. */
function stalledPulls(from: number, to: number, updatedAt: string) {
  const pulls: SeedPull[] = [];
  const timelines: Record<string, SeedTimelineEvent[]> = {};
  for (let n = from; n <= to; n++) {
    pulls.push({
      number: n,
      title: `CHK-${n} checkout step ${n}`,
      user: { login: 'samiyer' },
      head: { ref: `feature/CHK-${n}` },
      base: { ref: 'main' },
      created_at: threeDaysAgo,
      updated_at: updatedAt,
      requested_reviewers: [{ login: 'priya-r' }],
    });
    timelines[String(n)] = [
      {
        event: 'review_requested',
        actor: { login: 'samiyer' },
        requested_reviewer: { login: 'priya-r' },
        created_at: threeDaysAgo,
      },
    ];
  }
  return {
    users: [{ login: 'samiyer' }, { login: 'priya-r' }],
    repos: [{ full_name: REPO, pulls, timelines }],
  };
}

/** Webhook deliveries stored as the API would store them, and a drain asked for. */
async function deliver(from: number, count: number) {
  for (let n = from; n < from + count; n++) {
    const delivery = issueDelivery(n, { title: `Issue ${n} by webhook` });
    await storeDelivery(database.db, {
      connection: 'github',
      deliveryId: delivery.id,
      event: delivery.event,
      headers: delivery.headers,
      body: delivery.body,
    });
  }
  await scheduler.drainNow('github');
}

function startWorkerProcess(): { child: TsChild; ids: string[] } {
  const child = startTsChild(
    CLI,
    {
      DATABASE_URL: database.url,
      BATON_CONFIG: join(dir, 'baton.yaml'),
      BATON_MAPPINGS: join(dir, 'mappings'),
      BATON_PUBLIC_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'info',
    },
    ['worker', '--concurrency', '2'],
  );
  const entry = { child, ids: [] as string[] };
  child.onLine((line) => {
    if (!line.includes('"worker started"')) return;
    entry.ids.push(...(JSON.parse(line) as { workers: string[] }).workers);
  });
  return entry;
}

beforeAll(async () => {
  sim = await startGitHubSimulator({
    seed: stalledPulls(1, 40, threeDaysAgo),
    rateLimit: { limit: 1_000_000 },
  });
  // Reads can be held at will: a poll then sits in flight in whichever worker took it.
  proxy = await startFaultyProxy(sim.baseUrl, (_n, req) =>
    holdReads && req.method === 'GET' ? 'hold' : undefined,
  );
  database = await createTestDatabase();
  scheduler = await JobScheduler.create(database.pool);
  dir = await mkdtemp(join(tmpdir(), 'baton-crash-'));
  await writeFile(
    join(dir, 'baton.yaml'),
    [
      'connections:',
      '  github:',
      '    kind: github',
      `    repos: [${REPO}]`,
      '    token: ghp_simulator',
      `    webhookSecret: ${WEBHOOK_SECRET}`,
      `    baseUrl: ${proxy.url}`,
      '    pollIntervalSeconds: 5',
      '',
    ].join('\n'),
  );
  await mkdir(join(dir, 'mappings'));
  await copyFile(
    fileURLToPath(new URL('./support/crash-drill.yaml', import.meta.url)),
    join(dir, 'mappings', 'crash-drill.yaml'),
  );
});
afterAll(async () => {
  proxy?.release();
  await Promise.all(workers.map((w) => w.child.kill('SIGKILL')));
  await scheduler?.close();
  await database?.close();
  await proxy?.close();
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

const comments = () => {
  const perPull = new Map<number, number>();
  for (const c of sim.postedComments) perPull.set(c.number, (perPull.get(c.number) ?? 0) + 1);
  return perPull;
};
const inboxPending = async () =>
  Number(
    (
      await database.db
        .selectFrom('webhook_inbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '!=', 'done')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('three worker processes on one database, one killed mid-run', () => {
  it('lose no job and send no alert twice', async () => {
    workers.push(startWorkerProcess(), startWorkerProcess(), startWorkerProcess());
    await waitUntil(() => workers.every((w) => w.ids.length > 0), 60_000, 'three workers to start');
    await deliver(1001, 300);
    await waitUntil(
      async () => comments().size === 40 && (await inboxPending()) === 0,
      60_000,
      'the first wave',
    );

    // The tool turns slow; new stalled pull requests wait in it. A poll goes in flight, and the
    // worker running it is killed — with more deliveries arriving meanwhile.
    holdReads = true;
    sim.seed(stalledPulls(41, 60, stamp(Date.now())));
    await waitUntil(() => proxy.holding > 0, 30_000, 'a poll in flight');
    const holder = await waitUntil(
      async () => {
        const { rows } = await sql<{ locked_by: string }>`
        select locked_by from graphile_worker.jobs where task_identifier = 'poll' and locked_by is not null
      `.execute(database.db);
        return rows[0]?.locked_by;
      },
      10_000,
      'the poll to be locked',
    );
    const victim = workers.find((w) => w.ids.includes(holder))!;
    await deliver(2001, 300);
    await victim.child.kill('SIGKILL');
    holdReads = false;
    proxy.release();

    // The survivors take over the dead worker's poll: the new pull requests arrive and are chased.
    await waitUntil(
      async () => comments().size === 60 && (await inboxPending()) === 0,
      90_000,
      'the second wave',
    );
    expect([...comments().values()].filter((n) => n !== 1)).toEqual([]);
    const alerts = await database.db.selectFrom('alerts').select('status').execute();
    expect(alerts.map((a) => a.status)).toEqual(Array(60).fill('sent'));
    const created = await database.db
      .selectFrom('item_events')
      .select(['external_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('kind', '=', 'created')
      .groupBy('external_id')
      .execute();
    expect(created).toHaveLength(660);
    expect(created.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const { rows: stuck } = await sql<{ id: string }>`
      select id from graphile_worker.jobs
      where locked_by = any(${victim.ids}) or (attempts >= max_attempts and last_error is not null)
    `.execute(database.db);
    expect(stuck).toEqual([]);

    const survivors = workers.filter((w) => w !== victim);
    await Promise.all(survivors.map((w) => w.child.kill('SIGTERM')));
    expect(survivors.map((w) => w.child.process.exitCode)).toEqual([0, 0]);
  }, 240_000);
});
