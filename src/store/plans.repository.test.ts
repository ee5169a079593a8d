import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, testPlan } from '../../test/support/plan-fixture.js';
import { createTestDatabase } from '../../test/support/test-database.js';
import { deriveItem } from '../domain/place-item.js';
import type { CompiledPlan } from '../domain/plan.js';
import type { DatabaseHandle } from './database.js';
import { PlanNotStoredError, saveDerivations } from './derived.repository.js';
import { removePlansExcept, savePlan } from './plans.repository.js';

let database: DatabaseHandle;
const checkout = testPlan();
const vendor = testPlan({ key: 'vendor', title: 'Vendor onboarding' });

/** An item Maya handed to Raj, who then asked for Maya's approval: a placement, two handoffs, an approval. */
const handedOver = record({
  externalId: '10001',
  key: 'CHK-1',
  activity: [
    {
      id: 'h1',
      kind: 'assigned',
      actor: { tool: 'jira', id: 'acc-maya' },
      target: { tool: 'jira', id: 'acc-raj' },
      at: '2026-11-02T10:00:00Z',
    },
    {
      id: 'h2',
      kind: 'approval_requested',
      actor: { tool: 'jira', id: 'acc-raj' },
      target: { tool: 'jira', id: 'acc-maya' },
      at: '2026-11-02T11:00:00Z',
    },
  ],
});

/** Saves what the plan derives for the item, on `db` (the database, or a transaction). */
const derive = (plan: CompiledPlan, db: Parameters<typeof saveDerivations>[0] = database.db) =>
  saveDerivations(db, plan, 'jira', [
    { externalId: handedOver.externalId, derivation: deriveItem(plan, 'jira', handedOver), isNew: true },
  ]);

/** Derived rows per table for a plan. */
async function rowsOf(planKey: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['placements', 'handoffs', 'approvals']) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
      where plan_key = ${planKey}`.execute(database.db);
    counts[table] = rows[0].n;
  }
  return counts;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('a plan and the rows derived for it', () => {
  it('removing a plan removes its placements, handoffs and approvals, and no other plan’s', async () => {
    await savePlan(database.db, checkout);
    await savePlan(database.db, vendor);
    await derive(checkout);
    await derive(vendor);
    expect(await rowsOf('checkout')).toEqual({ placements: 1, handoffs: 2, approvals: 1 });

    expect(await removePlansExcept(database.db, ['vendor'])).toEqual(['checkout']);
    expect(await rowsOf('checkout')).toEqual({ placements: 0, handoffs: 0, approvals: 0 });
    expect(await rowsOf('vendor')).toEqual({ placements: 1, handoffs: 2, approvals: 1 });
  });

  it('writes nothing for a plan that is not stored, and says which plan', async () => {
    const gone = testPlan({ key: 'gone' });
    await expect(database.db.transaction().execute((trx) => derive(gone, trx))).rejects.toThrow(
      PlanNotStoredError,
    );
    expect(await rowsOf('gone')).toEqual({ placements: 0, handoffs: 0, approvals: 0 });
  });

  it('a plan removed while a batch writes its rows waits for the batch, then leaves none of them', async () => {
    await savePlan(database.db, checkout);
    let finishBatch!: () => void;
    const batchMayFinish = new Promise<void>((resolve) => (finishBatch = resolve));
    const batch = database.db.transaction().execute(async (trx) => {
      await derive(checkout, trx);
      await batchMayFinish;
    });
    await waitFor(planLocked);
    const removal = removePlansExcept(database.db, ['vendor']);
    await waitFor(waitingOnALock);
    finishBatch();
    await batch;
    expect(await removal).toEqual(['checkout']);
    expect(await rowsOf('checkout')).toEqual({ placements: 0, handoffs: 0, approvals: 0 });
  });
});

/** A transaction holds its key-share lock on the plans table (the batch has locked its plan). */
async function planLocked(): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks l
    join pg_class c on c.oid = l.relation
    where c.relname = 'plans' and l.mode = 'RowShareLock' and l.granted`.execute(database.db);
  return rows[0].n > 0;
}

/** Some statement of this database is waiting for a lock (the removal, behind the batch). */
async function waitingOnALock(): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
  return rows[0].n > 0;
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}
