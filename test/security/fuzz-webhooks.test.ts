import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { registerFakeConnector, signFake } from '../support/fake-connector.js';
import { testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testApp, testServices } from '../support/test-services.js';
import { fourToolConnections, SECRETS, signedHeaders } from './support/four-tools.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;

beforeAll(async () => {
  registerFakeConnector();
  database = await createTestDatabase();
  services = await testServices(database, {
    plans: [testPlan()],
    connections: [...fourToolConnections(), connectionConfig('fake', 'fake', { secret: 'fake-secret' })],
  });
  app = await testApp(services);
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const count = async (table: 'webhook_inbox' | 'items') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const headerName = fc.oneof(
  fc.constantFrom(
    'x-hub-signature-256',
    'x-hub-signature',
    'x-github-delivery',
    'x-github-event',
    'x-atlassian-webhook-identifier',
    'x-goog-channel-token',
    'x-goog-channel-id',
    'x-goog-resource-state',
    'x-goog-message-number',
    'x-goog-channel-expiration',
    'x-fake-signature',
    'x-fake-delivery',
    'content-encoding',
    'transfer-encoding',
  ),
  fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
);
const toolShaped = fc.oneof(
  fc.record({
    timestamp: fc.oneof(fc.integer(), fc.double(), fc.constant(Date.now()), printable),
    webhookEvent: fc.oneof(
      fc.constantFrom('jira:issue_updated', 'jira:issue_deleted', 'comment_created'),
      printable,
    ),
    issue: fc.option(fc.record({ id: printable, key: printable, fields: fc.jsonValue() }), {
      nil: undefined,
    }),
  }),
  fc.record({
    value: fc.array(
      fc.record({
        subscriptionId: fc.oneof(printable, fc.integer()),
        clientState: fc.oneof(printable, fc.constant(SECRETS.clientState)),
        subscriptionExpirationDateTime: fc.oneof(
          printable,
          fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
        ),
        lifecycleEvent: fc.option(
          fc.constantFrom('missed', 'subscriptionRemoved', 'reauthorizationRequired'),
          { nil: undefined },
        ),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ records: fc.array(fc.jsonValue(), { maxLength: 3 }) }),
);
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
  toolShaped.map((v) => JSON.stringify(v)),
  printable,
  fc.constant(''),
);
const request = fc.record({
  connection: fc.oneof(
    { arbitrary: fc.constantFrom('github', 'jira', 'outlook', 'drive', 'fake'), weight: 6 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/), weight: 1 },
  ),
  body,
  headers: fc.dictionary(headerName, printable, { maxKeys: 6 }),
  contentType: fc.option(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ),
    { nil: undefined },
  ),
  signed: fc.boolean(),
  delivery: fc.constantFrom('d-1', 'd-2', '3', 'x'.repeat(300)),
  query: fc.option(
    fc.dictionary(fc.constantFrom('validationToken', 'lifecycle', 'x'), printable, { maxKeys: 2 }),
    {
      nil: undefined,
    },
  ),
});

describe('every webhook route on generated input', () => {
  it('never answers 5xx and stores only what it acknowledges', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const raw = typeof r.body === 'string' ? r.body : r.body.toString('latin1');
        const headers: Record<string, string> = { ...r.headers };
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.signed) {
          Object.assign(headers, signedHeaders(r.connection, raw, r.delivery));
          if (r.connection === 'fake')
            Object.assign(headers, { 'x-fake-signature': signFake(raw), 'x-fake-delivery': r.delivery });
        }
        const [inbox, items] = [await count('webhook_inbox'), await count('items')];
        const query = r.query ? `?${new URLSearchParams(r.query)}` : '';
        const response = await app.inject({
          method: 'POST',
          url: `/webhooks/${encodeURIComponent(r.connection)}${query}`,
          payload: typeof r.body === 'string' ? r.body : r.body,
          headers,
        });
        expect(response.statusCode, response.body).toBeLessThan(500);
        const added = (await count('webhook_inbox')) - inbox;
        const answer = response.statusCode === 202 ? response.json() : undefined;
        const keptAsFailed = response.statusCode === 400 && response.json().error?.code === 'malformed_json';
        const label = `${response.statusCode} ${response.body}`;
        if (keptAsFailed)
          expect(added, label).toBeLessThanOrEqual(1); // signed but not JSON: kept, once
        else expect(added, label).toBe(answer && !answer.duplicate ? 1 : 0);
        expect(await count('items')).toBe(items);
      }),
      { numRuns: 300 },
    );
  });
});
