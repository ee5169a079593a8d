import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutlookConfig } from './config.js';
import page2 from './fixtures/message-delta-page2.json' with { type: 'json' };
import { pullAll, testContext } from './test-support.js';

const TENANT = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const mailboxes = [{ user: 'pm@contoso.com', folders: ['inbox'], calendars: false }];

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('outlook client credentials', () => {
  it('gets an app-only token with the client secret once and reuses it across pulls', async () => {
    const tokenRequests: string[] = [];
    nock('https://login.microsoftonline.com')
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(async (request: Request) => {
        tokenRequests.push(await request.text());
        return [
          200,
          { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'app-token-1' },
        ];
      });
    const authorizations: (string | null)[] = [];
    nock('https://graph.microsoft.com')
      .persist()
      .get(/messages\/delta/)
      .reply((request: Request) => {
        authorizations.push(request.headers.get('authorization'));
        return [200, page2];
      });
    const ctx = testContext({ tenantId: TENANT, clientId: 'client-1', clientSecret: 'secret-1', mailboxes });
    await pullAll(ctx, null);
    await pullAll(ctx, null);

    expect(tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests[0]);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(authorizations).toEqual(['Bearer app-token-1', 'Bearer app-token-1']);
  });

  it('asks the national cloud authority for a token scoped to the national Graph host', async () => {
    let scope: string | null = null;
    nock('https://login.microsoftonline.us')
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(async (request: Request) => {
        scope = new URLSearchParams(await request.text()).get('scope');
        return [200, { token_type: 'Bearer', expires_in: 3599, access_token: 'gov-token' }];
      });
    const graph = nock('https://graph.microsoft.us')
      .matchHeader('authorization', 'Bearer gov-token')
      .get(/messages\/delta/)
      .reply(200, page2);
    const ctx = testContext({
      tenantId: TENANT,
      clientId: 'client-gov',
      clientSecret: 'secret-gov',
      authorityHost: 'https://login.microsoftonline.us',
      baseUrl: 'https://graph.microsoft.us/v1.0',
      mailboxes,
    });
    await pullAll(ctx, null);
    expect(scope).toBe('https://graph.microsoft.us/.default');
    expect(graph.isDone()).toBe(true);
  });

  it('keeps the Authorization header on a non-Graph host (listed in customHosts)', async () => {
    const graph = nock('https://graph-proxy.contoso.test')
      .matchHeader('authorization', 'Bearer static')
      .get('/v1.0/users/pm@contoso.com/mailFolders/inbox/messages/delta')
      .query(true)
      .reply(200, { ...page2, '@odata.deltaLink': 'https://graph-proxy.contoso.test/v1.0/x?$deltatoken=1' });
    await pullAll(
      testContext({ accessToken: 'static', baseUrl: 'https://graph-proxy.contoso.test/v1.0', mailboxes }),
      null,
    );
    expect(graph.isDone()).toBe(true);
  });
});

describe('outlook settings', () => {
  const base = { tenantId: TENANT, clientId: 'c', mailboxes: [{ user: 'pm@contoso.com' }] };

  it('fills the documented defaults', () => {
    const config = OutlookConfig.parse({ ...base, clientSecret: 's' });
    expect(config).toMatchObject({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      mailboxes: [{ user: 'pm@contoso.com', folders: ['inbox', 'sentitems'], calendars: true }],
      approval: { subjectTag: '[Approval]', categories: [] },
      decisionMeeting: { subjectPattern: 'Go/No-Go' },
      calendarWindowDays: 60,
      bodyPreviewLines: 3,
      subscriptionLifetimeMinutes: 4_230,
    });
  });

  it('takes numbers and booleans given as strings (resolved environment variables)', () => {
    const config = OutlookConfig.parse({
      ...base,
      clientSecret: 's',
      calendarWindowDays: '30',
      mailboxes: [{ user: 'pm@contoso.com', calendars: 'false' }],
    });
    expect(config.calendarWindowDays).toBe(30);
    expect(config.mailboxes[0].calendars).toBe(false);
  });

  it.each([
    ['no credential', { ...base }],
    ['two credentials', { ...base, clientSecret: 's', accessToken: 't' }],
    ['a secret without a tenant', { clientId: 'c', clientSecret: 's', mailboxes: base.mailboxes }],
    ['an http base URL', { ...base, clientSecret: 's', baseUrl: 'http://127.0.0.1:8443/v1.0' }],
    [
      'a base URL without the version',
      { ...base, clientSecret: 's', baseUrl: 'https://graph.microsoft.com' },
    ],
    [
      'a base URL with a deeper path',
      { ...base, clientSecret: 's', baseUrl: 'https://proxy.test/graph/v1.0' },
    ],
    [
      'a key pattern that is no regular expression',
      { ...base, clientSecret: 's', approval: { keyPattern: '([A-Z' } },
    ],
    ['a clientState shorter than 16 characters', { ...base, clientSecret: 's', clientState: 'short' }],
    ['no mailbox', { ...base, clientSecret: 's', mailboxes: [] }],
  ])('refuses %s', (_name, settings) => {
    expect(OutlookConfig.safeParse(settings).success).toBe(false);
  });
});
