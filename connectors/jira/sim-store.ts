import { type GeneratedRow, type GeneratedSpec, generatedIssue } from './sim-generate.js';
import type { SimQuery } from './sim-jql.js';
import type { WireIssue } from './sim-wire.js';

/**
 * The simulator's issues: compact rows in two sorted indexes (by updated+key, and by key), so a
 * search page is a binary search plus the rows it returns — no scan of all issues per page.
 * A row's JSON is generated on demand until a change (or a seed) makes it concrete.
 */
export interface Row {
  id: number;
  project: string;
  num: number;
  updatedMs: number;
  wire: WireIssue | null;
  generated: GeneratedRow | null;
}

export type SortKey = [number, string, number] | [string, number];

const byKey = (a: Row, b: Row) => (a.project < b.project ? -1 : a.project > b.project ? 1 : a.num - b.num);
const byUpdated = (a: Row, b: Row) => a.updatedMs - b.updatedMs || byKey(a, b);

export class IssueStore {
  private readonly ids = new Map<number, Row>();
  private readonly keys = new Map<string, Row>();
  private updatedIndex: Row[] = [];
  private keyIndex: Row[] = [];
  private generatedSpec: GeneratedSpec | null = null;

  load(rows: Row[], spec: GeneratedSpec | null): void {
    this.generatedSpec = spec ?? this.generatedSpec;
    for (const row of rows) {
      this.ids.set(row.id, row);
      this.keys.set(`${row.project}-${row.num}`, row);
    }
    this.updatedIndex = [...this.ids.values()].sort(byUpdated);
    this.keyIndex = [...this.ids.values()].sort(byKey);
  }

  get size(): number {
    return this.ids.size;
  }

  find(idOrKey: string | number): Row | undefined {
    const text = String(idOrKey);
    return /^\d+$/.test(text) ? this.ids.get(Number(text)) : this.keys.get(text.toUpperCase());
  }

  nextId(): number {
    let max = 9_999;
    for (const id of this.ids.keys()) if (id > max) max = id;
    return max + 1;
  }

  nextNumber(project: string): number {
    let max = 0;
    for (const row of this.keyIndex) if (row.project === project && row.num > max) max = row.num;
    return max + 1;
  }

  liveIds(): string[] {
    return [...this.ids.keys()].map(String);
  }

  /** The issue's JSON; `base`/`timeZone` matter only for rows still generated on demand. */
  wire(row: Row, base: string, timeZone: string): WireIssue {
    if (row.wire) return row.wire;
    if (!row.generated || !this.generatedSpec) throw new Error(`issue ${row.id} has no data`);
    return generatedIssue(this.generatedSpec, row.generated, base, timeZone);
  }

  /** Makes a generated row concrete so a change can be written into it. */
  materialise(row: Row, base: string, timeZone: string): WireIssue {
    row.wire = this.wire(row, base, timeZone);
    return row.wire;
  }

  insert(row: Row): void {
    this.ids.set(row.id, row);
    this.keys.set(`${row.project}-${row.num}`, row);
    insertSorted(this.updatedIndex, row, byUpdated);
    insertSorted(this.keyIndex, row, byKey);
  }

  touch(row: Row, updatedMs: number): void {
    removeSorted(this.updatedIndex, row, byUpdated);
    row.updatedMs = updatedMs;
    insertSorted(this.updatedIndex, row, byUpdated);
  }

  remove(row: Row): void {
    removeSorted(this.updatedIndex, row, byUpdated);
    removeSorted(this.keyIndex, row, byKey);
    this.ids.delete(row.id);
    this.keys.delete(`${row.project}-${row.num}`);
  }

  /** Rows matching the query after `after` (exclusive) in the query's order; `more` if any remain. */
  search(query: SimQuery, after: SortKey | null, limit: number): { rows: Row[]; more: boolean } {
    const index = query.order === 'updated' ? this.updatedIndex : this.keyIndex;
    const compare = query.order === 'updated' ? byUpdated : byKey;
    let start: number;
    if (after) start = upperBound(index, probe(after), compare);
    else if (query.order === 'updated' && query.updatedFrom > -Infinity) {
      start = lowerBound(
        index,
        { updatedMs: query.updatedFrom, project: '', num: -Infinity } as Row,
        byUpdated,
      );
    } else start = 0;
    const rows: Row[] = [];
    for (let i = start; i < index.length; i++) {
      const row = index[i];
      if (query.order === 'updated' && row.updatedMs > query.updatedTo) break;
      if (query.projects && !query.projects.has(row.project)) continue;
      if (row.updatedMs < query.updatedFrom || row.updatedMs > query.updatedTo) continue;
      if (rows.length === limit) return { rows, more: true };
      rows.push(row);
    }
    return { rows, more: false };
  }
}

export function sortKeyOf(row: Row, order: 'updated' | 'key'): SortKey {
  return order === 'updated' ? [row.updatedMs, row.project, row.num] : [row.project, row.num];
}

function probe(key: SortKey): Row {
  const [a, b, c] = key;
  return (
    key.length === 3 ? { updatedMs: a, project: b, num: c } : { updatedMs: 0, project: a, num: b }
  ) as Row;
}

function lowerBound(list: Row[], value: Row, compare: (a: Row, b: Row) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid], value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(list: Row[], value: Row, compare: (a: Row, b: Row) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid], value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: Row[], row: Row, compare: (a: Row, b: Row) => number): void {
  list.splice(upperBound(list, row, compare), 0, row);
}

function removeSorted(list: Row[], row: Row, compare: (a: Row, b: Row) => number): void {
  const at = lowerBound(list, row, compare);
  for (let i = at; i < list.length && compare(list[i], row) === 0; i++) {
    if (list[i] === row) {
      list.splice(i, 1);
      return;
    }
  }
}
