import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../domain/source-record.js';
import { checkCondition, compileCondition } from './compile-condition.js';
import type { ConditionInput } from './mapping-schema.js';
import { record } from './test-support.js';

const alice = { tool: 'github', id: 'alice', email: 'alice@acme.example' };
const bob = { tool: 'github', id: 'bob' };
const sample = record({
  title: 'Spec: one-page checkout',
  labels: ['design', 'pci'],
  assignees: [alice, bob],
  container: 'CHK',
  fields: {
    issueType: 'Story',
    storyPoints: 5,
    components: ['Payments', 'Security'],
    epic: null,
    sprint: { name: 'S12' },
  },
});

const cases: { name: string; when: ConditionInput; expected: boolean }[] = [
  { name: 'equals on a string field', when: { field: 'container', equals: 'CHK' }, expected: true },
  { name: 'equals is case-sensitive', when: { field: 'container', equals: 'chk' }, expected: false },
  {
    name: 'equals on a list is true when any element equals',
    when: { field: 'labels', equals: 'pci' },
    expected: true,
  },
  {
    name: 'equals on a list is false when no element equals',
    when: { field: 'labels', equals: 'launch' },
    expected: false,
  },
  {
    name: 'in matches one of several values',
    when: { field: 'fields.issueType', in: ['Bug', 'Story'] },
    expected: true,
  },
  { name: 'in is case-sensitive', when: { field: 'fields.issueType', in: ['story'] }, expected: false },
  {
    name: 'in on a list matches element-wise',
    when: { field: 'labels', in: ['launch', 'design'] },
    expected: true,
  },
  {
    name: 'a path through a list collects every element',
    when: { field: 'assignees.id', equals: 'bob' },
    expected: true,
  },
  {
    name: 'a path through a list reads nested fields',
    when: { field: 'assignees.email', exists: true },
    expected: true,
  },
  {
    name: 'a number equals its decimal text',
    when: { field: 'fields.storyPoints', equals: '5' },
    expected: true,
  },
  { name: 'decimal text equals a number', when: { field: 'container', in: [1, 'CHK'] }, expected: true },
  {
    name: 'a nested mapping in fields',
    when: { field: 'fields.sprint.name', equals: 'S12' },
    expected: true,
  },
  { name: 'regex tests strings', when: { field: 'title', regex: '^Spec' }, expected: true },
  {
    name: 'regex is case-sensitive without flags',
    when: { field: 'title', regex: '^spec' },
    expected: false,
  },
  { name: 'regex honours the i flag', when: { field: 'title', regex: '^spec', flags: 'i' }, expected: true },
  {
    name: 'regex tests numbers as text',
    when: { field: 'fields.storyPoints', regex: '^[0-9]$' },
    expected: true,
  },
  {
    name: 'regex tests each list element',
    when: { field: 'fields.components', regex: '^Sec' },
    expected: true,
  },
  {
    name: 'exists is true for a present value',
    when: { field: 'fields.issueType', exists: true },
    expected: true,
  },
  { name: 'exists is false for null', when: { field: 'fields.epic', exists: true }, expected: false },
  { name: 'exists is false for an empty list', when: { field: 'references', exists: true }, expected: false },
  {
    name: 'exists: false is true for a missing field',
    when: { field: 'fields.fixVersion', exists: false },
    expected: true,
  },
  {
    name: 'a missing field equals nothing',
    when: { field: 'fields.fixVersion', equals: 'x' },
    expected: false,
  },
  {
    name: 'inherited properties are not fields',
    when: { field: 'fields.constructor', exists: true },
    expected: false,
  },
  {
    name: 'all needs every condition',
    when: {
      all: [
        { field: 'container', equals: 'CHK' },
        { field: 'labels', equals: 'launch' },
      ],
    },
    expected: false,
  },
  {
    name: 'any needs one condition',
    when: {
      any: [
        { field: 'container', equals: 'OPS' },
        { field: 'labels', equals: 'design' },
      ],
    },
    expected: true,
  },
  { name: 'not negates', when: { not: { field: 'labels', equals: 'design' } }, expected: false },
];

describe('compileCondition', () => {
  it.each(cases)('$name', ({ when, expected }) => {
    expect(compileCondition(when)(sample)).toBe(expected);
  });

  it('throws a typed error for a regex that does not compile', () => {
    expect(() => compileCondition({ all: [{ field: 'title', regex: '[' }] })).toThrow(
      expect.objectContaining({ code: 'bad_regex', path: ['all', 0, 'regex'] }),
    );
  });
});

