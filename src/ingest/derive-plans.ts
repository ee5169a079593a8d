import type { Kysely, Transaction } from 'kysely';
import { deriveItem } from '../domain/place-item.js';
import type { CompiledPlan } from '../domain/plan.js';
import type { SourceRecord } from '../domain/source-record.js';
import { saveDerivations } from '../store/derived.repository.js';
import { phasesOfKeys, recordFromRow, unplacedItemsNaming } from '../store/items.repository.js';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Derives and stores one plan's view of some records of one connection. */
export async function deriveForPlan(
  db: Db,
  plan: CompiledPlan,
  connection: string,
  records: SourceRecord[],
  /** External ids first stored in this batch. */
  newIds: ReadonlySet<string> = new Set(),
): Promise<void> {
  if (records.length === 0 || !plan.connections.includes(connection)) return;
  const follows = plan.followReferences.includes(connection);
  const referenced = follows ? [...new Set(records.flatMap((r) => r.references))] : [];
  const phases = await phasesOfKeys(db, plan.key, referenced);
  const rows = records.map((record) => {
    const referencedPhase = record.references.map((key) => phases.get(key)).find(Boolean);
    return {
      externalId: record.externalId,
      url: record.url,
      derivation: deriveItem(plan, connection, record, referencedPhase),
      isNew: newIds.has(record.externalId),
    };
  });
  await saveDerivations(db, plan, connection, rows);

  // Items placed just now may be what earlier records referenced: place those followers too.
  const placedKeys = records
    .filter((record, i) => rows[i].derivation.placement && record.key)
    .map((record) => record.key!);
  if (placedKeys.length === 0 || plan.followReferences.length === 0) return;
  const followers = await unplacedItemsNaming(db, plan.key, plan.followReferences, placedKeys);
  const byConnection = new Map<string, SourceRecord[]>();
  for (const row of followers) {
    const list = byConnection.get(row.connection) ?? [];
    list.push(recordFromRow(row));
    byConnection.set(row.connection, list);
  }
  for (const [followerConnection, list] of byConnection) {
    if (
      followerConnection === connection &&
      list.some((r) => records.some((rec) => rec.externalId === r.externalId))
    )
      continue;
    await deriveForPlan(db, plan, followerConnection, list);
  }
}
