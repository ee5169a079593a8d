import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  ConnectorHttpError,
  createHttpPacer,
  type Json,
  type PullPage,
} from '../../src/connectors/kit/index.js';
import { type JiraConfig, JiraConfig as JiraConfigSchema } from './config.js';
import { EMPTY_CURSOR, type JiraCursor } from './cursor.js';
import { pullIssues } from './pull.js';
import type { JiraIssue } from './wire.js';

const HOST = 'https://acme.atlassian.net';
const SCOPE = 'project in (CHK, OPS)';
const NOW = new Date('2024-06-08T10:05:00.000Z');
const page = JSON.parse(
  readFileSync(new URL('./fixtures/search-approval-page.json', import.meta.url), 'utf8'),
);

/** A real-shaped issue (the OPS-7 fixture) under another id and `updated`. */
function issue(id: string, updated: string): JiraIssue {
  const copy = structuredClone(page.issues[1]) as JiraIssue & { self: string };
  copy.id = id;
  copy.key = `OPS-${id}`;
  copy.self = `${HOST}/rest/api/3/issue/${id}`;
  copy.fields!.updated = updated;
  return copy;
}

function context(settings: Partial<Record<string, unknown>> = {}, known: string[] = []) {
  const waits: number[] = [];
  const config: JiraConfig = JiraConfigSchema.parse({
    host: HOST,
    auth: { email: 'baton@acme.example', apiToken: 'token-123' },
    jql: SCOPE,
    reconcileEveryHours: 24,
    ...settings,
  });
  const ctx: ConnectorContext<JiraConfig> = {
    connection: 'jira-test',
    config,
    http: createHttpPacer({ baseDelayMs: 1, sleep: async (ms) => void waits.push(ms) }),
    log: { info() {}, warn() {}, error() {}, debug() {} },
    now: () => NOW,
    publicUrl: 'https://baton.example.com',
    reportRateLimit() {},
    knownExternalIds: async () => new Set(known),
  };
  return { ctx, waits };
}

async function collect(ctx: ConnectorContext<JiraConfig>, cursor: Json) {
  const pages: PullPage[] = [];
  for await (const p of pullIssues(ctx, cursor)) pages.push(p);
  return {
    pages,
    records: pages.flatMap((p) => p.records),
    cursor: (pages.at(-1)?.cursor ?? cursor) as JiraCursor,
  };
}

/** Answers searches from a queue and keeps the request bodies, so tests can assert the exact JQL. */
function searches(...replies: ([number, unknown] | [number, unknown, Record<string, string>])[]) {
  const bodies: Record<string, unknown>[] = [];
  const scope = nock(HOST);
  for (const reply of replies) {
    // nock 15 hands a one-argument reply function the Fetch Request.
    scope.post('/rest/api/3/search/jql').reply(async (request: Request) => {
      bodies.push((await request.json()) as Record<string, unknown>);
      return reply;
    });
  }
  return bodies;
}

const myself = (timeZone: string) =>
  nock(HOST)
    .get('/rest/api/3/myself')
    .reply(200, { accountId: '712020:api', displayName: 'Baton', timeZone });

