import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import { readEnv } from '../../src/config/env.js';
import { type RunningBaton, startBaton } from '../../src/server.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.js';
import { issueDelivery, type SignedDelivery } from './support/github-delivery.js';
import { WEBHOOK_SECRET } from './support/github-services.js';
import { waitUntil } from './support/wait-until.js';

const ITEMS = 600;
let sim: GitHubSimulator;
let proxy: FaultyProxy;
let stalling = true;
let database: DatabaseHandle;
let dir: string;

beforeAll(async () => {
  sim = await startGitHubSimulator({ generate: { items: ITEMS }, rateLimit: { limit: 1_000_000 } });
  // Three pages go through, then the tool stops answering: the poll is stuck mid-sync.
  proxy = await startFaultyProxy(sim.baseUrl, (n) => (stalling && n > 200 ? 'stall' : undefined));
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'baton-faults-'));
  await writeFile(
    join(dir, 'baton.yaml'),
    [
      'connections:',
      '  github:',
      '    kind: github',
      '    repos: [acme/checkout]',
      '    token: ghp_simulator',
      `    webhookSecret: ${WEBHOOK_SECRET}`,
      `    baseUrl: ${proxy.url}`,
      '    perPage: 50',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await database?.close();
  await proxy?.close();
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

const start = (role: { api: boolean }) =>
  startBaton({
    env: readEnv({
      DATABASE_URL: database.url,
      PORT: '0',
      BATON_CONFIG: join(dir, 'baton.yaml'),
      BATON_MAPPINGS: fileURLToPath(new URL('../../mappings', import.meta.url)),
      BATON_AUTH: 'off',
    }),
    log: pino({ level: process.env.FAULTS_LOG ?? 'silent' }),
    api: role.api,
  });
const itemCount = async () =>
  Number(
    (
      await database.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Sends the headers and the first bytes of the body now; `finish()` sends the rest and resolves with the answer. */
function slowPost(url: string, delivery: SignedDelivery) {
  const req = request(`${url}/webhooks/github`, {
    method: 'POST',
    headers: { ...delivery.headers, 'content-length': String(delivery.body.length) },
  });
  const answer = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
  });
  req.write(delivery.body.subarray(0, 10));
  return {
    finish() {
      req.end(delivery.body.subarray(10));
      return answer;
    },
  };
}

describe('a graceful stop', () => {
  let running: RunningBaton;

  it('refuses webhooks with 503, releases the poll in flight, and closes the database', async () => {
    running = await start({ api: true });
    await waitUntil(
      async () => proxy.applied.stall > 0 && (await itemCount()) >= 100,
      30_000,
      'a poll stuck mid-sync',
    );
    // A delivery whose upload began before the stop and ends after it.
    const received = new Promise((resolve) => running.app!.server.once('request', resolve));
    const webhook = slowPost(running.url!, issueDelivery(9001, { title: 'Sent while Baton stops' }));
    await received;

    const stopped = running.stop();
    const answer = await webhook.finish();
    await stopped;

    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).error.code).toBe('shutting_down');
    // Its connection is let go with the answer: an idle keep-alive socket would hold the stop.
    expect(answer.connection).toBe('close');
    expect(await database.db.selectFrom('webhook_inbox').selectAll().execute()).toEqual([]);
    // The poll was not left locked by a process that is gone: it waits, unlocked, for any worker.
    const polls = await database.db
      .withSchema('graphile_worker')
      .selectFrom('jobs' as never)
      .select(['locked_at', 'run_at', 'task_identifier'] as never[])
      .where('task_identifier' as never, '=', 'poll' as never)
      .execute();
    expect(polls).toMatchObject([{ task_identifier: 'poll', locked_at: null }]);
    expect(await itemCount()).toBeLessThan(ITEMS);
    // Its database is closed: nothing is left holding connections.
    expect(running.database.pool.totalCount).toBe(0);
    await expect(running.database.db.selectFrom('items').select('external_id').execute()).rejects.toThrow();
  });

  it('lets another process finish the released poll once the tool answers again', async () => {
    stalling = false;
    const next = await start({ api: false });
    try {
      const healthy = async () =>
        (await database.db.selectFrom('connections').select('health').executeTakeFirstOrThrow()).health ===
        'healthy';
      await waitUntil(healthy, 60_000, 'the sync to finish');
      expect(await itemCount()).toBe(ITEMS);
    } finally {
      await next.stop();
    }
  });
});
