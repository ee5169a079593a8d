import type { RecordPredicate } from '../domain/plan.js';
import type { SourceRecord } from '../domain/source-record.js';
import { isMapping, quote } from './describe-value.js';
import type { MappingPath } from './mapping-error.js';
import { type ConditionInput, FIELD_PATH_PATTERN } from './mapping-schema.js';
import { fieldPathProblem } from './record-fields.js';

type Scalar = string | number | boolean;

/** A condition that cannot be compiled: a regex that does not parse, a field records do not have. */
export class ConditionError extends Error {
  constructor(
    readonly code: 'bad_regex' | 'unknown_field',
    /** Relative to the condition. */
    readonly path: MappingPath,
    message: string,
  ) {
    super(message);
    this.name = 'ConditionError';
  }
}

/**
 * Compiles a condition once, at load, into a predicate: regexes are built here, field paths split
 * here; evaluating it only reads the record. Throws the first ConditionError.
 */
export function compileCondition(condition: ConditionInput): RecordPredicate {
  const errors = checkCondition(condition);
  if (errors.length > 0) throw errors[0];
  return build(condition);
}

/**
 * Every problem compileCondition would throw for, with paths relative to the condition. Reads
 * the condition defensively, so it also finds bad regexes in a condition the schema refused.
 */
export function checkCondition(condition: unknown, path: MappingPath = []): ConditionError[] {
  if (!isMapping(condition)) return [];
  const errors: ConditionError[] = [];
  for (const combinator of ['all', 'any'] as const) {
    const list = condition[combinator];
    if (Object.hasOwn(condition, combinator) && Array.isArray(list)) {
      list.forEach((inner, i) => {
        errors.push(...checkCondition(inner, [...path, combinator, i]));
      });
    }
  }
  if (Object.hasOwn(condition, 'not')) errors.push(...checkCondition(condition.not, [...path, 'not']));
  const { field, regex, flags } = condition;
  if (typeof field === 'string' && FIELD_PATH_PATTERN.test(field)) {
    const problem = fieldPathProblem(field);
    if (problem) errors.push(new ConditionError('unknown_field', [...path, 'field'], problem));
  }
  if (typeof regex === 'string' && regex !== '') {
    const reason = regexProblem(regex, undefined);
    if (reason) {
      errors.push(
        new ConditionError(
          'bad_regex',
          [...path, 'regex'],
          `regex ${quote(regex)} does not compile: ${reason}`,
        ),
      );
    } else if (typeof flags === 'string' && regexProblem(regex, flags)) {
      errors.push(
        new ConditionError(
          'bad_regex',
          [...path, 'flags'],
          `flags ${quote(flags)}: ${regexProblem(regex, flags)}`,
        ),
      );
    }
  }
  return errors;
}

function regexProblem(source: string, flags: string | undefined): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function build(condition: ConditionInput): RecordPredicate {
  if ('all' in condition) {
    const parts = condition.all.map(build);
    return (record) => parts.every((p) => p(record));
  }
  if ('any' in condition) {
    const parts = condition.any.map(build);
    return (record) => parts.some((p) => p(record));
  }
  if ('not' in condition) {
    const inner = build(condition.not);
    return (record) => !inner(record);
  }
  const read = fieldReader(condition.field);
  if ('equals' in condition) {
    const matches = matcher([condition.equals]);
    return (record) => read(record).some(matches);
  }
  if ('in' in condition) {
    const matches = matcher(condition.in);
    return (record) => read(record).some(matches);
  }
  if ('regex' in condition) {
    // No g or y flag is allowed, so test() keeps no state between records.
    const regex = new RegExp(condition.regex, condition.flags);
    return (record) =>
      read(record).some((v) => (typeof v === 'string' || typeof v === 'number') && regex.test(String(v)));
  }
  return condition.exists ? (record) => read(record).length > 0 : (record) => read(record).length === 0;
}

/**
 * Equality as people mean it in YAML: strings exactly (case-sensitive), and a number also equals
 * its decimal text, because tools disagree on whether ids are numbers (`equals: 10042`).
 */
function matcher(expected: readonly Scalar[]): (value: unknown) => boolean {
  const exact = new Set<unknown>(expected);
  const numbersAsText = new Set(expected.filter((v) => typeof v === 'number').map(String));
  return (value) =>
    exact.has(value) ||
    (typeof value === 'number' && exact.has(String(value))) ||
    (typeof value === 'string' && numbersAsText.has(value));
}

/**
 * Reads a dotted path, element-wise through arrays: `assignees.id` yields every assignee's id,
 * `labels` every label. Missing and null values yield nothing.
 */
export function fieldReader(path: string): (record: SourceRecord) => unknown[] {
  const segments = path.split('.');
  return (record) => {
    let values: unknown[] = [record];
    for (const segment of segments) {
      const next: unknown[] = [];
      for (const value of values) {
        if (isMapping(value) && Object.hasOwn(value, segment)) collect(value[segment], next);
      }
      values = next;
    }
    return values;
  };
}

function collect(value: unknown, into: unknown[]): void {
  if (value == null) return;
  if (Array.isArray(value)) {
    for (const element of value) collect(element, into);
  } else {
    into.push(value);
  }
}
