import type { ItemKind, SourceRecord } from '../../domain/source-record.js';

/**
 * The record a connector yields for an item that is gone (deleted, transferred, moved out of
 * scope). Ingest marks the stored item deleted and keeps everything else it knew.
 */
export function tombstone(
  source: string,
  externalId: string,
  kind: ItemKind,
  observedAt: Date,
): SourceRecord {
  const at = observedAt.toISOString();
  return {
    source,
    externalId,
    kind,
    title: '',
    state: { raw: 'deleted', category: 'cancelled' },
    assignees: [],
    reviewers: [],
    labels: [],
    references: [],
    createdAt: at,
    updatedAt: at,
    deleted: true,
    fields: { tombstone: true },
    activity: [],
  };
}
