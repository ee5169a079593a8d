import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** The facts a plan's status is computed from, read in a handful of indexed queries. */
export interface PlanFacts {
  counts: { phase_key: string; state: string; n: number }[];
  blocked: ItemFact[];
  approvals: ApprovalFact[];
  approvalsWaitingByPhase: Map<string, number>;
  stalled: HandoffFact[];
  stalledByPhase: Map<string, number>;
  nextOwners: HandoffFact[];
  openHandoffs: number;
  recentChanges: ChangeFact[];
}

/** The item a fact is about: enough to name it and link back to its tool. */
export interface ItemRef {
  connection: string;
  external_id: string;
  key: string | null;
  title: string;
  url: string | null;
  source: string;
}

export interface ItemFact extends ItemRef {
  phase_key: string;
  state: string;
  blocked_reason: string | null;
  owner_name: string | null;
}

export interface ApprovalFact extends ItemRef {
  id: string;
  phase_key: string;
  approver_person: string | null;
  approver_name: string;
  requester_name: string | null;
  requested_at: Date;
}

export interface HandoffFact extends ItemRef {
  id: string;
  phase_key: string;
  kind: string;
  from_name: string | null;
  to_person: string | null;
  to_name: string;
  opened_at: Date;
  sla_due_at: Date | null;
  level: number;
}

export interface ChangeFact extends ItemRef {
  at: Date;
  kind: string;
  origin: string;
  changes: unknown;
  phase_key: string;
}

// Per phase: the oldest few, with totals; full lists come from /api/handoffs and /api/plans/:key/items.
const LIST_LIMIT = 5;

export async function readPlanFacts(
  db: Kysely<Database>,
  planKey: string,
  now: Date,
  sinceChanges: Date,
): Promise<PlanFacts> {
  const itemJoin = sql`join items i on i.connection = x.connection and i.external_id = x.external_id`;
  const [counts, blocked, approvals, approvalCounts, stalled, stalledCounts, nextOwners, open, recent] =
    await Promise.all([
      db
        .selectFrom('placements')
        .select(['phase_key', 'state', (eb) => eb.fn.countAll<string>().as('n')])
        .where('plan_key', '=', planKey)
        .groupBy(['phase_key', 'state'])
        .execute(),
      sql<ItemFact>`
      select x.phase_key, x.connection, x.external_id, i.key, i.title, i.url, i.source, x.state, x.blocked_reason, x.owner_name
      from placements x ${itemJoin}
      where x.plan_key = ${planKey} and x.state = 'blocked'
      order by x.phase_key, i.source_updated_at limit ${LIST_LIMIT * 4}`.execute(db),
      sql<ApprovalFact>`
      select * from (
        select x.id, x.phase_key, x.connection, x.external_id, i.key, i.title, i.url, i.source,
          x.approver_person, x.approver_name, x.requester_name, x.requested_at,
          row_number() over (partition by x.phase_key order by x.requested_at) as rank
        from approvals x ${itemJoin}
        where x.plan_key = ${planKey} and x.status = 'pending'
      ) ranked where rank <= ${LIST_LIMIT} order by requested_at`.execute(db),
      db
        .selectFrom('approvals')
        .select(['phase_key', (eb) => eb.fn.countAll<string>().as('n')])
        .where('plan_key', '=', planKey)
        .where('status', '=', 'pending')
        .groupBy('phase_key')
        .execute(),
      sql<HandoffFact>`
      select * from (
        select x.id, x.phase_key, x.connection, x.external_id, i.key, i.title, i.url, i.source, x.kind,
          x.from_name, x.to_person, x.to_name, x.opened_at, x.sla_due_at, x.level,
          row_number() over (partition by x.phase_key order by x.opened_at) as rank
        from handoffs x ${itemJoin}
        where x.plan_key = ${planKey} and x.closed_at is null and x.sla_due_at <= ${now}
      ) ranked where rank <= ${LIST_LIMIT} order by opened_at`.execute(db),
      db
        .selectFrom('handoffs')
        .select(['phase_key', (eb) => eb.fn.countAll<string>().as('n')])
        .where('plan_key', '=', planKey)
        .where('closed_at', 'is', null)
        .where('sla_due_at', '<=', now)
        .groupBy('phase_key')
        .execute(),
      sql<HandoffFact>`
      select distinct on (x.phase_key) x.id, x.phase_key, x.connection, x.external_id, i.key, i.title, i.url, i.source,
        x.kind, x.from_name, x.to_person, x.to_name, x.opened_at, x.sla_due_at, x.level
      from handoffs x ${itemJoin}
      where x.plan_key = ${planKey} and x.closed_at is null
      order by x.phase_key, x.opened_at`.execute(db),
      db
        .selectFrom('handoffs')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('plan_key', '=', planKey)
        .where('closed_at', 'is', null)
        .executeTakeFirst(),
      sql<ChangeFact>`
      select e.at, e.kind, e.origin, e.changes, e.connection, e.external_id, i.key, i.title, i.url, i.source, p.phase_key
      from item_events e
      join placements p on p.connection = e.connection and p.external_id = e.external_id and p.plan_key = ${planKey}
      join items i on i.connection = e.connection and i.external_id = e.external_id
      where e.at >= ${sinceChanges}
      order by e.at desc limit 30`.execute(db),
    ]);
  return {
    counts: counts.map((c) => ({ ...c, n: Number(c.n) })),
    blocked: blocked.rows,
    approvals: approvals.rows,
    approvalsWaitingByPhase: new Map(approvalCounts.map((c) => [c.phase_key, Number(c.n)])),
    stalled: stalled.rows,
    stalledByPhase: new Map(stalledCounts.map((c) => [c.phase_key, Number(c.n)])),
    nextOwners: nextOwners.rows,
    openHandoffs: Number(open?.n ?? 0),
    recentChanges: recent.rows,
  };
}
