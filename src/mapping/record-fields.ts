import type { z } from 'zod';
import { SourceRecord } from '../domain/source-record.js';
import { closest } from './describe-value.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string>;
  format?: string;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** Fields whose shape the connector decides: any path below them is accepted. */
const open = new Set(['record', 'unknown', 'any']);

/**
 * Checks a condition's field path against SourceRecord's own schema, so a typo (`titel`,
 * `state.name`) is refused when the file loads instead of silently matching nothing.
 * Returns a description of the problem, or undefined when the path is fine.
 */
export function fieldPathProblem(path: string): string | undefined {
  const segments = path.split('.');
  if (segments[0] === 'raw') {
    return 'raw is the tool payload kept for audit; test a normalised field (fields.<name>) instead';
  }
  let schema: z.ZodType = SourceRecord;
  let where = 'a record';
  for (const segment of segments) {
    const def = unwrap(schema);
    if (open.has(def.type)) return undefined;
    if (def.type !== 'object' || !def.shape) return `${where} is a plain value; it has no field "${segment}"`;
    const next = def.shape[segment];
    if (!next || (where === 'a record' && segment === 'raw')) {
      const known = Object.keys(def.shape).filter((k) => k !== 'raw');
      const hint = closest(segment, known);
      return `unknown field "${segment}" in ${where}${hint ? ` (did you mean ${hint}?)` : ''} — it has ${known.join(', ')}`;
    }
    schema = next;
    where = where === 'a record' ? segment : `${where}.${segment}`;
  }
  return undefined;
}

/** Optional, default and array wrappers do not change which fields lie below. */
function unwrap(schema: z.ZodType): Def {
  let def = defOf(schema);
  for (;;) {
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      def = defOf(def.innerType);
    } else if (def.type === 'array' && def.element) {
      def = defOf(def.element);
    } else {
      return def;
    }
  }
}

export interface RecordFieldPath {
  path: string;
  /** How the value reads: text, list of text, one of …, any (below `fields` the connector decides). */
  type: string;
}

/** Every path a condition may name, from SourceRecord's schema (for the reference docs). */
export function recordFieldPaths(): RecordFieldPath[] {
  const out: RecordFieldPath[] = [];
  const walk = (schema: z.ZodType, path: string, list: boolean): void => {
    let def = defOf(schema);
    while ((def.type === 'optional' || def.type === 'default') && def.innerType) def = defOf(def.innerType);
    if (def.type === 'array' && def.element) {
      walk(def.element, path, true);
    } else if (def.type === 'object' && def.shape) {
      for (const [key, child] of Object.entries(def.shape)) {
        if (!(path === '' && key === 'raw')) walk(child, path === '' ? key : `${path}.${key}`, list);
      }
    } else if (open.has(def.type)) {
      out.push({ path, type: `any (${path}.<name>)` });
    } else {
      out.push({ path, type: list ? `list of ${valueType(def)}` : valueType(def) });
    }
  };
  walk(SourceRecord, '', false);
  return out;
}

function valueType(def: Def): string {
  if (def.type === 'enum' && def.entries) return `one of ${Object.keys(def.entries).join(', ')}`;
  if (def.type === 'string' && def.format === 'datetime') return 'time (ISO 8601 text)';
  return def.type === 'string' ? 'text' : def.type;
}
