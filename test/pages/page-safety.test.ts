import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { testApp } from '../support/test-services.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT } from './fixture-records.js';
import { type StatusFixture, statusFixture } from './status-fixture.js';

let fixture: StatusFixture;
let app: BatonApp;
const PAGES = ['/', '/plans/checkout-rollout', '/connections/jira', '/connections/github'];

beforeAll(async () => {
  fixture = await statusFixture();
  app = await testApp(fixture.services);
});
afterAll(async () => {
  await app.close();
  await fixture.close();
});

const body = async (url: string) => (await app.inject(url)).body;

/** The CSP header as { directive: sources }. */
function policy(header: unknown): Record<string, string[]> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('external text on pages', () => {
  it.each(['/plans/checkout-rollout', '/connections/jira', '/connections/github'])(
    'shows hostile titles as escaped text on %s',
    async (url) => {
      const page = await body(url);
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      const escaped = url.endsWith('jira')
        ? [HOSTILE_SCRIPT]
        : url.endsWith('github')
          ? [HOSTILE_IMG]
          : [HOSTILE_SCRIPT, HOSTILE_IMG];
      for (const title of escaped) expect(page).toContain(title.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    },
  );

  it('does not link an item whose URL is a javascript: URL', async () => {
    const page = await body('/connections/jira');
    expect(page).not.toMatch(/href="\s*javascript:/i);
    expect(page).toContain(
      '<span class="tool">Jira</span> <span class="item"><span class="item-key">CHK-124</span>',
    );
  });

  it.each(PAGES)('has no inline script or style on %s', async (url) => {
    const page = await body(url);
    const tags = page.match(/<[a-z][^>]*>/gi) ?? [];
    for (const tag of tags.filter((t) => /^<script\b/i.test(t))) expect(tag).toMatch(/ src="\/assets\//);
    expect(tags.filter((t) => /^<style\b|\sstyle=|\son[a-z]+=/i.test(t))).toEqual([]);
  });
});

describe('security headers', () => {
  it.each([...PAGES, '/api/plans'])(
    'sends a Content-Security-Policy that forbids inline script on %s',
    async (url) => {
      const csp = policy((await app.inject(url)).headers['content-security-policy']);
      expect(csp).toMatchObject({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
      });
    },
  );

  it('keeps Swagger UI at /docs working: scripts from itself only, inline styles allowed there', async () => {
    const response = await app.inject('/docs');
    expect(response.statusCode).toBe(200);
    const csp = policy(response.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect((await app.inject('/docs/json')).statusCode).toBe(200);
  });

  it('serves the stylesheet with a year-long cache under a content-hashed URL', async () => {
    const link = (await body('/')).match(/<link rel="stylesheet" href="([^"]+)">/)?.[1];
    expect(link).toMatch(/^\/assets\/baton\.css\?v=[0-9a-f]{10}$/);
    const css = await app.inject(link!);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain('@media print');
  });
});

describe('unknown plans and connections', () => {
  it.each([
    ['/plans/nope', 'No plan “nope”'],
    ['/connections/nope', 'No connection “nope”'],
  ])('answers %s with a 404 page', async (url, heading) => {
    const response = await app.inject(url);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(`<h1>${heading}</h1>`);
    expect(response.body).toContain('<a href="/">See all plans</a>');
  });

  it('escapes the name it could not find', async () => {
    const response = await app.inject(`/plans/${encodeURIComponent(HOSTILE_SCRIPT)}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).toContain('No plan “&lt;script&gt;alert(1)&lt;/script&gt;”');
  });

  it('answers an unknown asset with 404', async () => {
    expect((await app.inject('/assets/nope.js')).statusCode).toBe(404);
  });
});
