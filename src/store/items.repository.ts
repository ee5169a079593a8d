import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import type { Activity, Identity, SourceRecord } from '../domain/source-record.js';
import { insertRows, setExcluded } from './bulk-insert.js';
import type { Database, ItemRow, NewItem } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** An item as ingest compares it: everything but the raw payload, which it never reads. */
export type StoredItem = Omit<ItemRow, 'raw'>;

const STORED_COLUMNS = [
  'connection',
  'external_id',
  'source',
  'kind',
  'key',
  'title',
  'url',
  'raw_state',
  'state_category',
  'author',
  'assignees',
  'reviewers',
  'labels',
  'container',
  'parent',
  'refs',
  'fields',
  'activity',
  'created_at',
  'source_updated_at',
  'due_at',
  'deleted',
  'content_hash',
  'first_seen_at',
  'last_changed_at',
] as const satisfies readonly (keyof StoredItem)[];

/** Every column ingest writes (first_seen_at keeps its default). */
const WRITTEN_COLUMNS: readonly (keyof NewItem & string)[] = [
  ...STORED_COLUMNS.filter((c) => c !== 'first_seen_at'),
  'raw',
];

/** The never-regress update, built once: a row without a raw payload keeps the stored one. */
const UPSERT_TAIL = `on conflict (connection, external_id) do update
  set ${setExcluded(WRITTEN_COLUMNS.filter((c) => c !== 'connection' && c !== 'external_id' && c !== 'raw'))},
      raw = coalesce(excluded.raw, items.raw)
  where items.source_updated_at <= excluded.source_updated_at`;

/**
 * The stored items among `externalIds`, each found through the primary key. Written as one
 * lookup per id (a LATERAL subquery with LIMIT 1 cannot be flattened into a join) because the
 * plain `external_id in (…)` form trusted table statistics: during a first sync the items table
 * grows far faster than autovacuum analyses it, the planner believed a connection held a few
 * hundred rows and filtered every row of the connection for each batch — a 100,000-issue sync
 * spent 6.8 s of its database time in this query (34 ms a batch, rising to 185 ms), for rows
 * that did not exist yet.
 */
export async function findItems(
  db: Db,
  connection: string,
  externalIds: string[],
): Promise<Map<string, StoredItem>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await db.executeQuery<StoredItem>(
    CompiledQuery.raw(FIND_ITEMS_SQL, [connection, externalIds]),
  );
  return new Map(rows.map((row) => [row.external_id, row]));
}

/** Exported for the test that checks its plan. */
export const FIND_ITEMS_SQL = `select stored.* from unnest($2::text[]) as wanted(external_id)
  cross join lateral (
    select ${STORED_COLUMNS.map((c) => `"${c}"`).join(', ')} from items
    where items.connection = $1 and items.external_id = wanted.external_id
    limit 1
  ) as stored`;

/**
 * Multi-row upsert guarded by the never-regress rule in SQL too, so two writers racing cannot
 * put older source data over newer. A row without a raw payload (a tombstone, or older data
 * that only brought activity) keeps the payload already stored.
 */
export async function upsertItems(db: Db, rows: NewItem[]): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(db, 'items', WRITTEN_COLUMNS, rows, UPSERT_TAIL);
}

/** The stored item as the record derivation reads (activity already merged). */
export function recordFromRow(row: StoredItem): SourceRecord {
  return {
    source: row.source,
    externalId: row.external_id,
    key: row.key ?? undefined,
    url: row.url ?? undefined,
    kind: row.kind as SourceRecord['kind'],
    title: row.title,
    state: { raw: row.raw_state, category: row.state_category as SourceRecord['state']['category'] },
    author: (row.author as Identity | null) ?? undefined,
    assignees: row.assignees as Identity[],
    reviewers: row.reviewers as Identity[],
    labels: row.labels,
    container: row.container ?? undefined,
    parent: row.parent ?? undefined,
    references: row.refs,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.source_updated_at.toISOString(),
    dueAt: row.due_at?.toISOString(),
    deleted: row.deleted,
    fields: row.fields as Record<string, unknown>,
    activity: row.activity as Activity[],
  };
}

/** Items of a connection in pages, for re-deriving a plan without refetching from the tool. */
export async function* itemsOfConnection(
  db: Db,
  connection: string,
  pageSize = 2000,
): AsyncGenerator<ItemRow[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('items')
      .selectAll()
      .where('connection', '=', connection)
      .where('external_id', '>', after)
      .orderBy('external_id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].external_id;
  }
}

/** Phases of items (in one plan) whose key is among `keys`: for follow_references placement. */
export async function phasesOfKeys(db: Db, planKey: string, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('items')
    .innerJoin('placements', (join) =>
      join
        .onRef('placements.connection', '=', 'items.connection')
        .onRef('placements.external_id', '=', 'items.external_id'),
    )
    .select(['items.key', 'placements.phase_key'])
    .where('placements.plan_key', '=', planKey)
    .where('items.key', 'in', keys)
    .execute();
  return new Map(rows.map((r) => [r.key!, r.phase_key]));
}

/** Up to this many keys, the lookup keeps the form Postgres answers through the `items_refs` GIN index. */
const KEYS_PROBED_ONE_BY_ONE = 8;

/**
 * Items of `connections` (not deleted) that name one of `keys` and have no placement in the plan
 * yet: the followers to place once those keys are placed. A few keys keep `refs && keys`, which
 * Postgres answers through the GIN index on `refs`. For a sync's batch (hundreds of keys) it scans
 * the connection's items instead, where `refs && keys` compared every ref with every key (49 ms a
 * batch against 10,000 pull requests); there each ref is looked up in the keys, hashed once (6.5 ms).
 */
export async function unplacedItemsNaming(
  db: Db,
  planKey: string,
  connections: string[],
  keys: string[],
): Promise<ItemRow[]> {
  if (keys.length === 0 || connections.length === 0) return [];
  const names =
    keys.length <= KEYS_PROBED_ONE_BY_ONE
      ? sql<boolean>`items.refs && ${sql.val(keys)}::text[]`
      : sql<boolean>`exists (select 1 from unnest(items.refs) as ref(key) where ref.key = any(${sql.val(keys)}::text[]))`;
  return db
    .selectFrom('items')
    .selectAll()
    .where('connection', 'in', connections)
    .where('deleted', '=', false)
    .where(names)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('placements')
            .select('placements.external_id')
            .whereRef('placements.connection', '=', 'items.connection')
            .whereRef('placements.external_id', '=', 'items.external_id')
            .where('placements.plan_key', '=', planKey),
        ),
      ),
    )
    .execute();
}
