import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DerivedApproval, DerivedHandoff } from '../domain/derive-handoffs.js';
import { refKey } from '../domain/person-ref.js';
import type { ItemDerivation } from '../domain/place-item.js';
import type { CompiledPlan } from '../domain/plan.js';
import { personCalendar, slaDueAt } from '../domain/sla-clock.js';
import { withdrawAlertsOf } from './alerts.repository.js';
import { insertRows, setExcluded } from './bulk-insert.js';
import type { Database, NewApproval, NewHandoff } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const PLACEMENT_COLUMNS = [
  'connection',
  'external_id',
  'plan_key',
  'phase_key',
  'state',
  'owner_person',
  'owner_name',
  'blocked_reason',
] as const;
const HANDOFF_COLUMNS = [
  'connection',
  'id',
  'external_id',
  'plan_key',
  'phase_key',
  'kind',
  'from_person',
  'from_name',
  'to_person',
  'to_name',
  'to_identity',
  'opened_at',
  'closed_at',
  'close_reason',
  'sla_due_at',
  'next_check_at',
  'stalled_at',
  'snoozed_until',
  'acked_at',
] as const satisfies readonly (keyof NewHandoff)[];
const APPROVAL_COLUMNS = [
  'connection',
  'id',
  'external_id',
  'plan_key',
  'phase_key',
  'requester_person',
  'requester_name',
  'approver_person',
  'approver_name',
  'status',
  'requested_at',
  'decided_at',
  'evidence_url',
] as const satisfies readonly (keyof NewApproval)[];

