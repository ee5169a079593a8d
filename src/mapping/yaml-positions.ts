import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter } from 'yaml';
import type { MappingPath } from './mapping-error.js';

export interface Position {
  line: number;
  column: number;
}

/**
 * Finds where a path points in the YAML source. A value is located at its first character (an
 * empty value at its key); when the path runs past what the file has (a missing field), the
 * position is the deepest part that exists — the key of the parent mapping, or the list item.
 */
export function positionOf(doc: Document, counter: LineCounter, path: MappingPath, atKey = false): Position {
  let node: unknown = doc.contents;
  // `value`: where the node itself starts; `home`: where a missing child of it is reported.
  let value = startOf(node) ?? 0;
  let home = value;
  let key = value;
  for (const segment of path) {
    node = followAlias(doc, node);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return toPosition(counter, home);
      key = startOf(pair.key) ?? home;
      value = isEmpty(pair.value) ? key : (startOf(pair.value) ?? key);
      home = key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      value = startOf(node.items[segment]) ?? home;
      key = value;
      home = value;
      node = node.items[segment];
    } else {
      return toPosition(counter, home);
    }
  }
  return toPosition(counter, atKey ? key : value);
}

function followAlias(doc: Document, node: unknown): unknown {
  // An alias stands for its anchor's node; a bad value is fixed where the anchor defines it.
  return isAlias(node) ? (node.resolve(doc) ?? node) : node;
}

function isEmpty(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value === null && node.source === '');
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

export function toPosition(counter: LineCounter, offset: number): Position {
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}
