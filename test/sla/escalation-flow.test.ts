import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { evaluateSlas } from '../../src/jobs/evaluate-slas.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { gh } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { testApp } from '../support/test-services.js';
import {
  alertRows,
  countingInbox,
  evaluateAndSend,
  ingest,
  LADDER,
  reviewRequest,
  slaPlan,
  slaServices,
  testClock,
} from './sla-support.js';

const inbox = countingInbox('gh');
const clock = testClock('2026-11-16T08:00:00Z');
let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;

const berlinHours = {
  timezone: 'Europe/Berlin',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[],
  start: '09:00',
  end: '17:00',
  daysOff: [],
};
const base = slaPlan();
// Olivia reviews from Berlin; quiet hours are on for this plan.
const plan = slaPlan(
  {
    quietOutsideWorkingHours: true,
    escalation: [
      ...LADDER,
      { level: 4, after: 4, notify: 'plan_owner', channel: 'webhook:file:///etc/passwd' },
    ],
  },
  { people: base.people.map((p) => (p.key === 'olivia' ? { ...p, workingHours: berlinHours } : p)) },
);

beforeAll(async () => {
  database = await createTestDatabase();
  services = await slaServices(database, [plan], clock.now);
  app = await testApp(services);
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});
beforeEach(async () => {
  inbox.calls.length = 0;
  inbox.failures.length = 0;
  for (const table of ['items', 'item_events', 'placements', 'handoffs', 'approvals', 'alerts'] as const)
    await database.db.deleteFrom(table).execute();
});

describe('chasing a stalled review', () => {
  it('tells the receiver once at the SLA, in the tool, with what waits, since when and the links', async () => {
    clock.set('2026-11-16T08:00:00Z'); // Monday 09:00 in Berlin
    await ingest(services, [reviewRequest(1, '2026-11-16T08:00:00Z')]);
    clock.set('2026-11-16T16:30:00Z'); // 17:30 in Berlin: 8 business hours have passed
    expect(await evaluateAndSend(services)).toEqual([]); // Olivia has gone home: held
    clock.set('2026-11-17T08:05:00Z');
    expect(await evaluateAndSend(services)).toEqual(['sent']);
    expect(await evaluateAndSend(services)).toEqual([]);

    expect(inbox.calls).toHaveLength(1);
    const [call] = inbox.calls;
    expect(call.target).toMatchObject({
      externalId: 'acme/checkout#1',
      url: 'https://github.example/acme/checkout/pull/1',
      person: { name: 'Olivia Brown', identities: [{ tool: 'github', id: 'obrown' }] },
    });
    expect(call.message.text).toContain(
      'The review of acme/checkout#1 "Pull request 1" has been waiting on Olivia Brown since Mon 16 Nov 2026 09:00 (Europe/Berlin): waiting 8 business hours.',
    );
    expect(call.message.text).toContain('Escalation level 1: you are told as the person it waits on.');
    expect(call.message.text).toContain('Item: https://github.example/acme/checkout/pull/1');
    expect(call.message.statusUrl).toBe('http://baton.test/plans/checkout');
    expect(await alertRows(services)).toMatchObject([
      {
        level: 1,
        status: 'sent',
        recipient: 'olivia',
        attempts: 1,
        ref: 'comment-1',
        dedupe_key: expect.stringMatching(/:1:tool$/),
      },
    ]);
  });

  it('climbs the ladder: phase owner at twice the SLA, decision-maker at three times', async () => {
    await ingest(services, [reviewRequest(2, '2026-11-16T08:00:00Z')]);
    for (const now of ['2026-11-17T09:30:00Z', '2026-11-18T09:30:00Z', '2026-11-19T09:30:00Z']) {
      clock.set(now);
      await evaluateAndSend(services);
    }
    expect(inbox.calls.map((c) => c.target.person.name)).toEqual([
      'Olivia Brown',
      'Raj Patel',
      'Olivia Brown',
    ]);
    expect(inbox.calls[1].message.text).toContain('Escalation level 2: you are told as the phase owner.');
    const handoff = await database.db.selectFrom('handoffs').selectAll().executeTakeFirstOrThrow();
    expect(handoff).toMatchObject({ level: 3, stalled_at: new Date('2026-11-16T16:00:00Z') });
    expect(handoff.next_check_at).toEqual(new Date('2026-11-19T16:00:00Z')); // level 4, 4 × 8h
  });

  it('withdraws a queued alert the moment the handoff closes, and sends nothing after', async () => {
    await ingest(services, [reviewRequest(3, '2026-11-16T08:00:00Z')]);
    clock.set('2026-11-16T20:00:00Z');
    await evaluateAndSend(services);
    expect(await alertRows(services)).toMatchObject([
      { status: 'pending', not_before: new Date('2026-11-17T08:00:00Z') },
    ]);
    const reviewed = {
      id: 'rv3',
      kind: 'reviewed' as const,
      actor: gh('obrown'),
      at: '2026-11-16T21:00:00Z',
      detail: { state: 'approved' },
    };
    await ingest(services, [reviewRequest(3, '2026-11-16T08:00:00Z', { extra: [reviewed] })]);
    expect(await alertRows(services)).toMatchObject([{ status: 'withdrawn' }]);
    clock.set('2026-11-19T10:00:00Z');
    expect(await evaluateAndSend(services)).toEqual([]);
    expect(inbox.calls).toEqual([]);
  });

  it('withdraws at send time an alert whose handoff closed after it was queued', async () => {
    await ingest(services, [reviewRequest(4, '2026-11-16T08:00:00Z')]);
    clock.set('2026-11-17T08:00:00Z');
    await evaluateSlas(services);
    // Closed behind the queue's back (no derivation ran): the send path checks first.
    await database.db
      .updateTable('handoffs')
      .set({ closed_at: clock.now(), close_reason: 'reviewed' })
      .execute();
    expect(await evaluateAndSend(services)).toEqual(['withdrawn']);
    expect(inbox.calls).toEqual([]);
  });

  it("holds an alert that comes due in the receiver's evening until their next morning", async () => {
    await ingest(services, [reviewRequest(5, '2026-11-20T14:00:00Z')]); // Friday 15:00 in Berlin
    clock.set('2026-11-23T14:00:00Z'); // Monday 15:00 in Berlin: 2h on Friday + 6h today
    await evaluateSlas(services);
    const [queued] = await alertRows(services);
    expect(queued.status).toBe('pending');
    clock.set('2026-11-23T18:30:00Z'); // the job ran late: 19:30 in Berlin
    expect(await evaluateAndSend(services)).toEqual(['held']);
    expect(await alertRows(services)).toMatchObject([
      { status: 'pending', not_before: new Date('2026-11-24T08:00:00Z') },
    ]);
    clock.set('2026-11-24T08:00:00Z');
    expect(await evaluateAndSend(services)).toEqual(['sent']);
    expect(inbox.calls).toHaveLength(1);
  });
});

