import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gh, record, testPlan } from '../../test/support/plan-fixture.js';
import { createTestDatabase } from '../../test/support/test-database.js';
import { tombstone } from '../connectors/kit/tombstone.js';
import { ensureConnection } from '../store/connections.repository.js';
import type { DatabaseHandle } from '../store/database.js';
import { savePlan } from '../store/plans.repository.js';
import { ingestBatch } from './ingest-batch.js';

const plan = testPlan();
let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  await savePlan(database.db, plan);
  await ensureConnection(database.db, 'jira', 'jira', {});
  await ensureConnection(database.db, 'github', 'github', {});
});
afterAll(() => database.close());
beforeEach(async () => {
  for (const table of ['items', 'item_events', 'placements', 'handoffs', 'approvals'] as const) {
    await database.db.deleteFrom(table).execute();
  }
});

const item = async (connection: string, externalId: string) =>
  database.db
    .selectFrom('items')
    .selectAll()
    .where('connection', '=', connection)
    .where('external_id', '=', externalId)
    .executeTakeFirst();

describe('ingesting a batch of records', () => {
  it('stores new items, places them in their phase and records a created event', async () => {
    const result = await ingestBatch(
      database.db,
      [plan],
      'jira',
      [record({ externalId: '1', key: 'CHK-1', labels: ['design'] })],
      { origin: 'poll' },
    );
    expect(result).toMatchObject({ applied: 1, unchanged: 0, stale: 0 });
    const placement = await database.db.selectFrom('placements').selectAll().executeTakeFirstOrThrow();
    expect(placement).toMatchObject({ plan_key: 'checkout', phase_key: 'design', state: 'todo' });
    const events = await database.db.selectFrom('item_events').selectAll().execute();
    expect(events.map((e) => e.kind)).toEqual(['created']);
  });

  it('never replaces newer source data with older', async () => {
    await ingestBatch(
      database.db,
      [plan],
      'jira',
      [record({ externalId: '2', title: 'new title', updatedAt: '2026-11-05T10:00:00Z' })],
      { origin: 'poll' },
    );
    const result = await ingestBatch(
      database.db,
      [plan],
      'jira',
      [record({ externalId: '2', title: 'old title', updatedAt: '2026-11-04T10:00:00Z' })],
      { origin: 'webhook' },
    );
    expect(result.stale).toBe(1);
    expect((await item('jira', '2'))?.title).toBe('new title');
  });

  it('gives a replayed batch no effect', async () => {
    const batch = [
      record({ externalId: '3', updatedAt: '2026-11-05T10:00:00Z' }),
      record({ externalId: '4' }),
    ];
    await ingestBatch(database.db, [plan], 'jira', batch, { origin: 'poll' });
    const again = await ingestBatch(database.db, [plan], 'jira', batch, { origin: 'webhook' });
    expect(again).toMatchObject({ applied: 0, unchanged: 2 });
    expect(await database.db.selectFrom('item_events').select('id').execute()).toHaveLength(2);
  });

  it('hashes an item first when a newer version is compared with it, from the stored row', async () => {
    const first = record({ externalId: '6', title: 'Draft rollout plan', updatedAt: '2026-11-05T10:00:00Z' });
    await ingestBatch(database.db, [plan], 'jira', [first], { origin: 'poll' });
    expect((await item('jira', '6'))?.content_hash).toBeNull();

    const same = { ...first, updatedAt: '2026-11-05T10:00:00.000Z' };
    expect(await ingestBatch(database.db, [plan], 'jira', [same], { origin: 'poll' })).toMatchObject({
      applied: 0,
      unchanged: 1,
    });
    const renamed = { ...first, title: 'Rollout plan', updatedAt: '2026-11-06T10:00:00Z' };
    expect(await ingestBatch(database.db, [plan], 'jira', [renamed], { origin: 'poll' })).toMatchObject({
      applied: 1,
    });
    const stored = await item('jira', '6');
    expect(stored).toMatchObject({ title: 'Rollout plan' });
    expect(stored?.content_hash).toEqual(expect.any(String));
    expect(await ingestBatch(database.db, [plan], 'jira', [renamed], { origin: 'poll' })).toMatchObject({
      unchanged: 1,
    });
  });

  it('merges activity a webhook brings into what a poll already stored', async () => {
    const base = {
      externalId: 'acme/checkout#9',
      source: 'github',
      kind: 'pull_request' as const,
      labels: ['build'],
      author: gh('mayachen'),
      state: { raw: 'open', category: 'in_progress' as const },
    };
    await ingestBatch(
      database.db,
      [plan],
      'github',
      [
        record({
          ...base,
          updatedAt: '2026-11-05T10:00:00Z',
          activity: [
            {
              id: 'e1',
              kind: 'review_requested',
              actor: gh('mayachen'),
              target: gh('rajp'),
              at: '2026-11-05T10:00:00Z',
            },
          ],
        }),
      ],
      { origin: 'poll' },
    );
    await ingestBatch(
      database.db,
      [plan],
      'github',
      [
        record({
          ...base,
          updatedAt: '2026-11-05T12:00:00Z',
          activity: [
            {
              id: 'r1',
              kind: 'reviewed',
              actor: gh('rajp'),
              at: '2026-11-05T12:00:00Z',
              detail: { state: 'approved' },
            },
          ],
        }),
      ],
      { origin: 'webhook' },
    );
    const approvals = await database.db.selectFrom('approvals').selectAll().execute();
    expect(approvals).toMatchObject([{ approver_person: 'raj', status: 'approved' }]);
    const handoffs = await database.db.selectFrom('handoffs').selectAll().execute();
    expect(handoffs).toMatchObject([{ kind: 'review', to_person: 'raj', close_reason: 'reviewed' }]);
  });

  it('marks an item deleted from a tombstone, keeps what it knew, and removes its placement', async () => {
    const payload = { id: '5', fields: { summary: 'Keep me' } };
    await ingestBatch(
      database.db,
      [plan],
      'jira',
      [record({ externalId: '5', title: 'Keep me', raw: payload })],
      {
        origin: 'poll',
      },
    );
    await ingestBatch(
      database.db,
      [plan],
      'jira',
      [tombstone('jira', '5', 'issue', new Date('2026-11-06T00:00:00Z'))],
      { origin: 'poll' },
    );
    const deleted = await item('jira', '5');
    expect(deleted).toMatchObject({ deleted: true, title: 'Keep me' });
    expect(JSON.parse(deleted!.raw!)).toEqual(payload);
    expect(await database.db.selectFrom('placements').selectAll().execute()).toEqual([]);
    const events = await database.db.selectFrom('item_events').select('kind').orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['created', 'deleted']);
  });

  it('places a pull request in the phase of the Jira issue it names, whichever arrives first', async () => {
    const pr = record({
      externalId: 'acme/checkout#12',
      source: 'github',
      kind: 'pull_request',
      title: 'CHK-7 Apple Pay',
      references: ['CHK-7'],
    });
    await ingestBatch(database.db, [plan], 'github', [pr], { origin: 'poll' });
    expect(await database.db.selectFrom('placements').selectAll().execute()).toEqual([]);
    await ingestBatch(
      database.db,
      [plan],
      'jira',
      [record({ externalId: '7', key: 'CHK-7', labels: ['design'] })],
      { origin: 'poll' },
    );
    const placements = await database.db
      .selectFrom('placements')
      .select(['external_id', 'phase_key'])
      .orderBy('external_id')
      .execute();
    expect(placements).toEqual([
      { external_id: '7', phase_key: 'design' },
      { external_id: 'acme/checkout#12', phase_key: 'design' },
    ]);
  });

  it('saves the cursor in the same transaction as the page', async () => {
    await ingestBatch(database.db, [plan], 'jira', [record({ externalId: '8' })], {
      origin: 'poll',
      cursor: { since: 'x' },
    });
    const row = await database.db
      .selectFrom('connections')
      .select('cursor')
      .where('name', '=', 'jira')
      .executeTakeFirstOrThrow();
    expect(row.cursor).toEqual({ since: 'x' });
  });

  it('ends with the newest version whatever order the versions arrive in (property)', async () => {
    const versions = [1, 2, 3, 4, 5].map((n) =>
      record({ externalId: 'p', title: `v${n}`, updatedAt: `2026-11-0${n}T10:00:00Z` }),
    );
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(versions, { minLength: 1 }), async (subset) => {
        await database.db.deleteFrom('items').execute();
        for (const version of subset)
          await ingestBatch(database.db, [plan], 'jira', [version], { origin: 'webhook' });
        const newest = subset.reduce((a, b) => (a.updatedAt > b.updatedAt ? a : b));
        expect((await item('jira', 'p'))?.title).toBe(newest.title);
      }),
      { numRuns: 25 },
    );
  });
});

describe('replaying what Baton stored', () => {
  it('records no change when a record with activity and details comes again', async () => {
    const withActivity = record({
      externalId: 'r1',
      fields: { zeta: 1, alpha: { b: 2, a: 1 } },
      activity: [
        {
          id: 'x',
          kind: 'commented',
          actor: { tool: 'jira', id: 'acc-raj', name: 'Raj' },
          at: '2026-11-02T09:30:00Z',
          detail: { z: 1, a: 2 },
        },
      ],
    });
    await ingestBatch(database.db, [plan], 'jira', [withActivity], { origin: 'poll' });
    const again = await ingestBatch(database.db, [plan], 'jira', [structuredClone(withActivity)], {
      origin: 'webhook',
    });
    expect(again).toMatchObject({ applied: 0, unchanged: 1 });
  });
});
