import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedJson } from './json-syntax.js';

/** What the route must agree with: the texts JSON.parse accepts after decoding the bytes as UTF-8. */
function jsonParseAccepts(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const connectorsDir = fileURLToPath(new URL('../../connectors', import.meta.url));
const fixtures: Buffer[] = readdirSync(connectorsDir, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.includes('fixtures') && path.endsWith('.json'))
  .map((path) => readFileSync(join(connectorsDir, path)));

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('isWellFormedJson', () => {
  it('accepts every payload the connectors keep as a vendor example', () => {
    expect(fixtures.length).toBeGreaterThan(20);
    for (const fixture of fixtures) expect(isWellFormedJson(fixture)).toBe(true);
  });

  it.each([
    '0',
    '-0',
    '-12.5e+3',
    '1E-7',
    '1e400',
    'true',
    'null',
    '""',
    '" \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 \\uDEAD "',
    '"é — 漢字 🙂"',
    ' \t\r\n{ "a" : [ 1 , { } , [ ] , "x" ] , "a" : null } \n',
    '[[[[[]]]]]',
    '{"":""}',
  ])('accepts %s', (text) => {
    expect(jsonParseAccepts(bytes(text))).toBe(true);
    expect(isWellFormedJson(bytes(text))).toBe(true);
  });

  it.each([
    '',
    ' ',
    '{',
    '}',
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '{"a":1 "b":2}',
    '[1 2]',
    '[1}',
    '{"a":1]',
    '01',
    '-',
    '1.',
    '.5',
    '1e',
    '1e+',
    '+1',
    '0x10',
    'NaN',
    'Infinity',
    'tru',
    'nul',
    'True',
    '"abc',
    '"a\\"',
    '"\\x41"',
    '"\\u12"',
    '"\\u12G4"',
    '"line\nbreak"',
    '"tab\there"',
    '{} {}',
    '1 2',
    '\u00a0{}',
    '\ufeff{}',
    '[1]\u0000',
  ])('refuses %j', (text) => {
    expect(jsonParseAccepts(bytes(text))).toBe(false);
    expect(isWellFormedJson(bytes(text))).toBe(false);
  });

  it('keeps bytes that are not UTF-8 inside a string, as decoding would, and refuses them outside', () => {
    const inside = Buffer.concat([bytes('["a'), Buffer.from([0xff, 0xc3]), bytes('"]')]);
    const outside = Buffer.concat([bytes('[1'), Buffer.from([0xff]), bytes(']')]);
    expect([isWellFormedJson(inside), jsonParseAccepts(inside)]).toEqual([true, true]);
    expect([isWellFormedJson(outside), jsonParseAccepts(outside)]).toEqual([false, false]);
  });

  it('follows nesting far deeper than the call stack allows', () => {
    const depth = 200_000;
    expect(isWellFormedJson(bytes(`${'['.repeat(depth)}${']'.repeat(depth)}`))).toBe(true);
    expect(isWellFormedJson(bytes(`${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth - 1)}}`))).toBe(false);
  });

  it('agrees with JSON.parse on any JSON value, however it is spaced', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t', ' \r\n'), (value, space) => {
        const text = bytes(JSON.stringify(value, null, space));
        expect(isWellFormedJson(text)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on vendor payloads with bytes cut, inserted or replaced', () => {
    const damage = fc.record({
      fixture: fc.nat({ max: fixtures.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      cut: fc.nat({ max: 3 }),
      insert: fc.uint8Array({ maxLength: 3 }).map(
        // Mostly the bytes JSON's syntax turns on, sometimes any byte.
        (raw) => Buffer.from([...raw].map((b) => (b % 2 ? b : '{}[]",:\\-.0e \nu'.charCodeAt(b % 15)))),
      ),
    });
    fc.assert(
      fc.property(damage, ({ fixture, at, cut, insert }) => {
        const original = fixtures[fixture];
        const position = Math.floor(at * original.length);
        const damaged = Buffer.concat([
          original.subarray(0, position),
          insert,
          original.subarray(position + cut),
        ]);
        expect(isWellFormedJson(damaged)).toBe(jsonParseAccepts(damaged));
      }),
      { numRuns: 3000 },
    );
  });
});
