import type { Kysely } from 'kysely';
import type { CompiledPlan } from '../domain/plan.js';
import type { Database } from './schema.js';

/** The plan as shown on the page and in the API (no compiled predicates). */
export function planDoc(plan: CompiledPlan) {
  return {
    outcome: plan.outcome,
    scope: plan.scope,
    successCriteria: plan.successCriteria,
    constraints: plan.constraints,
    startsOn: plan.startsOn ?? null,
    targetDate: plan.targetDate ?? null,
    owner: plan.owner,
    decisionMakers: plan.decisionMakers,
  };
}

/** Writes a plan, its phases and its people (replacing what the previous version said). */
export async function savePlan(db: Kysely<Database>, plan: CompiledPlan): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('plans')
      .values({
        key: plan.key,
        title: plan.title,
        doc: JSON.stringify(planDoc(plan)),
        source_file: plan.sourceFile,
        hash: plan.hash,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          doc: eb.ref('excluded.doc'),
          source_file: eb.ref('excluded.source_file'),
          hash: eb.ref('excluded.hash'),
          loaded_at: new Date(),
        })),
      )
      .execute();
    await trx.deleteFrom('phases').where('plan_key', '=', plan.key).execute();
    await trx.deleteFrom('people').where('plan_key', '=', plan.key).execute();
    await trx
      .insertInto('phases')
      .values(
        plan.phases.map((p) => ({
          plan_key: plan.key,
          key: p.key,
          position: p.position,
          name: p.name,
          owner: p.owner,
          depends_on: p.dependsOn,
          starts_on: p.startsOn ?? null,
          due_on: p.dueOn ?? null,
          doc: JSON.stringify({
            inputs: p.inputs,
            exitCriteria: p.exitCriteria,
            reviewers: p.reviewers,
            decisionMakers: p.decisionMakers,
          }),
        })),
      )
      .execute();
    if (plan.people.length > 0) {
      await trx
        .insertInto('people')
        .values(
          plan.people.map((p) => ({
            plan_key: plan.key,
            key: p.key,
            name: p.name,
            email: p.email ?? null,
            working_hours: p.workingHours ? JSON.stringify(p.workingHours) : null,
          })),
        )
        .execute();
      const identities = plan.people.flatMap((p) =>
        Object.entries(p.identities).flatMap(([tool, ids]) =>
          [...new Set(ids.map((id) => id.toLowerCase()))].map((identity) => ({
            plan_key: plan.key,
            tool,
            identity,
            person_key: p.key,
          })),
        ),
      );
      if (identities.length > 0) {
        await trx
          .insertInto('person_identities')
          .values(identities)
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
  });
}

/**
 * Removes plans whose files are gone, with their derived rows (placements, handoffs, approvals
 * carry no foreign key: see saveDerivations). The plan rows go first: deleting one waits for any
 * ingest batch that holds its key-share lock, so the derived rows deleted next include that
 * batch's, and later batches find the plan gone.
 */
export async function removePlansExcept(db: Kysely<Database>, keep: string[]): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    let query = trx.deleteFrom('plans').returning('key');
    if (keep.length > 0) query = query.where('key', 'not in', keep);
    const removed = (await query.execute()).map((r) => r.key);
    if (removed.length > 0) {
      for (const table of ['placements', 'handoffs', 'approvals'] as const) {
        await trx.deleteFrom(table).where('plan_key', 'in', removed).execute();
      }
    }
    return removed;
  });
}

export async function storedPlanHashes(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('plans').select(['key', 'hash']).execute();
  return new Map(rows.map((r) => [r.key, r.hash]));
}