/** A cursor as an earlier pull would have left it. */
function cursorAt(since: string, seen: string[] = [], extra: Partial<JiraCursor> = {}): JiraCursor {
  return {
    ...EMPTY_CURSOR,
    since,
    seen,
    zone: { id: 'UTC', checkedAt: NOW.toISOString() },
    reconciledAt: NOW.toISOString(),
    ...extra,
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('pulling Jira issues', () => {
  it('reads the whole scope on the first pull, following nextPageToken, with fields and changelog asked for', async () => {
    myself('UTC');
    const bodies = searches(
      [200, { issues: [issue('1', '2024-06-01T10:00:00.000+0000')], nextPageToken: 'tok-2', isLast: false }],
      [200, { issues: [issue('2', '2024-06-02T10:00:00.000+0000')], isLast: true }],
    );
    const { ctx } = context();
    const { pages, records, cursor } = await collect(ctx, null);

    expect(records.map((r) => r.externalId)).toEqual(['1', '2']);
    expect(pages).toHaveLength(2);
    expect(bodies[0]).toEqual({
      jql: `(${SCOPE}) ORDER BY updated ASC, key ASC`,
      maxResults: 100,
      fields: expect.arrayContaining(['summary', 'status', 'assignee', 'updated', 'comment', 'issuelinks']),
      expand: 'changelog',
    });
    expect(bodies[1]).toMatchObject({ jql: bodies[0].jql, nextPageToken: 'tok-2' });
    // The first page's cursor can continue with the token; the last one has none left.
    expect((pages[0].cursor as JiraCursor).page).toMatchObject({ token: 'tok-2', jql: bodies[0].jql });
    expect(cursor).toMatchObject({ since: '2024-06-02T10:00:00.000Z', page: null, zone: { id: 'UTC' } });
    expect(cursor.reconciledAt).toBe(NOW.toISOString());
  });

  it('yields each version of an issue updated twice in one minute once, and nothing more after', async () => {
    const { ctx } = context();
    const v1 = issue('7', '2024-06-08T10:00:10.000+0000');
    const v2 = issue('7', '2024-06-08T10:00:50.000+0000');
    const other = issue('8', '2024-06-08T10:00:30.000+0000');
    const start = cursorAt('2024-06-08T09:59:00.000Z');

    searches([200, { issues: [v1], isLast: true }]);
    const first = await collect(ctx, start);
    expect(first.records.map((r) => `${r.externalId}@${r.updatedAt}`)).toEqual([
      '7@2024-06-08T10:00:10.000Z',
    ]);

    // Jira only knows minutes: the next search re-reads the minute and returns 8 and 7's newer version.
    const bodies = searches(
      [200, { issues: [other, v2], isLast: true }],
      [200, { issues: [other, v2], isLast: true }],
    );
    const second = await collect(ctx, first.cursor);
    expect(second.records.map((r) => `${r.externalId}@${r.updatedAt}`)).toEqual([
      '8@2024-06-08T10:00:30.000Z',
      '7@2024-06-08T10:00:50.000Z',
    ]);
    const third = await collect(ctx, second.cursor);
    expect(third.records).toEqual([]);
    expect(bodies.map((b) => b.jql)).toEqual([
      `(${SCOPE}) AND updated >= "2024/06/08 09:58" ORDER BY updated ASC, key ASC`,
      `(${SCOPE}) AND updated >= "2024/06/08 09:58" ORDER BY updated ASC, key ASC`,
    ]);
  });

  it.each([
    ['America/Los_Angeles', '2024/06/08 03:03'],
    ['Asia/Kolkata', '2024/06/08 15:33'],
    ['Australia/Sydney', '2024/06/08 20:03'],
  ])('writes the updated bound in the API user’s time zone (%s)', async (timeZone, local) => {
    myself(timeZone);
    const bodies = searches([200, { issues: [], isLast: true }]);
    const { ctx } = context();
    const { cursor } = await collect(ctx, cursorAt('2024-06-08T10:05:30.000Z', [], { zone: null }));
    expect(bodies[0].jql).toBe(`(${SCOPE}) AND updated >= "${local}" ORDER BY updated ASC, key ASC`);
    expect(cursor.zone).toEqual({ id: timeZone, checkedAt: NOW.toISOString() });
  });

  it('searches with a wider window, written in UTC-12, when Jira gives no time zone for the API user', async () => {
    nock(HOST).get('/rest/api/3/myself').reply(200, { accountId: '712020:api', displayName: 'Baton' });
    const bodies = searches([200, { issues: [], isLast: true }]);
    const { ctx } = context();
    const { cursor } = await collect(ctx, cursorAt('2024-06-08T10:05:30.000Z', [], { zone: null }));
    expect(bodies[0].jql).toBe(`(${SCOPE}) AND updated >= "2024/06/07 22:03" ORDER BY updated ASC, key ASC`);
    expect(cursor.zone?.id).toBe('Etc/GMT+12');
  });

  it('waits as long as Retry-After says on a 429, then goes on (one retry loop: the kit’s)', async () => {
    const { ctx, waits } = context();
    searches(
      [429, { errorMessages: ['Rate limit exceeded.'] }, { 'Retry-After': '3' }],
      [200, { issues: [issue('9', '2024-06-08T10:01:00.000+0000')], isLast: true }],
    );
    const { records } = await collect(ctx, cursorAt('2024-06-08T10:00:00.000Z'));
    expect(records.map((r) => r.externalId)).toEqual(['9']);
    expect(waits).toEqual([3000]);
  });

  it('refuses bad credentials with auth_failed and yields no cursor', async () => {
    nock(HOST).get('/rest/api/3/myself').reply(401, 'Client must be authenticated to access this resource.', {
      'content-type': 'text/plain',
    });
    const { ctx } = context();
    const pages: PullPage[] = [];
    const error = await (async () => {
      for await (const p of pullIssues(ctx, null)) pages.push(p);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorHttpError);
    expect((error as ConnectorHttpError).code).toBe('auth_failed');
    expect(pages).toEqual([]);
  });

  it('continues an interrupted pass with its page token, and falls back to the updated bound when Jira refuses it', async () => {
    const { ctx } = context();
    const jql = `(${SCOPE}) AND updated >= "2024/06/08 09:58" ORDER BY updated ASC, key ASC`;
    const interrupted = cursorAt('2024-06-08T10:00:00.000Z', ['5@2024-06-08T10:00:00.000Z'], {
      page: { jql, token: 'tok-old', issuedAt: NOW.toISOString() },
    });
    const bodies = searches(
      [400, { errorMessages: ['The provided next page token is invalid or expired.'] }],
      [
        200,
        {
          issues: [issue('5', '2024-06-08T10:00:00.000+0000'), issue('6', '2024-06-08T10:02:00.000+0000')],
          isLast: true,
        },
      ],
    );
    const { records } = await collect(ctx, interrupted);
    expect(bodies[0]).toMatchObject({ jql, nextPageToken: 'tok-old' });
    expect(bodies[1].nextPageToken).toBeUndefined();
    expect(records.map((r) => r.externalId)).toEqual(['6']);
  });

  it('does not trust a page token older than its 7-day life', async () => {
    const { ctx } = context();
    const jql = `(${SCOPE}) AND updated >= "2024/05/31 09:58" ORDER BY updated ASC, key ASC`;
    const stale = cursorAt('2024-06-08T10:00:00.000Z', [], {
      page: { jql, token: 'tok-stale', issuedAt: '2024-06-01T10:00:00.000Z' },
    });
    const bodies = searches([200, { issues: [], isLast: true }]);
    await collect(ctx, stale);
    expect(bodies[0].nextPageToken).toBeUndefined();
    expect(bodies[0].jql).toBe(`(${SCOPE}) AND updated >= "2024/06/08 09:58" ORDER BY updated ASC, key ASC`);
  });
});

describe('reconciling deletions', () => {
  it('lists the scope by id when a reconciliation is due and tombstones known issues no longer there', async () => {
    const { ctx } = context({}, ['10042', '10107', '10999']);
    const bodies = searches(
      [200, { issues: [], isLast: true }],
      [200, { issues: [{ id: '10042' }], nextPageToken: 'ids-2', isLast: false }],
      [200, { issues: [{ id: '10107' }], isLast: true }],
    );
    const due = cursorAt('2024-06-08T10:00:00.000Z', [], { reconciledAt: '2024-06-07T09:00:00.000Z' });
    const { records, cursor } = await collect(ctx, due);
    expect(bodies[1]).toEqual({ jql: `(${SCOPE}) ORDER BY key ASC`, fields: ['id'], maxResults: 5000 });
    expect(bodies[2]).toMatchObject({ nextPageToken: 'ids-2' });
    expect(records).toMatchObject([{ externalId: '10999', deleted: true, updatedAt: NOW.toISOString() }]);
    expect(cursor.reconciledAt).toBe(NOW.toISOString());
  });

  it('does not list the scope again before reconcileEveryHours have passed', async () => {
    const { ctx } = context({}, ['10999']);
    searches([200, { issues: [], isLast: true }]);
    const recent = cursorAt('2024-06-08T10:00:00.000Z', [], { reconciledAt: '2024-06-08T01:00:00.000Z' });
    const { records, cursor } = await collect(ctx, recent);
    expect(records).toEqual([]);
    expect(cursor.reconciledAt).toBe('2024-06-08T01:00:00.000Z');
  });

  it('tombstones known issues missing from a complete first pass without listing again', async () => {
    myself('UTC');
    searches([200, { issues: [issue('1', '2024-06-01T10:00:00.000+0000')], isLast: true }]);
    const { ctx } = context({}, ['1', '2']);
    const { records } = await collect(ctx, null);
    expect(records.map((r) => [r.externalId, r.deleted])).toEqual([
      ['1', false],
      ['2', true],
    ]);
  });
});