export interface ItemDerivationRow {
  externalId: string;
  url?: string;
  derivation: ItemDerivation;
  /** First seen in this batch: nothing was derived for it before, so there is nothing to remove. */
  isNew?: boolean;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** Deterministic ids: re-deriving the same activity updates the same rows. */
export function handoffId(planKey: string, externalId: string, h: DerivedHandoff): string {
  return shortHash(`${planKey}|${externalId}|${h.kind}|${refKey(h.to)}|${h.openedAt}`);
}

export function approvalId(planKey: string, externalId: string, a: DerivedApproval): string {
  return shortHash(`${planKey}|${externalId}|${refKey(a.approver)}|${a.requestedAt}`);
}

/** Derived rows were about to be written for a plan that is not stored (it was just removed). */
export class PlanNotStoredError extends Error {
  constructor(readonly planKey: string) {
    super(
      `plan "${planKey}" is not stored (its mapping file was removed?): nothing derived for it was written`,
    );
    this.name = 'PlanNotStoredError';
  }
}

/**
 * The plan's row, locked against removal until the caller's transaction ends: the lock a foreign
 * key from each derived row would take, taken once per batch instead of once per row.
 */
async function holdPlan(db: Db, planKey: string): Promise<void> {
  const held = await db
    .selectFrom('plans')
    .select('key')
    .where('key', '=', planKey)
    .forKeyShare()
    .executeTakeFirst();
  if (!held) throw new PlanNotStoredError(planKey);
}

/**
 * Writes what one plan derived for a set of items of one connection: placements, handoffs and
 * approvals. Rows no longer derived are removed; escalation state on handoffs is kept. Run it in
 * a transaction: the plan stays locked against removal until that transaction ends.
 */
export async function saveDerivations(
  db: Db,
  plan: CompiledPlan,
  connection: string,
  items: ItemDerivationRow[],
): Promise<void> {
  if (items.length === 0) return;
  await holdPlan(db, plan.key);
  // Only items Baton held before can have rows to remove (a full sync skips these deletes).
  const ids = items.filter((i) => !i.isNew).map((i) => i.externalId);
  const placed = items.filter((i) => i.derivation.placement !== null);
  const unplaced = items.filter((i) => i.derivation.placement === null && !i.isNew).map((i) => i.externalId);

  if (unplaced.length > 0) {
    await db
      .deleteFrom('placements')
      .where('connection', '=', connection)
      .where('plan_key', '=', plan.key)
      .where('external_id', 'in', unplaced)
      .execute();
  }
  if (placed.length > 0) {
    await insertRows(
      db,
      'placements',
      PLACEMENT_COLUMNS,
      placed.map(({ externalId, derivation }) => {
        const p = derivation.placement!;
        return {
          connection,
          external_id: externalId,
          plan_key: plan.key,
          phase_key: p.phase,
          state: p.state,
          owner_person: p.owner?.person ?? null,
          owner_name: p.owner?.name ?? null,
          blocked_reason: p.blockedReason,
        };
      }),
      `on conflict (connection, external_id, plan_key) do update
       set ${setExcluded(['phase_key', 'state', 'owner_person', 'owner_name', 'blocked_reason'])}, updated_at = now()`,
    );
  }

  const handoffRows: NewHandoff[] = [];
  const approvalRows: NewApproval[] = [];
  for (const { externalId, url, derivation } of placed) {
    const phase = derivation.placement!.phase;
    for (const h of derivation.handoffs) {
      const due = h.closedAt
        ? null
        : slaDueAt(new Date(h.openedAt), h.kind, plan.handoffs, personCalendar(plan, h.to.person));
      handoffRows.push({
        connection,
        id: handoffId(plan.key, externalId, h),
        external_id: externalId,
        plan_key: plan.key,
        phase_key: phase,
        kind: h.kind,
        from_person: h.from?.person ?? null,
        from_name: h.from?.name ?? null,
        to_person: h.to.person,
        to_name: h.to.name,
        to_identity: JSON.stringify(h.to.identity),
        opened_at: h.openedAt,
        closed_at: h.closedAt,
        close_reason: h.closeReason,
        sla_due_at: due,
        next_check_at: due,
        stalled_at: null,
        snoozed_until: null,
        acked_at: null,
      });
    }
    for (const a of derivation.approvals) {
      approvalRows.push({
        connection,
        id: approvalId(plan.key, externalId, a),
        external_id: externalId,
        plan_key: plan.key,
        phase_key: phase,
        requester_person: a.requester?.person ?? null,
        requester_name: a.requester?.name ?? null,
        approver_person: a.approver.person,
        approver_name: a.approver.name,
        status: a.status,
        requested_at: a.requestedAt,
        decided_at: a.decidedAt,
        evidence_url: url ?? null,
      });
    }
  }

  uniqueById(handoffRows);
  uniqueById(approvalRows);
  await dropOutdated(db, 'handoffs', connection, plan.key, ids, handoffRows);
  if (handoffRows.length > 0) {
    await insertRows(
      db,
      'handoffs',
      HANDOFF_COLUMNS,
      handoffRows,
      `on conflict (connection, id) do update
       set ${setExcluded(['phase_key', 'from_person', 'from_name', 'to_person', 'to_name', 'closed_at', 'close_reason', 'sla_due_at'])},
         next_check_at = case
           when excluded.closed_at is not null then null
           when handoffs.sla_due_at is distinct from excluded.sla_due_at then excluded.next_check_at
           else handoffs.next_check_at end,
         updated_at = now()`,
    );
    const known = new Set(ids);
    const closed = handoffRows.filter((h) => h.closed_at && known.has(h.external_id)).map((h) => h.id);
    await withdrawAlertsOf(db, connection, closed);
  }

  await dropOutdated(db, 'approvals', connection, plan.key, ids, approvalRows);
  if (approvalRows.length > 0) {
    await insertRows(
      db,
      'approvals',
      APPROVAL_COLUMNS,
      approvalRows,
      `on conflict (connection, id) do update
       set ${setExcluded(['phase_key', 'status', 'decided_at', 'approver_person', 'approver_name', 'requester_person', 'requester_name', 'evidence_url'])},
         updated_at = now()`,
    );
  }
}

/** Deletes this plan's rows of `table` for these items that the new derivation no longer yields. */
async function dropOutdated(
  db: Db,
  table: 'handoffs' | 'approvals',
  connection: string,
  planKey: string,
  ids: string[],
  kept: { id: string }[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom(table)
    .where('connection', '=', connection)
    .where('plan_key', '=', planKey)
    .where('external_id', 'in', ids)
    .$if(kept.length > 0, (q) =>
      q.where(
        'id',
        'not in',
        kept.map((row) => row.id),
      ),
    )
    .execute();
}

/** Keeps the last row per id (one statement may not touch a row twice). */
function uniqueById<T extends { id: string }>(rows: T[]): void {
  const last = new Map(rows.map((row, index) => [row.id, index]));
  let write = 0;
  for (let read = 0; read < rows.length; read++) {
    if (last.get(rows[read].id) === read) rows[write++] = rows[read];
  }
  rows.length = write;
}
