import { createHash } from 'node:crypto';
import type { SourceRecord } from '../domain/source-record.js';
import type { StoredItem } from '../store/items.repository.js';
import type { NewItem } from '../store/schema.js';

/** A copy with every object's keys in sorted order (and undefined members left out). */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const object = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v !== undefined) copy[key] = sortedCopy(v);
  }
  return copy;
}

/**
 * JSON with object keys sorted: jsonb hands stored objects back with its own key order, so the
 * same record read back and sent again must hash the same. A sorted copy through the native
 * JSON.stringify is the fastest way measured (this runs for every record of every sync).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedCopy(value)) ?? 'null';
}

/** Hash of everything Baton keeps about the record except the raw payload. */
export function contentHash(record: SourceRecord): string {
  const { raw: _raw, ...rest } = record;
  // Times compare as instants: "…T10:00:00Z" and "…T10:00:00.000Z" are the same moment.
  const normalised = {
    ...rest,
    createdAt: new Date(rest.createdAt).toISOString(),
    updatedAt: new Date(rest.updatedAt).toISOString(),
    dueAt: rest.dueAt ? new Date(rest.dueAt).toISOString() : undefined,
  };
  return createHash('sha256').update(canonicalJson(normalised)).digest('base64url');
}

/** A raw payload already written as JSON text; it stands in the record's `raw`, so copies keep it. */
class PreparedRaw {
  constructor(readonly text: string) {}
}

/** The record's raw payload as JSON text (null without one). */
function rawText(record: SourceRecord): string | null {
  const { raw } = record;
  if (raw === undefined) return null;
  return raw instanceof PreparedRaw ? raw.text : JSON.stringify(raw);
}

/**
 * The part of ingest that does not depend on what Baton holds, done as records arrive: a sync
 * calls this for each fetched page while the previous batch is being written, so writing the raw
 * payloads as text (the largest single CPU cost of storing an item) overlaps the database's work.
 * The payload object is then replaced by its text (nothing after this reads it): a record waits in
 * the pipeline long enough to outlive the young generation, and its payload's small objects would
 * be copied into the old one only to die there (a capped 20,000-issue sync: 5.3 → 4.9–5.1 s).
 */
export function prepareForIngest(records: SourceRecord[]): void {
  for (const record of records) {
    if (record.raw !== undefined && !(record.raw instanceof PreparedRaw)) {
      record.raw = new PreparedRaw(JSON.stringify(record.raw));
    }
  }
}

export function itemRow(connection: string, record: SourceRecord, hash: string | null, now: Date): NewItem {
  return {
    connection,
    external_id: record.externalId,
    source: record.source,
    kind: record.kind,
    key: record.key ?? null,
    title: record.title,
    url: record.url ?? null,
    raw_state: record.state.raw,
    state_category: record.state.category,
    author: record.author ? JSON.stringify(record.author) : null,
    assignees: JSON.stringify(record.assignees),
    reviewers: JSON.stringify(record.reviewers),
    labels: record.labels,
    container: record.container ?? null,
    parent: record.parent ?? null,
    refs: record.references,
    fields: JSON.stringify(record.fields),
    activity: JSON.stringify(record.activity),
    created_at: record.createdAt,
    source_updated_at: record.updatedAt,
    due_at: record.dueAt ?? null,
    deleted: record.deleted,
    content_hash: hash,
    raw: rawText(record),
    last_changed_at: now,
  };
}

const ids = (list: unknown) => ((list as { id: string }[] | null) ?? []).map((i) => i.id).join(',');

/** What changed between the stored item and the new record, for the item's history. */
export function describeChanges(before: StoredItem, after: SourceRecord): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  const compare = (field: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[field] = [a, b];
  };
  compare('title', before.title, after.title);
  compare('state', before.raw_state, after.state.raw);
  compare('assignees', ids(before.assignees), after.assignees.map((i) => i.id).join(','));
  compare('reviewers', ids(before.reviewers), after.reviewers.map((i) => i.id).join(','));
  compare('labels', before.labels, after.labels);
  compare(
    'due',
    before.due_at?.toISOString() ?? null,
    after.dueAt ? new Date(after.dueAt).toISOString() : null,
  );
  compare('deleted', before.deleted, after.deleted);
  const activityBefore = (before.activity as unknown[]).length;
  if (after.activity.length !== activityBefore) changes['activity'] = [activityBefore, after.activity.length];
  return changes;
}
