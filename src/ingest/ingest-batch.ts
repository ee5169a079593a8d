import { type Kysely, sql, type Transaction } from 'kysely';
import type { Json } from '../connectors/kit/contract.js';
import { mergeActivity } from '../domain/activity.js';
import type { CompiledPlan } from '../domain/plan.js';
import type { SourceRecord } from '../domain/source-record.js';
import { insertRows } from '../store/bulk-insert.js';
import { notifyChange } from '../store/change-feed.js';
import { findItems, recordFromRow, type StoredItem, upsertItems } from '../store/items.repository.js';
import type { Database, NewItem } from '../store/schema.js';
import { applyCommands } from './apply-commands.js';
import { deriveForPlan } from './derive-plans.js';
import { contentHash, describeChanges, itemRow } from './item-changes.js';

export interface IngestOptions {
  origin: 'poll' | 'webhook' | 'replay';
  /** Saved in the same transaction: the page and the cursor after it commit together. */
  cursor?: Json;
  now?: Date;
}

export interface IngestResult {
  applied: number;
  unchanged: number;
  /** Records older than what Baton holds; never applied over newer data. */
  stale: number;
  /** External ids whose stored item changed. */
  changed: string[];
}

const isTombstone = (r: SourceRecord) =>
  r.deleted && (r.fields as { tombstone?: boolean }).tombstone === true;
const time = (iso: string) => Date.parse(iso);

/**
 * The stored version's content hash. An item first stored has none (hashing every record of a
 * first sync cost a fifth of its CPU); it is computed from the stored row when first compared.
 */
const storedHash = (stored: StoredItem) => stored.content_hash ?? contentHash(recordFromRow(stored));

/** Several records for one item in a batch become one: the newest, with every activity. */
function collapse(records: SourceRecord[]): SourceRecord[] {
  const byId = new Map<string, SourceRecord>();
  for (const record of records) {
    const known = byId.get(record.externalId);
    if (!known) {
      byId.set(record.externalId, record);
      continue;
    }
    const [older, newer] =
      time(record.updatedAt) >= time(known.updatedAt) ? [known, record] : [record, known];
    const base =
      isTombstone(newer) && !isTombstone(older)
        ? { ...older, deleted: true, updatedAt: newer.updatedAt }
        : newer;
    byId.set(record.externalId, { ...base, activity: mergeActivity(older.activity, newer.activity) });
  }
  return [...byId.values()];
}

/**
 * The one ingest path: records → never-regress upsert → history events → derivation for every
 * plan that reads this connection → cursor, all in one transaction.
 */
export async function ingestBatch(
  db: Kysely<Database>,
  plans: CompiledPlan[],
  connection: string,
  records: SourceRecord[],
  options: IngestOptions,
): Promise<IngestResult> {
  return db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    return ingestInTransaction(trx, plans, connection, records, options);
  });
}

/**
 * An ingest transaction need not wait for its WAL flush: if a crash loses it, it loses the page
 * and the cursor after it together, and the next pull (or drain) fetches the same data again.
 * Only the webhook inbox INSERT must be durable before its 202, and it is not made here.
 */
export async function relaxDurability(trx: Transaction<Database>): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}

/** The same, inside a transaction the caller holds (the inbox drain marks its rows in it too). */
export async function ingestInTransaction(
  trx: Transaction<Database>,
  plans: CompiledPlan[],
  connection: string,
  records: SourceRecord[],
  options: IngestOptions,
): Promise<IngestResult> {
  const now = options.now ?? new Date();
  {
    const batch = collapse(records);
    const existing = await findItems(
      trx,
      connection,
      batch.map((r) => r.externalId),
    );
    const rows: NewItem[] = [];
    const events: { external_id: string; kind: string; changes: string; source_updated_at: string }[] = [];
    const changedRecords: SourceRecord[] = [];
    let unchanged = 0;
    let stale = 0;

    for (const record of batch) {
      const stored = existing.get(record.externalId);
      let next: SourceRecord;
      if (isTombstone(record)) {
        if (!stored || stored.deleted) {
          unchanged++;
          continue;
        }
        const storedRecord = recordFromRow(stored);
        const updatedAt =
          time(record.updatedAt) > stored.source_updated_at.getTime()
            ? record.updatedAt
            : storedRecord.updatedAt;
        next = { ...storedRecord, deleted: true, updatedAt };
      } else if (stored && time(record.updatedAt) < stored.source_updated_at.getTime()) {
        // Older data never replaces newer; only activity it knew and we didn't is kept.
        const activity = mergeActivity(stored.activity as SourceRecord['activity'], record.activity);
        if (activity.length === (stored.activity as unknown[]).length) {
          stale++;
          continue;
        }
        next = { ...recordFromRow(stored), activity };
      } else {
        const known = (stored?.activity as SourceRecord['activity'] | undefined) ?? [];
        next = { ...record, activity: mergeActivity(known, record.activity) };
      }
      // Hashed only when there is a stored version to compare with (see storedHash).
      const hash = stored ? contentHash(next) : null;
      if (stored && storedHash(stored) === hash) {
        unchanged++;
        continue;
      }
      rows.push(itemRow(connection, next, hash, now));
      changedRecords.push(next);
      const kind = !stored
        ? 'created'
        : next.deleted && !stored.deleted
          ? 'deleted'
          : !next.deleted && stored.deleted
            ? 'restored'
            : 'updated';
      events.push({
        external_id: next.externalId,
        kind,
        changes: JSON.stringify(stored ? describeChanges(stored, next) : {}),
        source_updated_at: next.updatedAt,
      });
    }

    await upsertItems(trx, rows);
    if (events.length > 0) {
      await insertRows(
        trx,
        'item_events',
        ['connection', 'external_id', 'kind', 'origin', 'source_updated_at', 'changes', 'at'],
        events.map((e) => ({ ...e, connection, origin: options.origin, at: now })),
      );
    }
    const newIds = new Set(events.filter((e) => e.kind === 'created').map((e) => e.external_id));
    for (const plan of plans) await deriveForPlan(trx, plan, connection, changedRecords, newIds);
    await applyCommands(trx, plans, connection, changedRecords, now);
    if (rows.length > 0) await notifyChange(trx, `c:${connection}`);
    if (options.cursor !== undefined) {
      await trx
        .updateTable('connections')
        .set({ cursor: JSON.stringify(options.cursor), last_sync_at: now, updated_at: now })
        .where('name', '=', connection)
        .execute();
    }
    return { applied: rows.length, unchanged, stale, changed: changedRecords.map((r) => r.externalId) };
  }
}
