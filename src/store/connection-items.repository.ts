import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** An item as a connection's page lists it, with the plan phases that caught it. */
export interface ConnectionItem {
  external_id: string;
  key: string | null;
  title: string;
  url: string | null;
  source: string;
  kind: string;
  raw_state: string;
  container: string | null;
  labels: string[];
  deleted: boolean;
  last_changed_at: Date;
  placements: { plan: string; phase: string }[];
}

const COLUMNS = [
  'external_id',
  'key',
  'title',
  'url',
  'source',
  'kind',
  'raw_state',
  'container',
  'labels',
  'deleted',
  'last_changed_at',
] as const;

/** The connection's latest changed items (index items_connection_changed) and where they landed. */
export async function recentItemsOfConnection(
  db: Kysely<Database>,
  connection: string,
  limit = 50,
): Promise<ConnectionItem[]> {
  const rows = await db
    .selectFrom('items')
    .select(COLUMNS)
    .where('connection', '=', connection)
    .orderBy('last_changed_at', 'desc')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const placements = await db
    .selectFrom('placements')
    .select(['external_id', 'plan_key', 'phase_key'])
    .where('connection', '=', connection)
    .where(
      'external_id',
      'in',
      rows.map((r) => r.external_id),
    )
    .orderBy('plan_key')
    .execute();
  return rows.map((row) => ({
    ...row,
    placements: placements
      .filter((p) => p.external_id === row.external_id)
      .map((p) => ({ plan: p.plan_key, phase: p.phase_key })),
  }));
}

// Counting stops here: past it, the page says "more than" instead of scanning every item.
const COUNT_CAP = 10_000;

/**
 * Live items of the connection that no selector of any plan placed: what a PM looks at to fix
 * a mapping. Newest first, with a (capped) total.
 */
export async function uncaughtItemsOfConnection(
  db: Kysely<Database>,
  connection: string,
  limit = 100,
): Promise<{ items: ConnectionItem[]; total: number; capped: boolean }> {
  const uncaught = db
    .selectFrom('items')
    .where('items.connection', '=', connection)
    .where('items.deleted', '=', false)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('placements')
            .select(sql`1`.as('one'))
            .whereRef('placements.connection', '=', 'items.connection')
            .whereRef('placements.external_id', '=', 'items.external_id'),
        ),
      ),
    );
  const [rows, counted] = await Promise.all([
    uncaught.select(COLUMNS).orderBy('last_changed_at', 'desc').limit(limit).execute(),
    db
      .selectFrom(
        uncaught
          .select(sql`1`.as('one'))
          .limit(COUNT_CAP + 1)
          .as('capped'),
      )
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst(),
  ]);
  const n = Number(counted?.n ?? 0);
  return {
    items: rows.map((row) => ({ ...row, placements: [] })),
    total: Math.min(n, COUNT_CAP),
    capped: n > COUNT_CAP,
  };
}
