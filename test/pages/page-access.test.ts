import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import { signShareLink } from '../../src/api/auth/share-link.js';
import { createToken } from '../../src/store/tokens.repository.js';
import { FIXTURE_NOW, type StatusFixture, statusFixture } from './status-fixture.js';

const SECRET = 'share-secret-for-tests';
let fixture: StatusFixture;
let app: BatonApp;
let viewer: string;

beforeAll(async () => {
  fixture = await statusFixture();
  app = await buildApp({
    services: fixture.services,
    logger: false,
    auth: { mode: 'required', shareSecret: async () => SECRET, now: () => FIXTURE_NOW },
  });
  await app.ready();
  viewer = (await createToken(fixture.database.db, 'exec screen', 'viewer')).token;
});
afterAll(async () => {
  await app.close();
  await fixture.close();
});

const share = (plan: string) => signShareLink(plan, new Date(FIXTURE_NOW.getTime() + 86_400_000), SECRET);

describe('pages behind access control', () => {
  it.each(['/', '/plans/checkout-rollout', '/connections/jira'])(
    'refuses %s without a token',
    async (url) => {
      expect((await app.inject(url)).statusCode).toBe(401);
    },
  );

  it.each(['/', '/plans/checkout-rollout', '/connections/jira'])(
    'serves %s to a viewer token',
    async (url) => {
      const response = await app.inject({ url, headers: { authorization: `Bearer ${viewer}` } });
      expect(response.statusCode).toBe(200);
    },
  );

  it('opens one plan page with its share link, and only that page', async () => {
    const link = share('checkout-rollout');
    expect((await app.inject(`/plans/checkout-rollout?share=${link}`)).statusCode).toBe(200);
    expect((await app.inject(`/connections/jira?share=${link}`)).statusCode).toBe(401);
  });

  it('serves the stylesheet and script without a token, so shared pages render', async () => {
    const page = (await app.inject(`/plans/checkout-rollout?share=${share('checkout-rollout')}`)).body;
    const assets = page.match(/\/assets\/baton\.(css|js)\?v=[0-9a-f]+/g) ?? [];
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect((await app.inject(asset)).statusCode).toBe(200);
    }
  });
});
