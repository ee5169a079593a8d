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
  reviewRequest,
  slaPlan,
  slaServices,
  testClock,
} from './sla-support.js';

const inbox = countingInbox('gh');
const clock = testClock('2026-11-16T09:00:00Z');
const plan = slaPlan({ quietOutsideWorkingHours: true });
let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;

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
  clock.set('2026-11-16T09:00:00Z');
  for (const table of ['items', 'item_events', 'placements', 'handoffs', 'approvals', 'alerts'] as const)
    await database.db.deleteFrom(table).execute();
});

const handoffOf = async (n: number) =>
  database.db
    .selectFrom('handoffs')
    .selectAll()
    .where('external_id', '=', `acme/checkout#${n}`)
    .executeTakeFirstOrThrow();
const post = (url: string, payload?: object) =>
  app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
const command = (n: number, login: string, text: string, at: string) => ({
  id: `cmd${n}-${at}`,
  kind: 'commented' as const,
  actor: gh(login),
  at,
  detail: { command: text },
});

describe('snooze and acknowledge through the API', () => {
  it('snoozes a handoff: nothing until the snooze ends, then the levels reached meanwhile', async () => {
    await ingest(services, [reviewRequest(1, '2026-11-16T09:00:00Z')]);
    const { id } = await handoffOf(1);
    clock.set('2026-11-16T12:00:00Z');
    const response = await post(`/api/handoffs/${id}/snooze`, { until: '2026-11-18T12:00:00Z' });
    expect(response.statusCode).toBe(200);
    expect(response.json().handoff).toMatchObject({ id, snoozedUntil: '2026-11-18T12:00:00.000Z', level: 0 });
    for (const now of ['2026-11-16T17:30:00Z', '2026-11-17T10:00:00Z', '2026-11-17T17:30:00Z']) {
      clock.set(now);
      expect(await evaluateAndSend(services)).toEqual([]);
    }
    clock.set('2026-11-18T12:00:00Z');
    expect(await evaluateAndSend(services)).toEqual(['sent', 'sent']);
    expect(inbox.calls.map((c) => c.message.text.match(/level \d/)?.[0])).toEqual(['level 1', 'level 2']);
  });

  it("counts `for` in the receiver's business time and holds alerts already queued", async () => {
    await ingest(services, [reviewRequest(2, '2026-11-16T09:00:00Z')]);
    const { id } = await handoffOf(2);
    clock.set('2026-11-16T18:00:00Z'); // stalled after hours: the alert waits for 09:00
    await evaluateSlas(services);
    expect(await alertRows(services)).toMatchObject([
      { status: 'pending', not_before: new Date('2026-11-17T09:00:00Z') },
    ]);
    const response = await post(`/api/handoffs/${id}/snooze`, { for: '1d' });
    // One working day from 18:00 Monday (off-hours): the end of Tuesday's working day.
    expect(response.json().handoff.snoozedUntil).toBe('2026-11-17T17:00:00.000Z');
    expect(await alertRows(services)).toMatchObject([
      { status: 'pending', not_before: new Date('2026-11-17T17:00:00Z') },
    ]);
    clock.set('2026-11-17T10:00:00Z');
    expect(await evaluateAndSend(services)).toEqual([]);
    expect(inbox.calls).toEqual([]);
  });

  it('acknowledges a handoff: queued alerts are withdrawn and the ladder stops', async () => {
    await ingest(services, [reviewRequest(3, '2026-11-16T09:00:00Z')]);
    const { id } = await handoffOf(3);
    clock.set('2026-11-16T18:00:00Z');
    await evaluateSlas(services);
    const response = await post(`/api/handoffs/${id}/ack`);
    expect(response.statusCode).toBe(200);
    expect(response.json().handoff).toMatchObject({ ackedAt: '2026-11-16T18:00:00.000Z', nextCheckAt: null });
    expect(await alertRows(services)).toMatchObject([{ status: 'withdrawn' }]);
    clock.set('2026-11-20T10:00:00Z');
    expect(await evaluateAndSend(services)).toEqual([]);
    const listed = (await app.inject('/api/handoffs?stalled=true')).json().handoffs;
    expect(listed).toMatchObject([{ id, stalled: true, ackedAt: '2026-11-16T18:00:00.000Z' }]);
  });

  it.each([
    ['an unknown handoff', '/api/handoffs/nope/snooze', { for: '1d' }, 404, 'not_found'],
    ['an unknown handoff', '/api/handoffs/nope/ack', undefined, 404, 'not_found'],
    ['a length that is not one', '/api/handoffs/:id/snooze', { for: 'soon' }, 400, 'invalid_snooze'],
    [
      'an instant in the past',
      '/api/handoffs/:id/snooze',
      { until: '2026-11-01T00:00:00Z' },
      400,
      'invalid_snooze',
    ],
    ['a body with neither', '/api/handoffs/:id/snooze', {}, 400, 'invalid_request'],
    [
      'a body with both',
      '/api/handoffs/:id/snooze',
      { for: '1d', until: '2026-11-20T00:00:00Z' },
      400,
      'invalid_request',
    ],
  ])('answers %s (%s) with %s', async (_, url, payload, status, code) => {
    await ingest(services, [reviewRequest(4, '2026-11-16T09:00:00Z')]);
    const { id } = await handoffOf(4);
    const response = await post(url.replace(':id', id), payload);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
  });

  it('answers 409 for a closed handoff', async () => {
    const reviewed = {
      id: 'rv5',
      kind: 'reviewed' as const,
      actor: gh('obrown'),
      at: '2026-11-16T10:00:00Z',
      detail: { state: 'approved' },
    };
    await ingest(services, [reviewRequest(5, '2026-11-16T09:00:00Z', { extra: [reviewed] })]);
    const { id } = await handoffOf(5);
    const response = await post(`/api/handoffs/${id}/ack`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('handoff_closed');
  });
});

describe('snooze and acknowledge by a command left in the tool', () => {
  it('snoozes when the receiver writes `/baton snooze 1d` on the item', async () => {
    await ingest(services, [reviewRequest(6, '2026-11-16T09:00:00Z')]);
    await ingest(services, [
      reviewRequest(6, '2026-11-16T09:00:00Z', {
        extra: [command(6, 'obrown', 'snooze 1d', '2026-11-16T16:00:00Z')],
      }),
    ]);
    expect((await handoffOf(6)).snoozed_until).toEqual(new Date('2026-11-17T16:00:00Z'));
    clock.set('2026-11-17T10:00:00Z');
    expect(await evaluateAndSend(services)).toEqual([]);
    clock.set('2026-11-17T16:00:00Z');
    expect(await evaluateAndSend(services)).toEqual(['sent']);
  });

  it('ignores the same command written by someone else', async () => {
    await ingest(services, [
      reviewRequest(7, '2026-11-16T09:00:00Z', {
        extra: [command(7, 'mayachen', 'snooze 1d', '2026-11-16T16:00:00Z')],
      }),
    ]);
    expect((await handoffOf(7)).snoozed_until).toBeNull();
  });

  it('acknowledges on `/baton ack` and withdraws what was queued', async () => {
    await ingest(services, [reviewRequest(8, '2026-11-16T09:00:00Z')]);
    clock.set('2026-11-16T18:00:00Z');
    await evaluateSlas(services);
    await ingest(services, [
      reviewRequest(8, '2026-11-16T09:00:00Z', {
        extra: [command(8, 'obrown', 'ack', '2026-11-16T18:30:00Z')],
      }),
    ]);
    expect(await handoffOf(8)).toMatchObject({
      acked_at: new Date('2026-11-16T18:30:00Z'),
      next_check_at: null,
    });
    expect(await alertRows(services)).toMatchObject([{ status: 'withdrawn' }]);
    clock.set('2026-11-18T10:00:00Z');
    expect(await evaluateAndSend(services)).toEqual([]);
  });
});
