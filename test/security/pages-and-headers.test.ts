import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createToken, revokeToken } from '../../src/store/tokens.repository.js';
import { testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let viewer: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = await testServices(database, { plans: [testPlan()] });
  // As deployed behind the operator's TLS proxy (BATON_TRUST_PROXY=true).
  app = await buildApp({
    services,
    logger: false,
    trustProxy: true,
    auth: { mode: 'required', shareSecret: async () => 's' },
  });
  await app.ready();
  viewer = (await createToken(database.db, 'exec', 'viewer')).token;
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const login = (form: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/login',
    payload: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('pages for a browser without a session', () => {
  it.each(['/', '/plans/checkout', '/connections/jira'])('redirects %s to /login with 303', async (url) => {
    const response = await app.inject({ url, headers: browser });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
  });

  it('keeps answering the JSON API with 401, whatever the Accept header', async () => {
    const response = await app.inject({ url: '/api/plans', headers: browser });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
    expect((await app.inject({ url: '/' })).statusCode).toBe(401);
  });

  it('sends a browser whose session was revoked to /login and clears the cookie', async () => {
    const { id, token } = await createToken(database.db, 'leaver', 'viewer');
    await revokeToken(database.db, id);
    const response = await app.inject({
      url: '/',
      headers: { ...browser, cookie: `baton_session=${token}` },
    });
    expect(response.statusCode).toBe(303);
    expect(String(response.headers['set-cookie'])).toMatch(/^baton_session=; .*Max-Age=0/);
  });

  it('returns to the page asked for after signing in, never to another site', async () => {
    const page = await app.inject({ url: '/login?next=%2Fplans%2Fcheckout', headers: browser });
    expect(page.body).toContain('name="next" value="/plans/checkout"');
    const back = await login(
      `token=${encodeURIComponent(viewer)}&next=${encodeURIComponent('/plans/checkout')}`,
    );
    expect(back.headers.location).toBe('/plans/checkout');
    for (const next of ['//evil.example/', '/\\evil.example/', 'https://evil.example/', '/ok\r\nx: y']) {
      const response = await login(`token=${encodeURIComponent(viewer)}&next=${encodeURIComponent(next)}`);
      expect(response.headers.location, next).toBe('/');
    }
  });
});

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and not Secure over plain http', async () => {
    const cookie = String((await login(`token=${encodeURIComponent(viewer)}`)).headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('is Secure when the request came over https through the proxy', async () => {
    const response = await login(`token=${encodeURIComponent(viewer)}`, { 'x-forwarded-proto': 'https' });
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
  });
});

describe('response headers', () => {
  const urls = ['/', '/login', '/healthz', '/api/plans', '/no/such/route', '/assets/baton.css'];

  it.each(urls)('%s names no server and no framework', async (url) => {
    const response = await app.inject({ url, headers: { authorization: `Bearer ${viewer}` } });
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers.server).toBeUndefined();
  });

  it('sends the webhook route no banner either', async () => {
    const response = await app.inject({ method: 'POST', url: '/webhooks/none', payload: {} });
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers.server).toBeUndefined();
  });

  it('sends Strict-Transport-Security only for requests that came over https', async () => {
    const plain = await app.inject({ url: '/login' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const tls = await app.inject({ url: '/login', headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  });

  it('sends the strict Content-Security-Policy on pages and the login form', async () => {
    for (const url of ['/', '/login']) {
      const response = await app.inject({ url, headers: { authorization: `Bearer ${viewer}` } });
      expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    }
  });
});

describe('without a trusted proxy', () => {
  it('ignores a client-sent X-Forwarded-Proto: no HSTS on plain http', async () => {
    const plain = await buildApp({
      services,
      logger: false,
      auth: { mode: 'required', shareSecret: async () => 's' },
    });
    try {
      const response = await plain.inject({ url: '/healthz', headers: { 'x-forwarded-proto': 'https' } });
      expect(response.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
