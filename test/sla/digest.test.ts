import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { gh } from '../support/plan-fixture.js';
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
// One level, to a Slack-style webhook; everyone works Mon–Fri 09:00–17:00 UTC.
const plan = slaPlan({
  digest: true,
  quietOutsideWorkingHours: true,
  escalation: [
    { level: 1, after: 1, notify: 'receiver', channel: 'webhook:https://hooks.test/services/T1/B2/secret' },
  ],
});
const posted: { url: string; body: { text: string; digest?: boolean; recipient?: string } }[] = [];
const hook = (async (url: URL | string, init?: RequestInit) => {
  posted.push({ url: String(url), body: JSON.parse(String(init?.body)) });
  return new Response('ok');
}) as typeof fetch;

let database: DatabaseHandle;
let services: BatonServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = await slaServices(database, [plan], clock.now);
});
afterAll(async () => {
  await services.scheduler.close();
  await database.close();
});

const digestsFor = (recipient: string) =>
  posted.filter((p) => p.body.recipient === recipient).map((p) => p.body.text);

describe('daily digest', () => {
  it('sends one digest per person per day listing everything stalled on them, instead of one alert each', async () => {
    await ingest(services, [
      reviewRequest(1, '2026-11-16T09:00:00Z'),
      reviewRequest(2, '2026-11-16T09:00:00Z'),
      reviewRequest(3, '2026-11-16T09:00:00Z', { reviewer: 'rajp' }),
      reviewRequest(4, '2026-11-16T15:00:00Z'), // not stalled until Tuesday 15:00
    ]);
    clock.set('2026-11-16T17:30:00Z');
    expect(await evaluateAndSend(services, hook)).toEqual([]); // digests go out in the morning
    clock.set('2026-11-17T09:00:00Z');
    expect(await evaluateAndSend(services, hook)).toEqual(['sent', 'sent']);

    expect(posted.every((p) => p.url === 'https://hooks.test/services/T1/B2/secret')).toBe(true);
    const [olivia] = digestsFor('olivia');
    expect(olivia).toContain('*Baton daily digest: 2 stalled handoffs*');
    expect(olivia).toContain(
      '- review of acme/checkout#1 "Pull request 1", waiting on you since Mon 16 Nov 2026 09:00 (UTC): 8 business hours.',
    );
    expect(olivia).toContain('- review of acme/checkout#2 "Pull request 2"');
    expect(olivia).not.toContain('acme/checkout#4');
    expect(olivia).toContain('Status: http://baton.test/plans/checkout');
    expect(digestsFor('raj')).toEqual([expect.stringContaining('acme/checkout#3')]);

    const rows = await alertRows(services);
    expect(rows.filter((a) => a.kind === 'digest').map((a) => [a.dedupe_key, a.status])).toEqual([
      ['digest:olivia:2026-11-17', 'sent'],
      ['digest:raj:2026-11-17', 'sent'],
    ]);
    expect(rows.filter((a) => a.kind === 'handoff').every((a) => a.status === 'digested')).toBe(true);
  });

  it('lists what is still stalled in the next day’s digest, and nothing that closed', async () => {
    clock.set('2026-11-17T15:30:00Z'); // #4 stalls; it joins tomorrow's digest, today's went out
    expect(await evaluateAndSend(services, hook)).toEqual([]);
    const reviewed = {
      id: 'rv1',
      kind: 'reviewed' as const,
      actor: gh('obrown'),
      at: '2026-11-17T16:00:00Z',
      detail: { state: 'approved' },
    };
    await ingest(services, [reviewRequest(1, '2026-11-16T09:00:00Z', { extra: [reviewed] })]);
    clock.set('2026-11-18T09:00:00Z');
    expect(await evaluateAndSend(services, hook)).toEqual(['sent', 'sent']);
    const latest = digestsFor('olivia').at(-1)!;
    expect(latest).toContain('2 stalled handoffs');
    expect(latest).toContain('acme/checkout#2');
    expect(latest).toContain('acme/checkout#4');
    expect(latest).not.toContain('acme/checkout#1');
    expect(digestsFor('olivia')).toHaveLength(2);
    expect(inbox.calls).toEqual([]); // nothing went to the items themselves
  });
});