describe('failed sends', () => {
  it('retries with backoff and shows attempts and the last error through the API', async () => {
    await ingest(services, [reviewRequest(6, '2026-11-16T08:00:00Z')]);
    inbox.failures.push({ ok: false, code: 'rate_limited', message: 'slow down', retry: true });
    clock.set('2026-11-17T09:00:00Z');
    expect(await evaluateAndSend(services)).toEqual(['failed']);
    const failed = (await app.inject('/api/alerts?status=failed')).json();
    expect(failed.alerts).toMatchObject([
      {
        kind: 'handoff',
        plan: 'checkout',
        level: 1,
        channel: 'tool',
        recipient: { key: 'olivia', name: 'Olivia Brown' },
        status: 'failed',
        attempts: 1,
        lastError: 'rate_limited: slow down',
        notBefore: '2026-11-17T09:01:00.000Z',
        sentAt: null,
      },
    ]);
    expect(await evaluateAndSend(services)).toEqual([]); // not before its backoff
    clock.set('2026-11-17T09:01:00Z');
    expect(await evaluateAndSend(services)).toEqual(['sent']);
    const sent = (await app.inject(`/api/alerts?handoff=${failed.alerts[0].handoff}`)).json();
    expect(sent.alerts).toMatchObject([{ status: 'sent', attempts: 2, lastError: null, ref: 'comment-1' }]);
  });

  it('gives up on a failure retrying cannot fix, and refuses a webhook that is not http(s)', async () => {
    await ingest(services, [reviewRequest(7, '2026-11-16T08:00:00Z')]);
    inbox.failures.push({ ok: false, code: 'forbidden', message: 'no access to the repo', retry: false });
    let posted = 0;
    const fetchSpy = (async () => {
      posted++;
      return new Response('ok');
    }) as typeof fetch;
    clock.set('2026-11-20T09:00:00Z'); // past level 4
    await evaluateAndSend(services, fetchSpy);
    const alerts = (await app.inject('/api/alerts?plan=checkout')).json().alerts;
    const byLevel = Object.fromEntries(alerts.map((a: { level: number }) => [a.level, a]));
    expect(byLevel[1]).toMatchObject({ status: 'dead', lastError: 'forbidden: no access to the repo' });
    expect(byLevel[4]).toMatchObject({
      status: 'dead',
      lastError: expect.stringContaining('bad_webhook_url'),
    });
    expect(byLevel[4].channel).toBe('webhook:file:///…'); // webhook URLs are secrets: never listed whole
    expect(posted).toBe(0);
  });

  it('answers 400 for an unknown status filter', async () => {
    expect((await app.inject('/api/alerts?status=lost')).statusCode).toBe(400);
  });
});
