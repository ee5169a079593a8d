import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluateSlas } from '../../src/jobs/evaluate-slas.js';
import { SEND_LEASE_MS, sendAlert } from '../../src/jobs/send-alerts.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { claimAlert, markSent } from '../../src/store/alerts.repository.js';
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import {
  alertRows,
  countingInbox,
  evaluateAndSend,
  ingest,
  reviewRequest,
  slaPlan,
  slaServices,
  testClock,
} from './sla-support.js';

const inbox = countingInbox('gh');
const clock = testClock('2026-11-16T09:00:00Z');
const plan = slaPlan();
let database: DatabaseHandle;
let second: DatabaseHandle;
let one: BatonServices;
let two: BatonServices;

beforeAll(async () => {
  database = await createTestDatabase();
  // Two workers: their own pools on one database, as two `baton worker` processes would be.
  second = await openDatabase({ url: database.url, poolSize: 5 });
  one = await slaServices(database, [plan], clock.now);
  two = { ...(await slaServices(second, [plan], clock.now)), db: second.db };
});
afterAll(async () => {
  await one.scheduler.close();
  await two.scheduler.close();
  await second.close();
  await database.close();
});
beforeEach(async () => {
  inbox.calls.length = 0;
  for (const table of ['items', 'item_events', 'placements', 'handoffs', 'approvals', 'alerts'] as const)
    await database.db.deleteFrom(table).execute();
});

const deliveriesPerAlert = () => {
  const counts = new Map<string, number>();
  for (const call of inbox.calls) {
    const key = `${call.target.externalId}|${call.message.text.match(/level (\d)/)?.[1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

describe('exactly once', () => {
  it('sends each alert once per handoff and level with two workers racing', async () => {
    const prs = Array.from({ length: 40 }, (_, i) => reviewRequest(100 + i, '2026-11-16T09:00:00Z'));
    await ingest(one, prs);
    // Each morning both workers evaluate and send at once, twice over (a retried job, a cron tick).
    for (const day of ['2026-11-17T10:00:00Z', '2026-11-18T10:00:00Z', '2026-11-19T10:00:00Z']) {
      clock.set(day);
      await Promise.all([
        evaluateAndSend(one),
        evaluateAndSend(two),
        evaluateAndSend(one),
        evaluateAndSend(two),
      ]);
    }
    const counts = deliveriesPerAlert();
    expect(counts.size).toBe(40 * 3);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(inbox.calls).toHaveLength(40 * 3);
    const rows = await alertRows(one);
    expect(rows).toHaveLength(40 * 3);
    expect(rows.every((a) => a.status === 'sent' && a.attempts === 1)).toBe(true);
  });

  it('never sends a sent alert again, and takes over a claim only when its sender died', async () => {
    await ingest(one, [reviewRequest(200, '2026-11-16T09:00:00Z')]);
    clock.set('2026-11-17T10:00:00Z');
    await evaluateAndSend(one);
    const [sent] = await alertRows(one);
    expect(await sendAlert(two, sent.id)).toBe('skipped');

    await ingest(one, [reviewRequest(201, '2026-11-16T09:00:00Z')]);
    clock.set('2026-11-18T10:00:00Z');
    await evaluateSlas(one);
    const pending = (await alertRows(one)).filter((a) => a.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    // Worker one claims the alert and dies before notifying.
    const claimed = await claimAlert(one.db, pending[0].id, clock.now(), SEND_LEASE_MS);
    expect(claimed?.status).toBe('sending');
    expect(await sendAlert(two, pending[0].id)).toBe('skipped');
    clock.set(new Date(clock.now().getTime() + SEND_LEASE_MS + 1000).toISOString());
    const before = inbox.calls.length;
    expect(await sendAlert(two, pending[0].id)).toBe('sent');
    // The first worker comes back and tries to finish: its mark is refused, nothing is sent.
    await markSent(one.db, pending[0].id, 'late', clock.now());
    expect(await sendAlert(one, pending[0].id)).toBe('skipped');
    expect(inbox.calls.length - before).toBe(1);
    const row = (await alertRows(one)).find((a) => a.id === pending[0].id);
    expect(row).toMatchObject({ status: 'sent', ref: `comment-${inbox.calls.length}` });
  });

  it('gives an alert back at once, no attempt spent, when its worker stops while the tool stalls', async () => {
    await ingest(one, [reviewRequest(300, '2026-11-16T09:00:00Z')]);
    clock.set('2026-11-17T10:00:00Z');
    await evaluateSlas(one);
    const [due] = await alertRows(one);
    inbox.stalls = true;
    try {
      const stopping = new AbortController();
      const sending = sendAlert(one, due.id, stopping.signal);
      await new Promise((resolve) => setTimeout(resolve, 50));
      stopping.abort();
      expect(await sending).toBe('released');
    } finally {
      inbox.stalls = false;
    }
    expect((await alertRows(one))[0]).toMatchObject({ status: 'pending', attempts: 0, lease_until: null });
    // The next worker (here: the other process) sends it.
    expect(await sendAlert(two, due.id)).toBe('sent');
    expect(inbox.calls).toHaveLength(1);
  });
});
