import { readdir, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import type { BatonServices } from '../../src/runtime/services.js';
import {
  type DatabaseHandle,
  freePort,
  openDatabase,
  startEmbeddedPostgres,
} from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { testApp } from '../support/test-services.js';
import { issueDelivery, postDelivery, type SignedDelivery } from './support/github-delivery.js';
import { githubServices } from './support/github-services.js';
import { waitUntil } from './support/wait-until.js';

// A Postgres of its own, so this test can stop it without touching the other tests' server.
const DIR = `.baton/faults-pg-${process.pid}`;
let port: number;
let server: { url: string; stop(): Promise<void> };
let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let baseUrl: string;

/** Folders left by runs that were killed before their teardown. */
async function removeAbandoned() {
  for (const entry of await readdir('.baton').catch(() => [] as string[])) {
    const pid = Number(/^faults-pg-(\d+)$/.exec(entry)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      await rm(`.baton/${entry}`, { recursive: true, force: true });
    }
  }
}

beforeAll(async () => {
  await removeAbandoned();
  port = await freePort();
  server = await startEmbeddedPostgres(DIR, undefined, port);
  database = await openDatabase({ url: server.url, poolSize: 10 });
  await migrateToLatest(database.db);
  const scheduler = await JobScheduler.create(database.pool);
  await scheduler.migrate();
  await scheduler.close();
  services = await githubServices(database, [
    {
      name: 'github',
      settings: { repos: ['acme/checkout'], token: 'unused', baseUrl: 'http://127.0.0.1:9' },
      // The burst and its retries exceed the default 600 a minute; flood control is not under test here.
      webhookRateLimitPerMinute: 100_000,
    },
  ]);
  app = await testApp(services);
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await services?.scheduler.close().catch(() => {});
  await database?.close();
  await server?.stop();
  await rm(DIR, { recursive: true, force: true });
});

/** Posts every delivery, `concurrency` at a time, recording each answer. */
async function burst(deliveries: SignedDelivery[], answers: Map<string, number[]>, concurrency = 10) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++];
        const status = await postDelivery(baseUrl, delivery);
        answers.set(delivery.id, [...(answers.get(delivery.id) ?? []), status]);
      }
    }),
  );
}

describe('Postgres stopped during a webhook burst', () => {
  it('answers 2xx only for what it stored, 503 for the rest, and stores the retries once it is back', async () => {
    const deliveries = Array.from({ length: 400 }, (_, i) =>
      issueDelivery(1000 + i, { title: `Delivery ${i}` }),
    );
    const answers = new Map<string, number[]>();
    const answered = () => [...answers.values()].length;

    // Postgres stops while the first 250 are on their way; 50 more come while it is down.
    const first = burst(deliveries.slice(0, 250), answers);
    await waitUntil(() => answered() >= 80, 30_000, 'the burst to be under way');
    await server.stop();
    await first;
    await burst(deliveries.slice(250, 300), answers);
    // Back on the same port and data; Baton was never restarted.
    server = await startEmbeddedPostgres(DIR, undefined, port);
    await burst(deliveries.slice(300), answers);

    const statuses = [...answers.values()].flat();
    expect(new Set(statuses)).toEqual(new Set([202, 503]));
    const acknowledged = [...answers].filter(([, s]) => s.includes(202)).map(([id]) => id);
    const stored = await database.db.selectFrom('webhook_inbox').select('delivery_id').execute();
    const storedIds = new Set(stored.map((r) => r.delivery_id));
    expect(acknowledged.filter((id) => !storedIds.has(id))).toEqual([]);
    // The outage was really hit, and Baton recovered from it by itself.
    expect(answers.get(deliveries[260].id)).toEqual([503]);
    expect(answers.get(deliveries[399].id)).toEqual([202]);

    // Senders retry what was not acknowledged: then every delivery is stored, once.
    const refused = deliveries.filter((d) => !answers.get(d.id)!.includes(202));
    await burst(refused, answers);
    expect(refused.every((d) => answers.get(d.id)!.at(-1) === 202)).toBe(true);
    const after = await database.db.selectFrom('webhook_inbox').select('delivery_id').execute();
    expect(after).toHaveLength(deliveries.length);
    expect(new Set(after.map((r) => r.delivery_id)).size).toBe(deliveries.length);
  });
});
