import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw, webUrl } from '../../src/api/pages/html.js';

describe('html template', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    [`"double" 'single' \`back\``, '&quot;double&quot; &#39;single&#39; &#96;back&#96;'],
    ['&amp;', '&amp;amp;'],
  ])('escapes %s', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    expect(html`<p>${text}</p>`.value).toBe(`<p>${escaped}</p>`);
  });

  it('keeps an attribute value inside its quotes', () => {
    const title = `x" onmouseover="alert(1)`;
    expect(html`<a title="${title}">t</a>`.value).toBe('<a title="x&quot; onmouseover=&quot;alert(1)">t</a>');
  });

  it('nests fragments without escaping them twice, and escapes every item of a list', () => {
    const items = ['<b>', 'ok'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${3.5}`.value).toBe('03.5');
  });

  it('passes trusted markup only through raw()', () => {
    expect(html`${raw('<br>')}${'<br>'}`.value).toBe('<br>&lt;br&gt;');
  });
});

describe('webUrl', () => {
  it.each([
    ['https://github.com/acme/checkout/pull/41', 'https://github.com/acme/checkout/pull/41'],
    ['http://jira.internal/browse/CHK-1', 'http://jira.internal/browse/CHK-1'],
    ['javascript:alert(1)', null],
    ['JavaScript:alert(1)', null],
    [' javascript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox(1)', null],
    ['/relative/path', null],
    ['not a url', null],
    [null, null],
  ])('links %s only when it is an http(s) address', (url, expected) => {
    expect(webUrl(url)).toBe(expected);
  });
});
