import type { z } from 'zod';
import { describeValue, expectedType, isMapping, quote, valueAt } from './describe-value.js';
import { explainCondition } from './explain-condition.js';
import { issue, type MappingIssue, type MappingPath } from './mapping-error.js';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod's issues into one precise issue per problem, each with the path of the offending key
 * or value. `value` is the input at `base` (zod's issue paths are relative to it).
 */
export function translateZodIssues(
  issues: readonly ZodIssue[],
  value: unknown,
  base: MappingPath,
): MappingIssue[] {
  const out: MappingIssue[] = [];
  const seen = new Set<string>();
  for (const zodIssue of issues) {
    for (const translated of translateOne(zodIssue, value, base)) {
      const id = `${translated.code}\u0000${translated.message}`;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(translated);
      }
    }
  }
  return out;
}

function translateOne(zodIssue: ZodIssue, root: unknown, base: MappingPath): MappingIssue[] {
  const relative = zodIssue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const path = [...base, ...relative];
  const value = valueAt(root, relative);
  switch (zodIssue.code) {
    case 'unrecognized_keys':
      return zodIssue.keys.map((key) =>
        issue('unknown_key', [...path, key], `unknown key ${quote(key)}`, true),
      );
    case 'invalid_type':
      return [missingOrWrongType(root, relative, path, expectedType(zodIssue.expected))];
    case 'invalid_union':
      return translateUnion(zodIssue, root, relative, path);
    case 'too_small':
    case 'too_big':
      return [issue(zodIssue.code, path, sizeMessage(zodIssue))];
    case 'invalid_format':
      return [issue('invalid_format', path, `expected ${formatName(zodIssue)}, got ${describeValue(value)}`)];
    case 'invalid_value': {
      const options = zodIssue.values.map((v) => JSON.stringify(v)).join(', ');
      const expected = zodIssue.values.length === 1 ? options : `one of ${options}`;
      if (isMissing(root, relative))
        return [
          issue(
            'missing_field',
            path,
            `missing required field ${quote(String(relative.at(-1)))} (${expected})`,
          ),
        ];
      return [issue('invalid_value', path, `expected ${expected}, got ${describeValue(value)}`)];
    }
    default:
      return [issue('invalid_value', path, zodIssue.message)];
  }
}

/** A key the parent mapping does not have at all (as opposed to one written with a bad value). */
function isMissing(root: unknown, relative: MappingPath): boolean {
  const parent = valueAt(root, relative.slice(0, -1));
  const key = relative.at(-1);
  return typeof key === 'string' && isMapping(parent) && !Object.hasOwn(parent, key);
}

function missingOrWrongType(root: unknown, relative: MappingPath, path: MappingPath, expected: string) {
  if (isMissing(root, relative)) {
    return issue(
      'missing_field',
      path,
      `missing required field ${quote(String(relative.at(-1)))} (${expected})`,
    );
  }
  return issue('wrong_type', path, `expected ${expected}, got ${describeValue(valueAt(root, relative))}`);
}

function translateUnion(
  zodIssue: z.core.$ZodIssueInvalidUnion,
  root: unknown,
  relative: MappingPath,
  path: MappingPath,
): MappingIssue[] {
  const value = valueAt(root, relative);
  // A discriminated union without a matching `type` says so in fields its type does not declare.
  const discriminator = zodIssue as { note?: string; options?: unknown[] };
  if (discriminator.note === 'No matching discriminator') {
    const options = (discriminator.options ?? []).map((o) => JSON.stringify(o)).join(', ');
    if (value === undefined)
      return [issue('missing_field', path, `missing required field "type" (one of ${options})`)];
    return [issue('invalid_value', path, `expected one of ${options}, got ${describeValue(value)}`)];
  }
  if (path.at(-1) === 'when' || path.at(-1) === 'not') {
    const explained = explainCondition(value, path, translateZodIssues);
    if (explained.length > 0) return explained;
  }
  const branches = zodIssue.errors;
  const typeOnly = branches.every(
    (b) => b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0,
  );
  if (typeOnly) {
    const names = branches.map((b) => expectedType((b[0] as z.core.$ZodIssueInvalidType).expected));
    return [
      issue('wrong_type', path, `expected ${[...new Set(names)].join(' or ')}, got ${describeValue(value)}`),
    ];
  }
  // The branch whose shape fits best (fewest complaints, excluding a wrong type at its root) speaks.
  const fitting = branches.filter((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  const candidates = fitting.length > 0 ? fitting : branches;
  const best = candidates.reduce((a, b) => (b.length < a.length ? b : a), candidates[0] ?? []);
  const translated = translateZodIssues(best, value, path);
  return translated.length > 0 ? translated : [issue('invalid_value', path, zodIssue.message)];
}

function sizeMessage(zodIssue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = zodIssue.code === 'too_small';
  const limit = Number(small ? zodIssue.minimum : zodIssue.maximum);
  switch (zodIssue.origin) {
    case 'array':
    case 'set':
      if (small && limit === 1) return 'needs at least one entry';
      return small ? `needs at least ${limit} entries` : `allows at most ${limit} entries`;
    case 'string':
      if (small && limit === 1) return 'must not be empty';
      return small ? `needs at least ${limit} characters` : `allows at most ${limit} characters`;
    default: {
      const inclusive = zodIssue.inclusive !== false;
      if (small) return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
      return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
    }
  }
}

function formatName(zodIssue: z.core.$ZodIssueInvalidStringFormat): string {
  if (zodIssue.format === 'date') return 'a date like 2026-12-15 (YYYY-MM-DD)';
  if (zodIssue.format === 'email') return 'an email address';
  if (zodIssue.format === 'regex') return zodIssue.message;
  return zodIssue.format;
}
