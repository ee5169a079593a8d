import type { CompiledPlan } from '../domain/plan.js';
import type { SourceRecord } from '../domain/source-record.js';

/** A record as a connection delivered it. */
export interface DryRunRecord {
  connection: string;
  record: SourceRecord;
}

/** How a record is named in the report: its human key, else its external id. */
export interface DryRunItem {
  connection: string;
  key: string;
  title: string;
}

export interface SelectorReport {
  /** Position among the plan's selectors (file order). */
  index: number;
  connection: string;
  phase: string;
  /** Records this selector places (it is the first that matches them). */
  caught: DryRunItem[];
  /** Records it matches but an earlier selector already placed. */
  shadowed: DryRunItem[];
}

export interface DryRunReport {
  plan: string;
  selectors: SelectorReport[];
  /** Records no selector caught that follow a reference into a placed item's phase. */
  followed: (DryRunItem & { phase: string; via: string })[];
  /** Records of the plan's connections that end up in no phase. */
  uncaught: DryRunItem[];
  /** How many records came from connections the plan does not use. */
  otherConnections: number;
}

/**
 * What `baton mappings check --dry-run` shows: which selector catches which records, and what
 * falls through. First matching selector wins, as in ingestion; follow_references places a record
 * no selector caught into the phase of an item (in the same batch) it references.
 */
export function dryRun(plan: CompiledPlan, records: readonly DryRunRecord[]): DryRunReport {
  const selectors: SelectorReport[] = plan.selectors.map((s, index) => ({
    index,
    connection: s.connection,
    phase: s.phase,
    caught: [],
    shadowed: [],
  }));
  const phaseOfKey = new Map<string, string>();
  const unplaced: DryRunRecord[] = [];
  let otherConnections = 0;
  for (const entry of records) {
    if (!plan.connections.includes(entry.connection)) {
      otherConnections++;
      continue;
    }
    let placed = false;
    plan.selectors.forEach((selector, i) => {
      if (selector.connection !== entry.connection || !selector.matches(entry.record)) return;
      const item = itemOf(entry);
      if (placed) selectors[i].shadowed.push(item);
      else {
        selectors[i].caught.push(item);
        if (entry.record.key) phaseOfKey.set(entry.record.key, selector.phase);
        placed = true;
      }
    });
    if (!placed) unplaced.push(entry);
  }
  const followed: DryRunReport['followed'] = [];
  const uncaught: DryRunItem[] = [];
  for (const entry of unplaced) {
    const via = plan.followReferences.includes(entry.connection)
      ? entry.record.references.find((key) => phaseOfKey.has(key))
      : undefined;
    if (via) followed.push({ ...itemOf(entry), phase: phaseOfKey.get(via)!, via });
    else uncaught.push(itemOf(entry));
  }
  return { plan: plan.key, selectors, followed, uncaught, otherConnections };
}

function itemOf({ connection, record }: DryRunRecord): DryRunItem {
  return { connection, key: record.key ?? record.externalId, title: record.title };
}
