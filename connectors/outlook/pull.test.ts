import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorHttpError } from '../../src/connectors/kit/index.js';
import nextRound from './fixtures/message-delta-next-round.json' with { type: 'json' };
import page1 from './fixtures/message-delta-page1.json' with { type: 'json' };
import page2 from './fixtures/message-delta-page2.json' with { type: 'json' };
import syncStateNotFound from './fixtures/sync-state-not-found.json' with { type: 'json' };
import throttled from './fixtures/throttled.json' with { type: 'json' };
import { pullAll, testContext } from './test-support.js';

const GRAPH = 'https://graph.microsoft.com';
const INITIAL = '/v1.0/users/pm@contoso.com/mailFolders/inbox/messages/delta';
const settings = {
  accessToken: 'test-token',
  mailboxes: [{ user: 'pm@contoso.com', folders: ['inbox'], calendars: false }],
};
const versions = (records: { externalId: string; updatedAt: string }[]) =>
  records.map((r) => `${r.externalId}@${r.updatedAt}`);
const withToken = (token: string) => (uri: string) => uri.includes(token);

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('outlook pull over message delta', () => {
  it('follows @odata.nextLink to the @odata.deltaLink, selecting only the fields the plan needs', async () => {
    let select = '';
    const graph = nock(GRAPH)
      .matchHeader('authorization', 'Bearer test-token')
      .matchHeader('prefer', /odata\.maxpagesize=100/)
      .get(INITIAL)
      .query((query) => {
        select = String(query.$select);
        return true;
      })
      .reply(200, page1)
      .get(withToken('$skiptoken=GwcBoTmPuoTQWfcsAbkYM'))
      .reply(200, page2);
    const ctx = testContext(settings);
    const { pages, records, cursor } = await pullAll(ctx, null);

    expect(graph.isDone()).toBe(true);
    expect(select.split(',').sort()).toEqual(
      [
        'bodyPreview',
        'categories',
        'ccRecipients',
        'conversationId',
        'conversationIndex',
        'from',
        'internetMessageId',
        'isDraft',
        'lastModifiedDateTime',
        'receivedDateTime',
        'sentDateTime',
        'subject',
        'toRecipients',
        'webLink',
      ].sort(),
    );
    expect(pages).toHaveLength(2);
    expect(records.map((r) => r.externalId)).toEqual([
      'msg:AAMkADNkNAAASq35xAAA=',
      'conv:AAQkADNkNAAAV2mZ1Hx9ZkO4Q4t0hXyq0Qo=',
      'msg:AQMkADNkNAAAgWkAAAA',
    ]);
    expect(JSON.stringify(pages[0].cursor)).toContain('skiptoken=GwcBoTmPuoTQWfcsAbkYM');
    expect(JSON.stringify(cursor)).toContain('deltatoken=GwcBoTmPuoGNlgXgF1nyUNMXY');
  });

  it('leaves bodyPreview out of $select when bodyPreviewLines is 0 (Mail.ReadBasic.All cannot read it)', async () => {
    let select = '';
    nock(GRAPH)
      .get(INITIAL)
      .query((query) => {
        select = String(query.$select);
        return true;
      })
      .reply(200, page2);
    await pullAll(testContext({ ...settings, bodyPreviewLines: 0 }), null);
    expect(select.split(',')).not.toContain('bodyPreview');
    expect(select.split(',')).toContain('subject');
  });

  it('with historyDays, filters the first round on receivedDateTime and follows Graph’s links as given', async () => {
    const filters: unknown[] = [];
    const graph = nock(GRAPH)
      .get(INITIAL)
      .query((query) => {
        filters.push(query.$filter);
        return true;
      })
      .reply(200, page1)
      .get(withToken('$skiptoken=GwcBoTmPuoTQWfcsAbkYM'))
      .reply(200, page2);
    const now = new Date('2026-11-26T15:30:00.250Z');
    await pullAll(testContext({ ...settings, historyDays: 90 }, { now }), null);
    expect(graph.isDone()).toBe(true);
    expect(filters).toEqual(['receivedDateTime ge 2026-08-28T15:30:00Z']);
  });

  it('resumes from a mid-round cursor with the stored nextLink', async () => {
    nock(GRAPH).get(INITIAL).query(true).reply(200, page1);
    const ctx = testContext(settings);
    const firstPage = await (async () => {
      for await (const page of (await import('./index.js')).outlookConnector.pull(ctx, null)) return page;
    })();
    nock.cleanAll();
    const resumed = nock(GRAPH).get(withToken('$skiptoken=GwcBoTmPuoTQWfcsAbkYM')).reply(200, page2);
    const { records } = await pullAll(ctx, firstPage!.cursor);
    expect(resumed.isDone()).toBe(true);
    expect(records.map((r) => r.externalId)).toEqual(['msg:AQMkADNkNAAAgWkAAAA']);
  });

  it('turns @removed into tombstones: the approval item for a removed request, known plain messages', async () => {
    nock(GRAPH).get(INITIAL).query(true).reply(200, page1).get(withToken('$skiptoken=')).reply(200, page2);
    const now = new Date('2024-03-06T08:00:00Z');
    const first = await pullAll(testContext(settings, { now }), null);
    const known = new Set(first.records.map((r) => r.externalId));
    nock(GRAPH).get(withToken('$deltatoken=GwcBoTmPuoGNlgXgF1nyUNMXY')).reply(200, nextRound);

    const next = await pullAll(testContext(settings, { known, now }), first.cursor);
    expect(next.records.map((r) => [r.externalId, r.deleted])).toEqual([
      ['msg:AQMkADNkNAAAgWkAAAA', true],
      ['conv:AAQkADNkNAAAV2mZ1Hx9ZkO4Q4t0hXyq0Qo=', true],
    ]);
  });

  it('does not tombstone removed messages Baton never held', async () => {
    nock(GRAPH)
      .get(INITIAL)
      .query(true)
      .reply(200, { ...nextRound, value: [nextRound.value[0]] });
    const { records } = await pullAll(testContext(settings), null);
    expect(records).toEqual([]);
  });

  it('resyncs a folder whose delta token expired, without yielding a message version twice', async () => {
    const cursor = { v: 1, streams: {}, conversations: {}, pending: {} };
    const midRound = {
      ...cursor,
      streams: {
        'pm@contoso.com/mail/inbox': {
          link: "https://graph.microsoft.com/v1.0/users/pm@contoso.com/mailFolders('inbox')/messages/delta?$skiptoken=OLD1",
          midRound: true,
        },
      },
    };
    const graph = nock(GRAPH)
      .get(withToken('$skiptoken=OLD1'))
      .reply(200, {
        ...page1,
        '@odata.nextLink': page1['@odata.nextLink'].replace('GwcBoTmPuoTQWfcsAbkYM', 'OLD2'),
      })
      .get(withToken('$skiptoken=OLD2'))
      .reply(410, syncStateNotFound)
      .get(INITIAL)
      .query(true)
      .reply(200, page1)
      .get(withToken('$skiptoken=GwcBoTmPuoTQWfcsAbkYM'))
      .reply(200, page2);
    const ctx = testContext(settings);
    const { records, cursor: after } = await pullAll(ctx, midRound);

    expect(graph.isDone()).toBe(true);
    expect(new Set(versions(records)).size).toBe(records.length);
    expect(records.map((r) => r.externalId)).toEqual([
      'msg:AAMkADNkNAAASq35xAAA=',
      'conv:AAQkADNkNAAAV2mZ1Hx9ZkO4Q4t0hXyq0Qo=',
      'msg:AQMkADNkNAAAgWkAAAA',
    ]);
    expect(JSON.stringify(after)).toContain('deltatoken=GwcBoTmPuoGNlgXgF1nyUNMXY');
  });

  it('treats a 4xx with code syncStateNotFound like 410', async () => {
    const midRound = {
      v: 1,
      streams: { 'pm@contoso.com/mail/inbox': { link: `${GRAPH}${INITIAL}?$deltatoken=STALE` } },
      conversations: {},
      pending: {},
    };
    nock(GRAPH)
      .get(withToken('$deltatoken=STALE'))
      .reply(400, syncStateNotFound)
      .get(INITIAL)
      .query(true)
      .reply(200, page2);
    const { records } = await pullAll(testContext(settings), midRound);
    expect(records.map((r) => r.externalId)).toEqual(['msg:AQMkADNkNAAAgWkAAAA']);
  });

  it('waits out a 429 through the kit pacer, honouring Retry-After, and retries once', async () => {
    const graph = nock(GRAPH)
      .get(INITIAL)
      .query(true)
      .reply(429, throttled, { 'Retry-After': '7' })
      .get(INITIAL)
      .query(true)
      .reply(200, page2);
    const ctx = testContext(settings);
    const { records } = await pullAll(ctx, null);
    expect(graph.isDone()).toBe(true);
    expect(ctx.waits).toEqual([7000]);
    expect(records).toHaveLength(1);
  });

  it('waits out a 503 with Retry-After and a dropped connection', async () => {
    nock(GRAPH)
      .get(INITIAL)
      .query(true)
      .reply(503, 'Service Unavailable', { 'Retry-After': '2' })
      .get(INITIAL)
      .query(true)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get(INITIAL)
      .query(true)
      .reply(200, page2);
    const ctx = testContext(settings);
    const { records } = await pullAll(ctx, null);
    expect(ctx.waits[0]).toBe(2000);
    expect(ctx.waits).toHaveLength(2);
    expect(records).toHaveLength(1);
  });

  it('fails with auth_failed when Graph refuses the token', async () => {
    nock(GRAPH)
      .get(INITIAL)
      .query(true)
      .reply(401, {
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'Access token has expired or is not yet valid.',
        },
      });
    const error = await pullAll(testContext(settings), null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorHttpError);
    expect((error as ConnectorHttpError).code).toBe('auth_failed');
  });

  it('starts a stream over when its stored link points at another host', async () => {
    const foreign = {
      v: 1,
      streams: { 'pm@contoso.com/mail/inbox': { link: 'https://evil.example/v1.0/x?$deltatoken=A' } },
      conversations: {},
      pending: {},
    };
    const graph = nock(GRAPH).get(INITIAL).query(true).reply(200, page2);
    await pullAll(testContext(settings), foreign);
    expect(graph.isDone()).toBe(true);
  });
});

describe('outlook pull over calendarView delta', () => {
  it('asks for the window from a week back to calendarWindowDays ahead', async () => {
    let query: Record<string, unknown> = {};
    nock(GRAPH)
      .get('/v1.0/users/pm@contoso.com/calendarView/delta')
      .query((q) => {
        query = q;
        return true;
      })
      .reply(200, {
        value: [],
        '@odata.deltaLink': `${GRAPH}/v1.0/users/pm@contoso.com/calendarView/delta?$deltatoken=C1`,
      });
    const ctx = testContext(
      {
        ...settings,
        mailboxes: [{ user: 'pm@contoso.com', folders: ['inbox'], calendars: true }],
        calendarWindowDays: 30,
      },
      { now: new Date('2024-03-10T15:30:00Z') },
    );
    nock(GRAPH).get(INITIAL).query(true).reply(200, page2);
    const { cursor } = await pullAll(ctx, null);
    expect(query).toEqual({
      startDateTime: '2024-03-03T00:00:00.000Z',
      endDateTime: '2024-04-09T00:00:00.000Z',
    });
    expect(JSON.stringify(cursor)).toContain('deltatoken=C1');
  });
});
