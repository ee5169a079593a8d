import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../src/connectors/kit/contract-suite.js';
import type { AlertMessage, NotifyTarget } from '../../src/connectors/kit/index.js';
import jira from './index.js';
import { notifyJira } from './notify.js';
import { startJiraSimulator } from './simulator.js';

const HOST = 'https://acme.atlassian.net';
const PRIYA = '712020:8e4d2c1b-7f6a-4b3c-a2d1-9e8f7a6b5c4d';
const settings = {
  host: HOST,
  auth: { email: 'baton@acme.example', apiToken: 'token-123' },
  jql: 'project = CHK',
};

const target: NotifyTarget = {
  externalId: '10042',
  key: 'CHK-42',
  fields: {},
  person: {
    name: 'Priya Nair',
    identities: [
      { tool: 'github', id: 'priya' },
      { tool: 'jira', id: PRIYA },
    ],
  },
};
const message: AlertMessage = {
  subject: 'Approval waiting 3 business days',
  text: 'CHK-42 has waited for your approval since Monday.\nThe launch phase is blocked on it.\n\nReply here or approve in Jira.',
  statusUrl: 'https://baton.example.com/plans/checkout-v2',
};

beforeAll(() => {
  nock.disableNetConnect();
  // The simulator listens on loopback.
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('notifying in Jira', () => {
  it('adds an ADF comment that mentions the person by accountId and links the status page', async () => {
    let sent: { body: { content: { content: unknown[] }[] } } | undefined;
    nock(HOST)
      .post('/rest/api/3/issue/10042/comment')
      .reply(async (request: Request) => {
        sent = (await request.json()) as typeof sent;
        return [201, { id: '10777', self: `${HOST}/rest/api/3/issue/10042/comment/10777`, body: sent?.body }];
      });
    const result = await notifyJira(contextFor(jira, settings), target, message);

    expect(result).toEqual({ ok: true, ref: '10777' });
    expect(sent?.body).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: PRIYA, text: '@Priya Nair' } },
            { type: 'text', text: ' ' },
            { type: 'text', text: 'CHK-42 has waited for your approval since Monday.' },
            { type: 'hardBreak' },
            { type: 'text', text: 'The launch phase is blocked on it.' },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Reply here or approve in Jira.' }] },
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              text: 'Open the plan status in Baton',
              marks: [{ type: 'link', attrs: { href: 'https://baton.example.com/plans/checkout-v2' } }],
            },
          ],
        },
      ],
    });
  });

  it('names the person in plain text when they have no Jira account', async () => {
    let sent: { body: { content: { content: unknown[] }[] } } | undefined;
    nock(HOST)
      .post('/rest/api/3/issue/10042/comment')
      .reply(async (request: Request) => {
        sent = (await request.json()) as typeof sent;
        return [201, { id: '10778' }];
      });
    const noJira = {
      ...target,
      person: { name: 'Dana Lee', identities: [{ tool: 'email', id: 'dana@acme.example' }] },
    };
    await notifyJira(contextFor(jira, settings), noJira, message);
    expect(sent?.body.content[0].content[0]).toEqual({ type: 'text', text: 'Dana Lee: ' });
  });

  it('reports a missing issue as a final failure, not something to retry', async () => {
    nock(HOST)
      .post('/rest/api/3/issue/10042/comment')
      .reply(404, {
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });
    const result = await notifyJira(contextFor(jira, settings), target, message);
    expect(result).toMatchObject({ ok: false, code: 'not_found', retry: false });
  });

  it('posts through the simulator, which records the alert and fires the comment webhooks', async () => {
    const sim = await startJiraSimulator({ generate: { count: 3 }, webhook: { secret: 's' } });
    try {
      const [id] = sim.liveIds();
      const result = await notifyJira(
        contextFor(jira, sim.connectionSettings()),
        { ...target, externalId: id },
        message,
      );
      expect(result.ok).toBe(true);
      expect(sim.sentComments).toHaveLength(1);
      expect(sim.sentComments[0]).toMatchObject({ issueId: id, body: { type: 'doc' } });
      expect(sim.deliveries.map((d) => d.event)).toEqual(['jira:issue_updated', 'comment_created']);
    } finally {
      await sim.stop();
    }
  });
});
