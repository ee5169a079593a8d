import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../src/connectors/kit/contract-suite.js';
import jira from './index.js';
import { recoverFailedDeliveries } from './webhook-recovery.js';

const HOST = 'https://acme.atlassian.net';
const ctx = () =>
  contextFor(jira, {
    host: HOST,
    auth: { email: 'baton@acme.example', apiToken: 't' },
    jql: 'project = CHK',
  });
const body = (id: string) =>
  JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_deleted', issue: { id } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('recovering failed Jira deliveries', () => {
  it('pages by failure time and returns deliveries under their original identifiers', async () => {
    nock(HOST)
      .get('/rest/api/3/webhook/failed')
      .query({ maxResults: 100 })
      .reply(200, {
        values: [
          {
            id: 'a1',
            body: body('10001'),
            url: 'https://baton.example.com/webhooks/jira',
            failureTime: 1717836000000,
          },
          // Jira may leave the body out; such a failure is left to the pull.
          { id: 'a2', url: 'https://baton.example.com/webhooks/jira', failureTime: 1717836000500 },
        ],
        maxResults: 100,
        next: `${HOST}/rest/api/3/webhook/failed?failedAfter=1717836000500&maxResults=100`,
      });
    const { deliveries, after, supported } = await recoverFailedDeliveries(ctx());
    expect(supported).toBe(true);
    expect(after).toBe(1717836000500);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      deliveryId: 'a1',
      event: 'jira:issue_deleted',
      headers: { 'x-atlassian-webhook-identifier': 'a1' },
      receivedAt: new Date(1717836000000),
    });
    expect(deliveries[0].body.toString('utf8')).toBe(body('10001'));
  });

  it('says the endpoint is not available when Jira refuses it to these credentials', async () => {
    nock(HOST)
      .get('/rest/api/3/webhook/failed')
      .query(true)
      .reply(403, { errorMessages: ['Only Connect apps can use this operation.'], errors: {} });
    expect(await recoverFailedDeliveries(ctx(), 5)).toEqual({ deliveries: [], after: 5, supported: false });
  });
});
