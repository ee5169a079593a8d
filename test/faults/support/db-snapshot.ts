import type { Kysely } from 'kysely';
import { contentHash } from '../../../src/ingest/item-changes.js';
import { recordFromRow } from '../../../src/store/items.repository.js';
import type { Database } from '../../../src/store/schema.js';

/** What a connection's sync leaves behind, keyed by item: comparable across databases. */
export interface SyncSnapshot {
  items: Map<string, string>;
  /** Every event of an item, in the order written: a duplicate shows as a longer list. */
  events: Map<string, string>;
  placements: Map<string, string>;
  handoffs: Map<string, string>;
  approvals: Map<string, string>;
}

function grouped<T extends { external_id: string }>(rows: T[], describe: (row: T) => unknown) {
  const out = new Map<string, unknown[]>();
  for (const row of rows) {
    const list = out.get(row.external_id) ?? [];
    list.push(describe(row));
    out.set(row.external_id, list);
  }
  return new Map([...out].map(([id, list]) => [id, JSON.stringify(list)]));
}

export async function syncSnapshot(db: Kysely<Database>, connection: string): Promise<SyncSnapshot> {
  const [items, events, placements, handoffs, approvals] = await Promise.all([
    db.selectFrom('items').selectAll().where('connection', '=', connection).execute(),
    db
      .selectFrom('item_events')
      .select(['external_id', 'kind', 'origin', 'source_updated_at', 'changes'])
      .where('connection', '=', connection)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('placements')
      .select(['external_id', 'plan_key', 'phase_key', 'state', 'owner_person'])
      .where('connection', '=', connection)
      .orderBy('plan_key')
      .orderBy('external_id')
      .execute(),
    db
      .selectFrom('handoffs')
      .select(['external_id', 'id', 'kind', 'to_name', 'opened_at', 'closed_at'])
      .where('connection', '=', connection)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('approvals')
      .select(['external_id', 'id', 'approver_name', 'status', 'requested_at'])
      .where('connection', '=', connection)
      .orderBy('id')
      .execute(),
  ]);
  return {
    // The content itself, not the stored hash (an item first stored has none yet).
    items: grouped(items, (r) => [contentHash(recordFromRow(r)), r.deleted]),
    events: grouped(events, (r) => [r.kind, r.origin, r.source_updated_at.toISOString(), r.changes]),
    placements: grouped(placements, (r) => [r.plan_key, r.phase_key, r.state, r.owner_person]),
    handoffs: grouped(handoffs, (r) => [r.id, r.kind, r.to_name, r.opened_at, r.closed_at]),
    approvals: grouped(approvals, (r) => [r.id, r.approver_name, r.status, r.requested_at]),
  };
}

/** Differences between two snapshots, at most `limit` lines: empty when they are equal. */
export function snapshotDifferences(actual: SyncSnapshot, expected: SyncSnapshot, limit = 20): string[] {
  const out: string[] = [];
  for (const table of ['items', 'events', 'placements', 'handoffs', 'approvals'] as const) {
    const a = actual[table];
    const e = expected[table];
    for (const [id, value] of e) {
      if (!a.has(id)) out.push(`${table}: ${id} missing`);
      else if (a.get(id) !== value) out.push(`${table}: ${id} is ${a.get(id)}, expected ${value}`);
    }
    for (const id of a.keys()) if (!e.has(id)) out.push(`${table}: ${id} unexpected`);
  }
  return out.length > limit ? [...out.slice(0, limit), `… ${out.length - limit} more`] : out;
}

export function snapshotSize(snapshot: SyncSnapshot) {
  return {
    items: snapshot.items.size,
    events: [...snapshot.events.values()].reduce((n, v) => n + (JSON.parse(v) as unknown[]).length, 0),
    placements: snapshot.placements.size,
    handoffs: snapshot.handoffs.size,
  };
}
