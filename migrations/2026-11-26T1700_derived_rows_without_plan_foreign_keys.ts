import { type Kysely, sql } from 'kysely';

// Placements, handoffs and approvals are derived from items and a plan, and only Baton writes
// them. Their foreign keys to plans ran a trigger query for every derived row: 126,000 of them in
// a 100,000-issue first sync, ~1 s of database CPU and ~6 % of the sync's time. Each batch now
// takes the same key-share lock on its plan once (saveDerivations), and removing a plan deletes
// its derived rows itself (removePlansExcept).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table placements drop constraint placements_plan_key_fkey;
    alter table handoffs drop constraint handoffs_plan_key_fkey;
    alter table approvals drop constraint approvals_plan_key_fkey;
  `.execute(db);
}
