import type { z } from 'zod';
import { closest, describeValue, isMapping, quote } from './describe-value.js';
import { issue, type MappingIssue, type MappingPath } from './mapping-error.js';
import { ConditionLeaves } from './mapping-schema.js';

type Translate = (issues: readonly z.core.$ZodIssue[], value: unknown, base: MappingPath) => MappingIssue[];

const combinators = ['all', 'any', 'not'] as const;
const operators = Object.keys(ConditionLeaves) as (keyof typeof ConditionLeaves)[];
const leafKeys = ['field', ...operators, 'flags'];

/**
 * Says what is wrong with a condition, precisely. zod's union error for a recursive condition is
 * a tree of every alternative's complaints; the operator a person wrote tells which alternative
 * they meant, so this picks it and lets that alternative's schema speak.
 */
export function explainCondition(value: unknown, path: MappingPath, translate: Translate): MappingIssue[] {
  if (!isMapping(value)) {
    return [
      issue(
        'invalid_condition',
        path,
        `expected a condition (field with equals / in / regex / exists, or all / any / not), got ${describeValue(value)}`,
      ),
    ];
  }
  const keys = Object.keys(value);
  const named = combinators.filter((c) => Object.hasOwn(value, c));
  if (named.length > 0) return explainCombinator(value, keys, named, path, translate);
  const ops = operators.filter((op) => Object.hasOwn(value, op));
  const strays = keys
    .filter((k) => !leafKeys.includes(k))
    .map((k) => {
      const hint = closest(k, leafKeys);
      const detail = `unknown key ${quote(k)} in a condition${hint ? ` (did you mean ${hint}?)` : ''}`;
      return issue('unknown_key', [...path, k], detail, true);
    });
  if (ops.length === 0) {
    const detail = Object.hasOwn(value, 'field')
      ? 'a field test needs one of equals, in, regex, exists'
      : 'expected field with equals / in / regex / exists, or all / any / not';
    return [issue('missing_operator', path, detail), ...strays];
  }
  if (ops.length > 1) {
    return [
      issue(
        'invalid_condition',
        path,
        `one operator per field test (found ${ops.join(' and ')}); combine tests with all / any`,
      ),
      ...strays,
    ];
  }
  const result = ConditionLeaves[ops[0]].safeParse(value);
  return result.success ? [] : translate(result.error.issues, value, path);
}

function explainCombinator(
  value: Record<string, unknown>,
  keys: string[],
  named: (typeof combinators)[number][],
  path: MappingPath,
  translate: Translate,
): MappingIssue[] {
  const out: MappingIssue[] = [];
  if (named.length > 1) {
    out.push(
      issue(
        'invalid_condition',
        path,
        `one of all / any / not per condition (found ${named.join(' and ')}); nest them instead`,
      ),
    );
  }
  for (const key of keys) {
    if (!(combinators as readonly string[]).includes(key)) {
      out.push(issue('unknown_key', [...path, key], `unknown key ${quote(key)} next to ${named[0]}`, true));
    }
  }
  for (const combinator of named) {
    const inner = value[combinator];
    const innerPath = [...path, combinator];
    if (combinator === 'not') {
      out.push(...explainCondition(inner, innerPath, translate));
    } else if (!Array.isArray(inner)) {
      out.push(issue('wrong_type', innerPath, `expected a list of conditions, got ${describeValue(inner)}`));
    } else if (inner.length === 0) {
      out.push(issue('too_small', innerPath, 'needs at least one condition'));
    } else {
      inner.forEach((element, i) => {
        out.push(...explainCondition(element, [...innerPath, i], translate));
      });
    }
  }
  return out;
}
