import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { EXPIRY_GRACE_MS, JIRA_MAX_AGE_MS } from '../../src/api/auth/webhook-freshness.js';
import { pruneInbox } from '../../src/jobs/retention-tasks.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { registerFakeConnector, signFake } from '../support/fake-connector.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testApp, testServices } from '../support/test-services.js';
import { fourToolConnections, graphNotification, signedHeaders } from './support/four-tools.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;

beforeAll(async () => {
  registerFakeConnector();
  database = await createTestDatabase();
  services = await testServices(database, {
    connections: [
      ...fourToolConnections(),
      connectionConfig('fake', 'fake', { secret: 'fake-secret' }),
      { ...connectionConfig('limited', 'fake', { secret: 'fake-secret' }), webhookRateLimitPerMinute: 3 },
    ],
  });
  app = await testApp(services);
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

const post = (connection: string, payload: string | Buffer, headers: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/webhooks/${connection}`,
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });
const fake = (payload: string, delivery: string) => ({
  'x-fake-signature': signFake(payload),
  'x-fake-delivery': delivery,
});
const stored = async (connection: string) =>
  Number(
    (
      await database.db
        .selectFrom('webhook_inbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('connection', '=', connection)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('webhook body limit', () => {
  it('refuses a body over 1 MB with 413 and stores nothing', async () => {
    const payload = JSON.stringify({ records: [], padding: 'x'.repeat(1024 * 1024) });
    const response = await post('fake', payload, fake(payload, 'big-1'));
    expect(response.statusCode).toBe(413);
    expect(await stored('fake')).toBe(0);
  });
});

describe('webhook rate limit per connection', () => {
  it('answers 429 with Retry-After past the connection limit and stores nothing more', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const payload = JSON.stringify({ records: [], i });
      codes.push((await post('limited', payload, fake(payload, `l-${i}`))).statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 429, 429]);
    const refused = await post('limited', '{}', fake('{}', 'l-9'));
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(await stored('limited')).toBe(3);
  });

  it('keeps counting each connection on its own', async () => {
    const payload = JSON.stringify({ records: [] });
    expect((await post('fake', payload, fake(payload, 'own-bucket'))).statusCode).toBe(202);
  });
});

describe('webhook replays', () => {
  it('gives a delivery replayed inside the inbox window no effect', async () => {
    const body = JSON.stringify({ action: 'opened', issue: { number: 1 } });
    const headers = signedHeaders('github', body, 'gh-replay-1');
    expect((await post('github', body, headers)).json()).toEqual({ accepted: true, duplicate: false });
    const pending = await database.db
      .selectFrom('webhook_inbox')
      .selectAll()
      .where('connection', '=', 'github')
      .execute();
    const replay = await post('github', body, headers);
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ accepted: true, duplicate: true });
    const after = await database.db
      .selectFrom('webhook_inbox')
      .selectAll()
      .where('connection', '=', 'github')
      .execute();
    expect(after).toEqual(pending);
  });

  it('prunes settled deliveries after 30 days, never pending ones or recent ones', async () => {
    const day = 86_400_000;
    const now = new Date();
    const row = (id: string, ageDays: number, status: string) => ({
      connection: 'retention',
      delivery_id: id,
      event: 'e',
      headers: '{}',
      body: Buffer.from('{}'),
      status,
      received_at: new Date(now.getTime() - ageDays * day),
    });
    await database.db
      .insertInto('webhook_inbox')
      .values([
        row('old-done', 31, 'done'),
        row('old-failed', 40, 'failed'),
        row('old-pending', 45, 'pending'),
        row('recent-done', 29, 'done'),
      ])
      .execute();
    expect(await pruneInbox(database.db, now)).toBe(2);
    const left = await database.db
      .selectFrom('webhook_inbox')
      .select('delivery_id')
      .where('connection', '=', 'retention')
      .orderBy('delivery_id')
      .execute();
    expect(left.map((r) => r.delivery_id)).toEqual(['old-pending', 'recent-done']);
  });
});

describe('webhook timestamps', () => {
  const jiraBody = (timestamp: number) =>
    JSON.stringify({ timestamp, webhookEvent: 'jira:issue_updated', issue: { id: '10001', key: 'CHK-1' } });

  it('refuses a signed Jira delivery older than the tolerance, storing nothing', async () => {
    const before = await stored('jira');
    const body = jiraBody(Date.now() - JIRA_MAX_AGE_MS - 60_000);
    const response = await post('jira', body, signedHeaders('jira', body, 'jira-old-1'));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('stale_delivery');
    expect(await stored('jira')).toBe(before);
  });

  it('takes a signed Jira delivery retried within the tolerance', async () => {
    const body = jiraBody(Date.now() - 30 * 60_000);
    expect((await post('jira', body, signedHeaders('jira', body, 'jira-retry-1'))).statusCode).toBe(202);
  });

  it('refuses a Graph notification for a subscription that expired, storing nothing', async () => {
    const before = await stored('outlook');
    const body = graphNotification(new Date(Date.now() - EXPIRY_GRACE_MS - 60_000));
    const response = await post('outlook', body, {});
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('expired_subscription');
    expect(await stored('outlook')).toBe(before);
    const live = graphNotification(new Date(Date.now() + 3_600_000), 'n-live');
    expect((await post('outlook', live, {})).statusCode).toBe(202);
  });

  it('refuses a Drive notification from an expired channel, storing nothing', async () => {
    const before = await stored('drive');
    const expired = new Date(Date.now() - EXPIRY_GRACE_MS - 60_000).toUTCString();
    const headers = { ...signedHeaders('drive', '', 'd-7'), 'x-goog-channel-expiration': expired };
    const response = await post('drive', Buffer.alloc(0), headers);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('expired_channel');
    expect(await stored('drive')).toBe(before);
    const live = { ...headers, 'x-goog-channel-expiration': new Date(Date.now() + 3_600_000).toUTCString() };
    expect((await post('drive', Buffer.alloc(0), live)).statusCode).toBe(202);
  });
});
