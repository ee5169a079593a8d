import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { explainCondition } from './explain-condition.js';
import { loadMappingText } from './load-mapping.js';
import { Condition } from './mapping-schema.js';
import { translateZodIssues } from './zod-issues.js';

const example = await readFile('mappings/checkout-rollout.yaml', 'utf8');

/** Whatever the text, the loader answers with a plan or with located errors; it never throws. */
function expectAnswer(text: string): void {
  const result = loadMappingText(text, 'fuzz.yaml');
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const error of result.errors) {
    expect(error.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines + 1);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message.length).toBeGreaterThan(0);
  }
}

const yamlish = fc
  .array(
    fc.constantFrom(
      ...'abc:-[]{}&*!|>\'"#,? \n\t01.'.split(''),
      'version: 1\n',
      'plan:\n  ',
      '- ',
      '&a ',
      '*a',
    ),
    {
      maxLength: 80,
    },
  )
  .map((parts) => parts.join(''));

describe('loadMappingText on arbitrary input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), yamlish), expectAnswer), { numRuns: 200 });
  });

  it('never throws on arbitrary JSON values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectAnswer(stringify(value))),
      { numRuns: 200 },
    );
  });

  it('never throws when any part of a real plan is replaced by an arbitrary value', () => {
    const plan = parse(example) as unknown;
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]): void => {
      paths.push(path);
      const children = Array.isArray(value)
        ? value.entries()
        : value && typeof value === 'object'
          ? Object.entries(value)
          : [];
      for (const [key, child] of children) collect(child, [...path, key]);
    };
    collect(plan, []);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(paths.length - 1), fc.jsonValue()), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const copy = structuredClone(plan) as Record<string, unknown>;
          for (const [index, value] of edits) {
            const path = paths[index];
            if (path.length === 0) continue;
            let parent: unknown = copy;
            for (const segment of path.slice(0, -1))
              parent = (parent as Record<string | number, unknown>)?.[segment];
            if (parent && typeof parent === 'object')
              (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
          }
          expectAnswer(stringify(copy));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws when parts of a real plan are dropped, repeated or swapped', () => {
    const lines = example.split('\n');
    const edit = fc.record({
      at: fc.nat(lines.length - 1),
      count: fc.integer({ min: 1, max: 6 }),
      how: fc.constantFrom('drop', 'repeat', 'indent', 'swap'),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = [...lines];
        for (const { at, count, how } of edits) {
          const slice = text.slice(at, at + count);
          if (how === 'drop') text.splice(at, count);
          if (how === 'repeat') text.splice(at, 0, ...slice);
          if (how === 'indent') text.splice(at, count, ...slice.map((l) => `  ${l}`));
          if (how === 'swap') text = [...text.slice(0, at), ...slice.reverse(), ...text.slice(at + count)];
        }
        expectAnswer(text.join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});

/** Condition-shaped values, right and wrong: the keys people write, with values of any type. */
const leafish = fc
  .record({
    field: fc.constantFrom<unknown>('title', 'labels', 'fields.x', 'x..y', '', 3),
    op: fc.constantFrom('equals', 'in', 'regex', 'exists', 'equalz'),
    value: fc.oneof(
      fc.constantFrom<unknown>('a', '', 'b'),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.constantFrom('a', 1), { maxLength: 2 }),
    ),
    extra: fc.option(
      fc.record({
        key: fc.constantFrom('flags', 'in', 'bogus'),
        value: fc.constantFrom<unknown>('i', 'ii', 'g', 1),
      }),
    ),
  })
  .map(({ field, op, value, extra }) => ({ field, [op]: value, ...(extra && { [extra.key]: extra.value }) }));
const field = fc.constantFrom('title', 'labels', 'fields.x');
const validLeaf = fc.oneof(
  fc.record({ field, equals: fc.oneof(fc.string(), fc.integer(), fc.boolean()) }),
  fc.record({ field, in: fc.array(fc.constantFrom('a', 1, true), { minLength: 1, maxLength: 2 }) }),
  fc.record({ field, regex: fc.constantFrom('a', '^b'), flags: fc.constantFrom('i', 'ms') }),
  fc.record({ field, exists: fc.boolean() }),
);
const conditionish: fc.Arbitrary<unknown> = fc.letrec<{ c: unknown }>((tie) => ({
  c: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'c' },
    { arbitrary: validLeaf, weight: 6 },
    leafish,
    fc.dictionary(
      fc.constantFrom('field', 'equals', 'regex', 'all', 'not'),
      fc.constantFrom<unknown>('title', 1, []),
      { maxKeys: 2 },
    ),
    fc.record({ all: fc.oneof(fc.array(tie('c'), { maxLength: 2 }), tie('c')) }),
    fc.record({ any: fc.array(tie('c'), { maxLength: 2 }) }),
    fc.record({ not: tie('c') }),
    fc.constantFrom<unknown>('text', 3, null, []),
  ),
})).c;

describe('explainCondition', () => {
  it('finds a problem exactly when the schema refuses the condition', () => {
    fc.assert(
      fc.property(conditionish, (value) => {
        const explained = explainCondition(value, ['when'], translateZodIssues);
        expect(explained.length === 0).toBe(Condition.safeParse(value).success);
      }),
      { numRuns: 300 },
    );
  });
});
