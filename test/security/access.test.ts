import Fastify, { type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batonPlugin } from '../../src/api/app.js';
import { signShareLink } from '../../src/api/auth/share-link.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createToken, revokeToken } from '../../src/store/tokens.repository.js';
import { testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: ReturnType<typeof Fastify>;
const routes: RouteOptions[] = [];
let admin: string;
let viewer: string;
const SHARE_SECRET = 'share-secret-for-tests';

beforeAll(async () => {
  database = await createTestDatabase();
  services = await testServices(database, { plans: [testPlan()] });
  app = Fastify();
  app.addHook('onRoute', (route: RouteOptions) => {
    routes.push(route);
  });
  await app.register(batonPlugin, {
    services,
    auth: { mode: 'required', shareSecret: async () => SHARE_SECRET },
  });
  await app.ready();
  admin = (await createToken(database.db, 'ops', 'admin')).token;
  viewer = (await createToken(database.db, 'exec', 'viewer')).token;
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const concrete = (url: string) =>
  url
    .replace(/:key/g, 'checkout')
    .replace(/:[a-zA-Z]+/g, 'x')
    .replace(/\*/g, 'x');
const call = (route: RouteOptions, method: string, token?: string) =>
  app.inject({
    method: method as 'GET',
    url: concrete(route.url),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(method === 'POST' ? { payload: {} } : {}),
  });
/** Refused by the access check itself (not by the route, e.g. a wrong token posted to /login). */
const refused = (response: { statusCode: number; body: string }) =>
  (response.statusCode === 401 || response.statusCode === 403) &&
  /"code":"(unauthenticated|forbidden)"/.test(response.body);
const methods = (route: RouteOptions) =>
  (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');

describe('access control on every registered route', () => {
  it('has every route state who may call it', () => {
    const undeclared = routes
      .filter((r) => r.config?.access === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('refuses anonymous requests everywhere but public routes', async () => {
    for (const route of routes) {
      for (const method of methods(route)) {
        const response = await call(route, method);
        if (route.config?.access === 'public')
          expect(refused(response), `${method} ${route.url}`).toBe(false);
        else expect(response.statusCode, `${method} ${route.url}`).toBe(401);
      }
    }
  });

  it('refuses a viewer on admin routes and lets it read the rest', async () => {
    for (const route of routes) {
      for (const method of methods(route)) {
        const response = await call(route, method, viewer);
        const label = `${method} ${route.url}`;
        if (route.config?.access === 'admin') expect(response.statusCode, label).toBe(403);
        else expect(refused(response), label).toBe(false);
      }
    }
  });

  it('lets an admin call every route', async () => {
    for (const route of routes) {
      for (const method of methods(route)) {
        expect(refused(await call(route, method, admin)), `${method} ${route.url}`).toBe(false);
      }
    }
  });

  it('stops accepting a revoked token', async () => {
    const { id, token } = await createToken(database.db, 'temp', 'viewer');
    await revokeToken(database.db, id);
    expect(
      (await app.inject({ url: '/api/plans', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
  });

  it('opens a plan page with a valid share link, not with an expired or altered one', async () => {
    const share = signShareLink('checkout', new Date(Date.now() + 3_600_000), SHARE_SECRET);
    const expired = signShareLink('checkout', new Date(Date.now() - 1000), SHARE_SECRET);
    const pageRoute = routes.find((r) => r.url === '/plans/:key');
    if (!pageRoute) return; // the status page registers /plans/:key
    expect((await app.inject(`/plans/checkout?share=${share}`)).statusCode).toBe(200);
    expect((await app.inject(`/plans/checkout?share=${expired}`)).statusCode).toBe(401);
    // Change the last character of the signature (to a different one: 1 in 64 links end in A).
    const altered = `${share.slice(0, -1)}${share.endsWith('A') ? 'B' : 'A'}`;
    expect((await app.inject(`/plans/checkout?share=${altered}`)).statusCode).toBe(401);
    expect((await app.inject(`/plans/other?share=${share}`)).statusCode).toBe(401);
  });

  it('exchanges a token for an HttpOnly session cookie at /login', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/login',
      payload: `token=${encodeURIComponent(viewer)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(303);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = cookie.split(';')[0];
    expect((await app.inject({ url: '/api/plans', headers: { cookie: session } })).statusCode).toBe(200);
  });
});