describe('checkCondition', () => {
  const problems: { name: string; when: unknown; code?: string; path?: unknown[] }[] = [
    { name: 'accepts any path below fields', when: { field: 'fields.anything.deep', exists: true } },
    { name: 'accepts identity fields', when: { field: 'author.email', exists: true } },
    { name: 'accepts activity fields', when: { field: 'activity.kind', equals: 'merged' } },
    {
      name: 'refuses an unknown top-level field',
      when: { field: 'titel', exists: true },
      code: 'unknown_field',
      path: ['field'],
    },
    {
      name: 'refuses an unknown nested field',
      when: { field: 'state.name', exists: true },
      code: 'unknown_field',
    },
    {
      name: 'refuses a path below a plain value',
      when: { field: 'title.length', exists: true },
      code: 'unknown_field',
    },
    { name: 'refuses the raw payload', when: { field: 'raw.fields', exists: true }, code: 'unknown_field' },
    {
      name: 'refuses a bad regex',
      when: { not: { field: 'title', regex: '(?<' } },
      code: 'bad_regex',
      path: ['not', 'regex'],
    },
    {
      name: 'refuses repeated flags, at the flags',
      when: { field: 'title', regex: 'a', flags: 'ii' },
      code: 'bad_regex',
      path: ['flags'],
    },
    {
      name: 'finds a bad regex inside a condition the schema refuses',
      when: { any: [{ field: 'title', regex: '(', bogus: 1 }] },
      code: 'bad_regex',
      path: ['any', 0, 'regex'],
    },
  ];
  it.each(problems)('$name', ({ when, code, path }) => {
    const errors = checkCondition(when);
    if (!code) expect(errors).toEqual([]);
    else expect(errors[0]).toMatchObject({ code, ...(path && { path }) });
  });
});

/** Conditions over a small vocabulary, so generated records often match them. */
const leaf: fc.Arbitrary<ConditionInput> = fc.oneof(
  fc.record({
    field: fc.constantFrom('labels', 'container', 'assignees.id', 'fields.points'),
    equals: fc.constantFrom('a', 'b', 1, 2),
  }),
  fc.record({
    field: fc.constantFrom('labels', 'title'),
    in: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    field: fc.constantFrom('title', 'labels', 'fields.points'),
    regex: fc.constantFrom('^a', 'b$', '1', '.'),
  }),
  fc.record({
    field: fc.constantFrom('labels', 'fields.points', 'assignees', 'container'),
    exists: fc.boolean(),
  }),
);
const condition: fc.Arbitrary<ConditionInput> = fc.letrec<{ c: ConditionInput }>((tie) => ({
  c: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'condition' },
    leaf,
    fc.record({ all: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('c') }),
  ),
})).c;
const word = fc.constantFrom('a', 'b', 'c', 'ab', '1');
const sourceRecord: fc.Arbitrary<SourceRecord> = fc
  .record({
    title: word,
    labels: fc.array(word, { maxLength: 3 }),
    container: fc.option(word, { nil: undefined }),
    assignees: fc.array(fc.record({ tool: fc.constant('github'), id: word }), { maxLength: 2 }),
    points: fc.option(fc.oneof(fc.constantFrom(1, 2), word), { nil: undefined }),
  })
  .map(({ points, container, ...rest }) =>
    record({
      ...rest,
      ...(container !== undefined && { container }),
      fields: points === undefined ? {} : { points },
    }),
  );

describe('condition laws', () => {
  it('not(not(c)) matches exactly what c matches', () => {
    fc.assert(
      fc.property(condition, sourceRecord, (c, r) => {
        expect(compileCondition({ not: { not: c } })(r)).toBe(compileCondition(c)(r));
      }),
    );
  });

  it('all([c]) and any([c]) match exactly what c matches', () => {
    fc.assert(
      fc.property(condition, sourceRecord, (c, r) => {
        const expected = compileCondition(c)(r);
        expect(compileCondition({ all: [c] })(r)).toBe(expected);
        expect(compileCondition({ any: [c] })(r)).toBe(expected);
      }),
    );
  });

  it('any of a condition and its negation always matches; all of them never does', () => {
    fc.assert(
      fc.property(condition, sourceRecord, (c, r) => {
        expect(compileCondition({ any: [c, { not: c }] })(r)).toBe(true);
        expect(compileCondition({ all: [c, { not: c }] })(r)).toBe(false);
      }),
    );
  });

  it('not(all(a, b)) matches exactly what any(not a, not b) matches', () => {
    fc.assert(
      fc.property(condition, condition, sourceRecord, (a, b, r) => {
        expect(compileCondition({ not: { all: [a, b] } })(r)).toBe(
          compileCondition({ any: [{ not: a }, { not: b }] })(r),
        );
      }),
    );
  });

  it('exists: false is the negation of exists: true', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('labels', 'container', 'fields.points', 'assignees.id'),
        sourceRecord,
        (field, r) => {
          expect(compileCondition({ field, exists: false })(r)).toBe(
            !compileCondition({ field, exists: true })(r),
          );
        },
      ),
    );
  });
});
