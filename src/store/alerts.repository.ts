import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { AlertRow, Database, NewAlert } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Statuses from which an alert may still be sent. */
const SENDABLE = ['pending', 'failed'] as const;

/**
 * Inserts alerts; one already there under the same dedupe key wins (a replayed evaluation, a
 * second worker). Returns only the rows this call created.
 */
/** The INSERT of many alerts (one parameter per column, not per value), returning what it created. */
function alertsInsert(rows: NewAlert[]) {
  const column = <T>(pick: (row: NewAlert) => T) => rows.map(pick);
  const time = (value: Date | string | undefined) =>
    value === undefined ? new Date().toISOString() : new Date(value).toISOString();
  return sql`
    insert into alerts (kind, connection, handoff_id, plan_key, level, channel, recipient, recipient_name,
      dedupe_key, status, not_before)
    select * from unnest(
      ${column((r) => r.kind ?? 'handoff')}::text[], ${column((r) => r.connection ?? null)}::text[],
      ${column((r) => r.handoff_id ?? null)}::text[], ${column((r) => r.plan_key)}::text[],
      ${column((r) => r.level)}::int[], ${column((r) => r.channel)}::text[], ${column((r) => r.recipient)}::text[],
      ${column((r) => r.recipient_name ?? null)}::text[], ${column((r) => r.dedupe_key)}::text[],
      ${column((r) => r.status ?? 'pending')}::text[], ${column((r) => time(r.not_before))}::timestamptz[])
    on conflict (dedupe_key) do nothing
    returning id, status, not_before`;
}

/**
 * Inserts alerts; one already there under the same dedupe key wins (a replayed evaluation, a
 * second worker). Returns only the rows this call created.
 */
export async function insertAlerts(
  db: Db,
  rows: NewAlert[],
): Promise<{ id: string; status: string; not_before: Date }[]> {
  if (rows.length === 0) return [];
  return (await sql<{ id: string; status: string; not_before: Date }>`${alertsInsert(rows)}`.execute(db))
    .rows;
}

/**
 * In one statement (one round trip per evaluation batch): `first` (the batch's handoff
 * updates), the alerts, and a `send_alert` job for each pending alert created — so an alert
 * and its job commit together or not at all. Returns how many alerts were created.
 */
export async function insertAlertsWithJobs(
  db: Db,
  rows: NewAlert[],
  first?: RawBuilder<unknown>,
): Promise<number> {
  if (rows.length === 0) {
    if (first) await first.execute(db);
    return 0;
  }
  const result = await sql<{ inserted: number }>`
    with ${first ? sql`first as (${first}),` : sql``}
    created as (${alertsInsert(rows)})
    select count(*)::int as inserted,
      (select count(*) from graphile_worker.add_jobs(array(
        select row('send_alert'::text, json_build_object('alert', id::text), null::text, not_before, 5::smallint,
          'alert:' || id, null::smallint, null::text[])::graphile_worker.job_spec
        from created where status = 'pending'), false)) as jobs
    from created`.execute(db);
  return result.rows[0].inserted;
}

/**
 * One `send_alert` job per alert, keyed by the alert so repeats collapse. Called inside the
 * transaction that wrote the alerts: the row and its job commit together or not at all.
 */
export async function enqueueSendJobs(db: Db, jobs: { id: string; runAt: Date }[]): Promise<void> {
  if (jobs.length === 0) return;
  const specs = jobs.map((job) => ({
    identifier: 'send_alert',
    payload: { alert: job.id },
    run_at: job.runAt.toISOString(),
    job_key: `alert:${job.id}`,
    max_attempts: 5,
  }));
  await sql`select count(*) from graphile_worker.add_jobs(
      array(select json_populate_recordset(null::graphile_worker.job_spec, ${JSON.stringify(specs)}::json)),
      false)`.execute(db);
}

/**
 * Takes an alert for sending: only one sender gets it, and only while it is due. A claim whose
 * lease ran out (its sender died) can be taken over.
 */
