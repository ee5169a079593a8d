import fc from 'fast-check';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batonPlugin } from '../../src/api/app.js';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createToken } from '../../src/store/tokens.repository.js';
import { jira, record, testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: FastifyInstance;
let admin: string;
const routes: RouteOptions[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  services = await testServices(database, { plans: [testPlan()] });
  // Stored items with hostile text, so pages and lists have something to render.
  const hostile = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; drop table items; --"];
  await ingestBatch(
    database.db,
    services.plans.readers('jira'),
    'jira',
    hostile.map((title, i) =>
      record({
        externalId: `h${i}`,
        key: `CHK-${i}`,
        title,
        assignees: [jira('acc-raj')],
        labels: ['design'],
      }),
    ),
    { origin: 'poll', cursor: null },
  );
  app = Fastify({ bodyLimit: 1024 * 1024, trustProxy: true });
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/webhooks/')) routes.push(route); // fuzz-webhooks.test.ts covers them
  });
  await app.register(batonPlugin, {
    services,
    runtime: { workersRunning: () => true }, // /readyz answers 503 without workers, by design
    auth: { mode: 'required', shareSecret: async () => 's' },
  });
  await app.ready();
  admin = (await createToken(database.db, 'fuzz', 'admin')).token;
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const TABLES = ['items', 'webhook_inbox', 'handoffs', 'approvals', 'alerts', 'api_tokens'] as const;
const counts = () =>
  Promise.all(
    TABLES.map(async (table) =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
/** A path segment as a client could send it: known values, encoded text, broken encodings, traversal. */
const segment = fc.oneof(
  fc.constantFrom('checkout', 'jira', 'h0', 'baton.css', 'index.html', 'json'),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => encodeURIComponent(s) || 'x'),
  fc.constantFrom(
    '..%2F..%2Fetc%2Fpasswd',
    '%',
    '%ff',
    '%00',
    '%2e%2e',
    '..',
    'x'.repeat(2000),
    '%E2%80%AE',
    '__proto__',
  ),
);
const query = fc.oneof(
  fc
    .dictionary(
      fc.constantFrom(
        'plan',
        'phase',
        'person',
        'stalled',
        'level',
        'open',
        'limit',
        'share',
        'next',
        'format',
        'x',
      ),
      fc.oneof(printable, fc.constantFrom('true', 'false', '-1', '1e309', 'NaN', '99999999999999999999')),
      { maxKeys: 4 },
    )
    .map((q) => new URLSearchParams(q).toString()),
  fc.constantFrom(
    '%',
    '&&==',
    'a[b]=c',
    '__proto__[x]=1',
    'constructor[prototype][x]=1',
    'limit=1&limit=2',
    'plan=%00',
  ),
);
const body = fc.oneof(
  fc.jsonValue().map((v) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json' })),
  fc
    .record({
      for: fc.oneof(printable, fc.constantFrom('30m', '4h', '2d', '91d', '0m')),
      until: fc.oneof(
        printable,
        fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
      ),
    })
    .map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })),
  printable.map((payload) => ({ payload, type: 'application/json' })),
  printable.map((payload) => ({ payload, type: 'application/x-www-form-urlencoded' })),
  printable.map((payload) => ({ payload, type: 'text/plain' })),
);

describe('every API route on generated input', () => {
  it('never answers 5xx, and a refused request changes nothing', async () => {
    expect(routes.length).toBeGreaterThan(10);
    const call = fc.record({
      route: fc.constantFrom(...routes),
      segments: fc.array(segment, { minLength: 3, maxLength: 3 }),
      query,
      body,
      accept: fc.constantFrom('application/json', 'text/html', '*/*', ''),
    });
    await fc.assert(
      fc.asyncProperty(call, async ({ route, segments, query: q, body: b, accept }) => {
        let i = 0;
        const path = route.url.replace(/:[A-Za-z]+|\*/g, () => segments[i++ % segments.length]);
        const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
          (m) => m !== 'HEAD',
        );
        for (const method of methods) {
          const before = await counts();
          const response = await app.inject({
            method: method as 'GET',
            url: `${path}?${q}`,
            headers: {
              authorization: `Bearer ${admin}`,
              accept,
              ...(method === 'GET' ? {} : { 'content-type': b.type }),
            },
            ...(method === 'GET' ? {} : { payload: b.payload }),
          });
          const label = `${method} ${path}?${q} → ${response.statusCode} ${response.body.slice(0, 200)}`;
          expect(response.statusCode, label).toBeLessThan(500);
          if (response.statusCode >= 400) expect(await counts(), label).toEqual(before);
        }
      }),
      { numRuns: 300 },
    );
  });

  // Found by the property above: Postgres refuses NUL in text, so it used to surface as a 500.
  it('answers 400, not 500, for a NUL byte in a path or query', async () => {
    const headers = { authorization: `Bearer ${admin}` };
    for (const url of ['/connections/%00', '/api/handoffs?person=a%00b', '/api/plans/check%00out/items']) {
      const response = await app.inject({ url, headers });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
  });
});
