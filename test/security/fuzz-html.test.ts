import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, type HtmlValue, html } from '../../src/api/pages/html.js';

const decodeEntities = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

/** Text as hostile as external titles get: markup, quotes, entities, any code point. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(fc.constantFrom('<', '>', '"', "'", '`', '&', '&lt;', '<script>', '</p>', 'onerror=', 'x', ' '))
    .map((parts) => parts.join('')),
);

describe('html template on arbitrary text', () => {
  it('never lets < > " \' through unescaped, and loses nothing', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = html`<p title="${text}">${text}</p>`.value;
        const inner = out.slice('<p title="'.length, -'</p>'.length);
        const [attribute, body] = inner.split('">');
        for (const part of [attribute, body]) {
          expect(part).not.toMatch(/[<>"'`]/);
          expect(decodeEntities(part)).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('escapes every string in nested lists and fragments exactly once', () => {
    const nested: fc.Arbitrary<HtmlValue> = fc.letrec<{ value: HtmlValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        hostile,
        fc.integer(),
        fc.constantFrom(null, undefined, false),
        fc.array(tie('value'), { maxLength: 4 }),
      ),
    })).value;
    const flatten = (value: HtmlValue): string =>
      value === null || value === undefined || value === false
        ? ''
        : Array.isArray(value)
          ? value.map(flatten).join('')
          : String(value);
    fc.assert(
      fc.property(nested, (value) => {
        const out = html`${value}`.value;
        expect(out).not.toMatch(/[<>"'`]/);
        expect(out).toBe(escapeHtml(flatten(value)));
      }),
      { numRuns: 300 },
    );
  });
});