export async function claimAlert(
  db: Db,
  id: string,
  now: Date,
  leaseMs: number,
): Promise<AlertRow | undefined> {
  return db
    .updateTable('alerts')
    .set({ status: 'sending', lease_until: new Date(now.getTime() + leaseMs), updated_at: now })
    .where('id', '=', id)
    .where('not_before', '<=', now)
    .where((eb) =>
      eb.or([
        eb('status', 'in', SENDABLE),
        eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Gives a claimed alert back: held (pending until `notBefore`) or withdrawn. */
export async function releaseAlert(
  db: Db,
  id: string,
  change: { status: 'pending' | 'withdrawn'; notBefore?: Date; reason?: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({
      status: change.status,
      lease_until: null,
      updated_at: now,
      ...(change.notBefore && { not_before: change.notBefore }),
      ...(change.reason && { last_error: change.reason }),
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

export async function markSent(db: Db, id: string, ref: string | undefined, now: Date): Promise<void> {
  await db
    .updateTable('alerts')
    .set((eb) => ({
      status: 'sent',
      sent_at: now,
      ref: ref ?? null,
      attempts: eb('attempts', '+', 1),
      last_error: null,
      lease_until: null,
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** A failed attempt: retried at `retryAt`, or given up on (`dead`) when `retryAt` is null. */
export async function markFailed(
  db: Db,
  id: string,
  error: string,
  retryAt: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set((eb) => ({
      status: retryAt ? 'failed' : 'dead',
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 1000),
      lease_until: null,
      updated_at: now,
      ...(retryAt && { not_before: retryAt }),
    }))
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** The alerts still queued for these handoffs leave the queue (the handoffs closed or were acknowledged). */
export async function withdrawAlertsOf(
  db: Db,
  connection: string,
  handoffIds: string[],
  now: Date = new Date(),
): Promise<number> {
  if (handoffIds.length === 0) return 0;
  const result = await db
    .updateTable('alerts')
    .set({ status: 'withdrawn', updated_at: now })
    .where('connection', '=', connection)
    .where('handoff_id', 'in', handoffIds)
    .where('status', 'in', SENDABLE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Queued alerts of snoozed handoffs wait until the snooze ends; returns them to reschedule. */
export async function holdAlertsOf(
  db: Db,
  connection: string,
  handoffIds: string[],
  until: Date,
  now: Date,
): Promise<{ id: string; not_before: Date }[]> {
  if (handoffIds.length === 0) return [];
  return db
    .updateTable('alerts')
    .set({ not_before: sql<Date>`greatest(not_before, ${until})`, updated_at: now })
    .where('connection', '=', connection)
    .where('handoff_id', 'in', handoffIds)
    .where('status', 'in', SENDABLE)
    .returning(['id', 'not_before'])
    .execute();
}

/**
 * Alerts that should have gone out but have no sender: a lost job, or a sender that died
 * holding the claim. The evaluation pass requeues them (the job key collapses duplicates).
 */
export async function strandedAlerts(db: Db, now: Date, graceMs: number, limit: number): Promise<string[]> {
  // Two queries, each served by its partial index (alerts_pending, alerts_leased).
  const queued = await db
    .selectFrom('alerts')
    .select('id')
    .where('status', 'in', SENDABLE)
    .where('not_before', '<=', new Date(now.getTime() - graceMs))
    .limit(limit)
    .execute();
  const abandoned = await db
    .selectFrom('alerts')
    .select('id')
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .limit(limit)
    .execute();
  return [...queued, ...abandoned].map((r) => r.id);
}

export interface AlertFilters {
  status?: string;
  plan?: string;
  handoff?: string;
  limit: number;
}

export async function listAlerts(db: Db, filters: AlertFilters): Promise<AlertRow[]> {
  // Newest first by id (an identity: creation order), which the primary key serves.
  let query = db.selectFrom('alerts').selectAll().orderBy('id', 'desc');
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.plan) query = query.where('plan_key', '=', filters.plan);
  if (filters.handoff) query = query.where('handoff_id', '=', filters.handoff);
  return query.limit(filters.limit).execute();
}
