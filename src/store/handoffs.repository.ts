import { type Kysely, sql, type Transaction } from 'kysely';
import { enqueueSendJobs, holdAlertsOf, withdrawAlertsOf } from './alerts.repository.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface HandoffKey {
  connection: string;
  id: string;
}

const keyed = (keys: HandoffKey[]) =>
  sql<boolean>`(handoffs.connection, handoffs.id) in (select * from unnest(${keys.map((k) => k.connection)}::text[], ${keys.map((k) => k.id)}::text[]))`;

const CLOCK_COLUMNS = [
  'connection',
  'id',
  'external_id',
  'plan_key',
  'phase_key',
  'kind',
  'to_person',
  'to_name',
  'to_identity',
  'opened_at',
  'sla_due_at',
  'level',
  'stalled_at',
  'snoozed_until',
  'acked_at',
] as const;

/**
 * Open handoffs due for a check, locked for this transaction; rows another evaluator holds are
 * skipped, not waited for. Served by the partial index handoffs_due.
 */
export async function claimDueHandoffs(trx: Transaction<Database>, now: Date, limit: number) {
  return trx
    .selectFrom('handoffs')
    .select(CLOCK_COLUMNS)
    .where('closed_at', 'is', null)
    .where('next_check_at', 'is not', null)
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
export type DueHandoff = Awaited<ReturnType<typeof claimDueHandoffs>>[number];

export interface HandoffEvaluation extends HandoffKey {
  level: number;
  stalledAt: Date | null;
  nextCheckAt: Date | null;
}

/**
 * The statement storing many evaluations at once, for handoffs claimed by this pass (still due
 * at `now`: that predicate lets the planner read them through handoffs_due instead of hashing
 * the whole table).
 */
export function evaluationsUpdate(rows: HandoffEvaluation[], now: Date) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return sql`
    update handoffs h set level = u.level, stalled_at = u.stalled_at, next_check_at = u.next_check_at,
      updated_at = ${now}
    from unnest(${rows.map((r) => r.connection)}::text[], ${rows.map((r) => r.id)}::text[],
      ${rows.map((r) => r.level)}::int[], ${rows.map((r) => iso(r.stalledAt))}::timestamptz[],
      ${rows.map((r) => iso(r.nextCheckAt))}::timestamptz[]) as u(connection, id, level, stalled_at, next_check_at)
    where h.connection = u.connection and h.id = u.id
      and h.closed_at is null and h.next_check_at is not null and h.next_check_at <= ${now}`;
}

export async function saveEvaluations(db: Db, rows: HandoffEvaluation[], now: Date): Promise<void> {
  if (rows.length > 0) await evaluationsUpdate(rows, now).execute(db);
}

/** Handoffs with their item, for the API and for alert texts. */
function withItem(db: Db) {
  return db
    .selectFrom('handoffs')
    .leftJoin('items', (join) =>
      join
        .onRef('items.connection', '=', 'handoffs.connection')
        .onRef('items.external_id', '=', 'handoffs.external_id'),
    )
    .selectAll('handoffs')
    .select(['items.key as item_key', 'items.title as item_title', 'items.url as item_url', 'items.source'])
    .select('items.fields as item_fields');
}
export type HandoffWithItem = Awaited<ReturnType<ReturnType<typeof withItem>['execute']>>[number];

/** Every handoff with this id (ids are unique per connection; a clash across connections is returned whole). */
export async function findHandoffs(db: Db, id: string): Promise<HandoffWithItem[]> {
  return withItem(db).where('handoffs.id', '=', id).execute();
}

export async function findHandoff(db: Db, key: HandoffKey): Promise<HandoffWithItem | undefined> {
  return withItem(db)
    .where('handoffs.connection', '=', key.connection)
    .where('handoffs.id', '=', key.id)
    .executeTakeFirst();
}

/**
 * What a person's digest lists: open handoffs they were told about (through `digested` alerts)
 * that nobody acknowledged and that are not snoozed now.
 */
export async function digestHandoffs(db: Db, recipient: string, now: Date): Promise<HandoffWithItem[]> {
  return withItem(db)
    .where('handoffs.closed_at', 'is', null)
    .where('handoffs.acked_at', 'is', null)
    .where((eb) => eb.or([eb('handoffs.snoozed_until', 'is', null), eb('handoffs.snoozed_until', '<=', now)]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('alerts')
          .select('alerts.id')
          .where('alerts.status', '=', 'digested')
          .where('alerts.recipient', '=', recipient)
          .whereRef('alerts.connection', '=', 'handoffs.connection')
          .whereRef('alerts.handoff_id', '=', 'handoffs.id'),
      ),
    )
    .orderBy('handoffs.opened_at')
    .limit(200)
    .execute();
}

/** Open handoffs of some items in one plan (for commands written on those items). */
export async function openHandoffsOfItems(db: Db, plan: string, connection: string, externalIds: string[]) {
  if (externalIds.length === 0) return [];
  return db
    .selectFrom('handoffs')
    .select(['id', 'external_id', 'to_person', 'to_identity', 'opened_at', 'snoozed_until', 'acked_at'])
    .where('plan_key', '=', plan)
    .where('connection', '=', connection)
    .where('external_id', 'in', externalIds)
    .where('closed_at', 'is', null)
    .execute();
}

/** Snoozes open handoffs: no alert until `until`; a check already planned moves there. */
export async function snoozeHandoffs(db: Db, keys: HandoffKey[], until: Date, now: Date): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await db
    .updateTable('handoffs')
    .set({
      snoozed_until: until,
      next_check_at: sql`case when next_check_at is null then null else greatest(next_check_at, ${until}) end`,
      updated_at: now,
    })
    .where(keyed(keys))
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Acknowledged: the receiver has seen it; the ladder stops (the handoff stays open). */
export async function ackHandoffs(db: Db, keys: HandoffKey[], at: Date, now: Date): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await db
    .updateTable('handoffs')
    .set({ acked_at: sql`coalesce(acked_at, ${at})`, next_check_at: null, updated_at: now })
    .where(keyed(keys))
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function byConnection(keys: HandoffKey[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { connection, id } of keys) grouped.set(connection, [...(grouped.get(connection) ?? []), id]);
  return grouped;
}

/** Snooze plus its effect on the queue: queued alerts wait for the snooze to end. */
export async function snoozeAndHold(db: Db, keys: HandoffKey[], until: Date, now: Date): Promise<number> {
  const count = await snoozeHandoffs(db, keys, until, now);
  for (const [connection, ids] of byConnection(keys)) {
    const held = await holdAlertsOf(db, connection, ids, until, now);
    await enqueueSendJobs(
      db,
      held.map((a) => ({ id: a.id, runAt: a.not_before })),
    );
  }
  return count;
}

/** Acknowledge plus its effect on the queue: queued alerts are withdrawn. */
export async function ackAndWithdraw(db: Db, keys: HandoffKey[], at: Date, now: Date): Promise<number> {
  const count = await ackHandoffs(db, keys, at, now);
  for (const [connection, ids] of byConnection(keys)) await withdrawAlertsOf(db, connection, ids, now);
  return count;
}
