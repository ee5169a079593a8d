import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFor } from '../../src/connectors/kit/contract-suite.js';
import { type AlertMessage, createHttpPacer, type NotifyTarget } from '../../src/connectors/kit/index.js';
import { githubConnector } from './index.js';
import { notifyGitHub } from './notify.js';
import { startGitHubSimulator } from './simulator.js';
import { githubContext, storedDelivery } from './test-support.js';
import { parseDelivery } from './webhook-parse.js';

const BASE = 'https://gh.example.test';
const COMMENTS = '/repos/acme/checkout/issues/42/comments';
const message: AlertMessage = {
  subject: 'Review waiting 3 business days',
  text: 'Alice asked you to review acme/checkout#42 on 21 May.',
  statusUrl: 'https://baton.example.com/plans/CHK',
};
const carol: NotifyTarget = {
  externalId: 'acme/checkout#42',
  fields: {},
  person: {
    name: 'Carol Diaz',
    identities: [
      { tool: 'github', id: 'carol' },
      { tool: 'jira', id: '5b10ac' },
    ],
  },
};

function nockContext() {
  return { ...githubContext(), http: createHttpPacer({ sleep: async () => {}, baseDelayMs: 1 }) };
}

afterEach(() => nock.cleanAll());

describe('posting alerts as comments (against nock)', () => {
  it('comments on the item mentioning the person’s GitHub login and returns the comment URL', async () => {
    let posted: { body?: string } = {};
    nock(BASE)
      .post(COMMENTS, (body) => {
        posted = body;
        return true;
      })
      .reply(201, { id: 1, html_url: 'https://github.com/acme/checkout/pull/42#issuecomment-1' });
    const result = await notifyGitHub(nockContext(), carol, message);
    expect(result).toEqual({ ok: true, ref: 'https://github.com/acme/checkout/pull/42#issuecomment-1' });
    expect(posted.body).toContain('@carol: **Review waiting 3 business days**');
    expect(posted.body).toContain(message.text);
    expect(posted.body).toContain('(https://baton.example.com/plans/CHK)');
    expect(posted.body).toContain('<!-- baton:alert -->');
  });

  it('addresses the person by name when Baton knows no GitHub login for them', async () => {
    let posted: { body?: string } = {};
    nock(BASE)
      .post(COMMENTS, (body) => {
        posted = body;
        return true;
      })
      .reply(201, { id: 2, html_url: 'https://github.com/acme/checkout/pull/42#issuecomment-2' });
    const nameOnly = { ...carol, person: { name: 'Carol Diaz', identities: [] } };
    await notifyGitHub(nockContext(), nameOnly, message);
    expect(posted.body?.startsWith('Carol Diaz: ')).toBe(true);
    expect(posted.body).not.toContain('@');
  });

  it.each([
    [404, 'not_found', false],
    [403, 'forbidden', false],
    [422, 'bad_request', false],
  ])('reports a %i as %s, not worth retrying', async (status, code, retry) => {
    nock(BASE).post(COMMENTS).reply(status, { message: 'nope' });
    expect(await notifyGitHub(nockContext(), carol, message)).toMatchObject({ ok: false, code, retry });
  });

  it.each([
    [502, 'unavailable', {}],
    [429, 'rate_limited', { 'retry-after': '1' }],
  ])('reports a lasting %i as %s, worth retrying later', async (status, code, headers) => {
    nock(BASE).post(COMMENTS).times(6).reply(status, { message: 'try later' }, headers);
    expect(await notifyGitHub(nockContext(), carol, message)).toMatchObject({ ok: false, code, retry: true });
  });

  it('refuses a target that is not a GitHub item', async () => {
    const result = await notifyGitHub(nockContext(), { ...carol, externalId: 'CHK-12' }, message);
    expect(result).toMatchObject({ ok: false, code: 'bad_target', retry: false });
  });
});

describe('posting alerts as comments (against the simulator)', () => {
  it('posts the comment, and the comment’s own webhook does not count as someone acting', async () => {
    const sim = await startGitHubSimulator({
      generate: { repo: 'acme/checkout', items: 4 },
      webhook: { secret: 's' },
    });
    try {
      const ctx = contextFor(githubConnector, sim.connectionSettings());
      const result = await notifyGitHub(ctx, { ...carol, externalId: 'acme/checkout#4' }, message);
      expect(result).toMatchObject({
        ok: true,
        ref: expect.stringContaining('/acme/checkout/pull/4#issuecomment-'),
      });
      expect(sim.postedComments).toEqual([
        expect.objectContaining({
          repo: 'acme/checkout',
          number: 4,
          user: 'baton-bot',
          body: expect.stringContaining('@carol'),
        }),
      ]);
      const echo = sim.deliveries.at(-1)!;
      expect(echo.event).toBe('issue_comment');
      const parsed = await parseDelivery(storedDelivery(echo.event, echo.request.rawBody), ctx);
      expect(parsed.kind === 'records' && parsed.records[0].activity).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});
