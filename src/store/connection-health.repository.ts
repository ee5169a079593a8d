import type { Kysely } from 'kysely';
import { inboxDepth } from './inbox.repository.js';
import type { ConnectionRow, Database } from './schema.js';

export interface ConnectionHealth {
  connection: ConnectionRow;
  /** Items Baton holds for the connection (deleted ones not counted). */
  items: number;
  inbox: { pending: number; failed: number };
}

/** Connections (all, by name, or the one named) with their item counts and webhook inbox depth. */
export async function readConnectionHealth(db: Kysely<Database>, name?: string): Promise<ConnectionHealth[]> {
  let connections = db.selectFrom('connections').selectAll().orderBy('name');
  let counts = db
    .selectFrom('items')
    .select(['connection', (eb) => eb.fn.countAll<string>().as('n')])
    .where('deleted', '=', false)
    .groupBy('connection');
  if (name !== undefined) {
    connections = connections.where('name', '=', name);
    counts = counts.where('connection', '=', name);
  }
  const [rows, itemCounts, depth] = await Promise.all([
    connections.execute(),
    counts.execute(),
    inboxDepth(db),
  ]);
  return rows.map((row) => ({
    connection: row,
    items: Number(itemCounts.find((c) => c.connection === row.name)?.n ?? 0),
    inbox: depth.get(row.name) ?? { pending: 0, failed: 0 },
  }));
}
