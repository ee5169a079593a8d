import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectPull } from '../../src/connectors/kit/contract-suite.js';
import {
  ConnectorHttpError,
  createHttpPacer,
  type Json,
  type RateLimitState,
} from '../../src/connectors/kit/index.js';
import { githubConnector } from './index.js';
import { fixture, githubContext } from './test-support.js';

const BASE = 'https://gh.example.test';
const LIST = '/repos/acme/checkout/issues';
const NOW = Date.parse('2024-06-01T12:00:00.500Z');
const listing = (extra: Record<string, string> = {}) => ({
  state: 'all',
  sort: 'updated',
  direction: 'asc',
  per_page: '2',
  ...extra,
});

/** An untouched open issue (no timeline worth fetching), updated at `at`. */
function listed(number: number, at: string) {
  const [issue] = fixture('rest/issues-page.json');
  return { ...issue, number, created_at: at, updated_at: at, assignees: [], assignee: null, comments: 0 };
}

function harness(settings: Record<string, unknown> = {}) {
  const waits: number[] = [];
  const rateLimits: RateLimitState[] = [];
  const ctx = {
    ...githubContext({ perPage: 2, ...settings }),
    // The kit's pacing with a recording sleep: retries happen, nobody waits.
    http: createHttpPacer({ sleep: async (ms) => void waits.push(ms), now: () => NOW, baseDelayMs: 10 }),
    now: () => new Date(NOW),
    reportRateLimit: (state: RateLimitState) => void rateLimits.push(state),
  };
  return { ctx, waits, rateLimits, pull: (cursor: Json) => collectPull(githubConnector, ctx, cursor) };
}

const T1 = '2024-05-20T08:00:01Z';
const T2 = '2024-05-20T08:00:02Z';
const T3 = '2024-05-20T08:00:03Z';
/** A repository read up to T3 and reconciled just now: its next poll is one conditional request. */
const settledCursor = () => ({
  repos: {
    'acme/checkout': { since: T3, seen: [3], etag: 'W/"e3"', reconciledAt: new Date(NOW).toISOString() },
  },
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('pulling through the issues listing', () => {
  it('walks the listing page by page, each page starting at the last one’s high-water mark', async () => {
    const scope = nock(BASE)
      .get(LIST)
      .query(listing())
      .reply(200, [listed(1, T1), listed(2, T2)], {
        link: `<${BASE}/repositories/702145338/issues?page=2>; rel="next"`,
      })
      .get(LIST)
      .query(listing({ since: T2 }))
      .reply(200, [listed(2, T2), listed(3, T3)], {
        link: `<${BASE}/repositories/702145338/issues?page=2>; rel="next"`,
      })
      .get(LIST)
      .query(listing({ since: T3 }))
      .reply(200, [listed(3, T3)], { etag: 'W/"e3"' });
    const { pull } = harness();
    const { records, cursor } = await pull(null);
    expect(records.map((r) => r.externalId)).toEqual([
      'acme/checkout#1',
      'acme/checkout#2',
      'acme/checkout#3',
    ]);
    expect(cursor).toMatchObject({ repos: { 'acme/checkout': { since: T3, seen: [3], etag: 'W/"e3"' } } });
    expect(scope.isDone()).toBe(true);
  });

  it('follows rel="next" when a whole page was updated in the same second', async () => {
    const next = `${BASE}/repositories/702145338/issues?state=all&sort=updated&direction=asc&per_page=2&since=${T1}&page=2`;
    const scope = nock(BASE)
      .get(LIST)
      .query(listing())
      .reply(200, [listed(1, T1), listed(2, T1)], {
        link: `<${BASE}/repositories/702145338/issues?page=2>; rel="next"`,
      })
      .get(LIST)
      .query(listing({ since: T1 }))
      .reply(200, [listed(1, T1), listed(2, T1)], {
        etag: 'W/"t1"',
        link: `<${next}>; rel="next", <${next}>; rel="last"`,
      })
      .get('/repositories/702145338/issues')
      .query(listing({ since: T1, page: '2' }))
      .reply(200, [listed(3, T1)]);
    const { pull } = harness();
    const { records, cursor } = await pull(null);
    expect(records.map((r) => r.externalId)).toEqual([
      'acme/checkout#1',
      'acme/checkout#2',
      'acme/checkout#3',
    ]);
    expect(cursor).toMatchObject({
      repos: { 'acme/checkout': { since: T1, seen: [1, 2, 3], etag: 'W/"t1"' } },
    });
    expect(scope.isDone()).toBe(true);
  });

  it('polls an unchanged repository with one conditional request, answered 304, and keeps the cursor', async () => {
    const cursor = settledCursor();
    const scope = nock(BASE)
      .get(LIST)
      .query(listing({ since: T3 }))
      .matchHeader('if-none-match', 'W/"e3"')
      .reply(304, '', {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': '1717243200',
      });
    const { pull, rateLimits } = harness();
    const result = await pull(cursor);
    expect(result.pages).toEqual([]);
    expect(result.cursor).toEqual(cursor);
    expect(scope.isDone()).toBe(true);
    expect(rateLimits).toEqual([{ limit: 5000, remaining: 4999, resetAt: '2024-06-01T12:00:00.000Z' }]);
  });
});

describe('how far back a first pull reads', () => {
  it('starts the listing historyDays back, to the second, when the repository has no cursor yet', async () => {
    const from = '2024-05-02T12:00:00Z'; // NOW minus 30 days, without milliseconds
    const scope = nock(BASE)
      .get(LIST)
      .query(listing({ since: from }))
      .reply(200, [listed(1, T1)])
      .get(LIST)
      .query(listing({ since: T1 }))
      .reply(200, [listed(1, T1)], { etag: 'W/"t1"' });
    const { pull } = harness({ historyDays: 30 });
    const { records, cursor } = await pull(null);
    expect(records.map((r) => r.externalId)).toEqual(['acme/checkout#1']);
    expect(cursor).toMatchObject({ repos: { 'acme/checkout': { since: T1, seen: [1], etag: 'W/"t1"' } } });
    expect(scope.isDone()).toBe(true);
  });

  it('goes on from the cursor once there is one, whatever historyDays says', async () => {
    const cursor = settledCursor();
    const scope = nock(BASE)
      .get(LIST)
      .query(listing({ since: T3 }))
      .reply(304, '');
    const { pull } = harness({ historyDays: 1 });
    expect((await pull(cursor)).cursor).toEqual(cursor);
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a history that is not a whole number of days', () => {
    for (const historyDays of [0, -5, 1.5, 'a month']) {
      expect(() => githubContext({ historyDays })).toThrow();
    }
  });
});

describe('pacing and failures', () => {
  it('waits for the primary rate limit to reset, then carries on', async () => {
    const reset = Math.floor(NOW / 1000) + 2;
    nock(BASE)
      .get(LIST)
      .query(listing())
      .reply(
        403,
        { message: 'API rate limit exceeded for installation.' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset),
        },
      )
      .get(LIST)
      .query(listing())
      .reply(200, [listed(1, T1)])
      .get(LIST)
      .query(listing({ since: T1 }))
      .reply(200, [listed(1, T1)]);
    const { pull, waits, rateLimits } = harness();
    const { records } = await pull(null);
    expect(records.map((r) => r.externalId)).toEqual(['acme/checkout#1']);
    // Until the reset (1.5 s ahead of the pacer's clock) plus the kit's 250 ms margin.
    expect(waits).toEqual([reset * 1000 - NOW + 250]);
    expect(rateLimits[0]).toMatchObject({ remaining: 0 });
  });

  it('waits as long as a secondary rate limit’s retry-after says', async () => {
    nock(BASE)
      .get(LIST)
      .query(listing())
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '3' })
      .get(LIST)
      .query(listing())
      .reply(200, [listed(1, T1)])
      .get(LIST)
      .query(listing({ since: T1 }))
      .reply(200, [listed(1, T1)]);
    const { pull, waits } = harness();
    const { records } = await pull(null);
    expect(records).toHaveLength(1);
    expect(waits).toEqual([3000]);
  });

  it('retries a 502 and succeeds', async () => {
    nock(BASE)
      .get(LIST)
      .query(listing())
      .reply(502, { message: 'Server Error' })
      .get(LIST)
      .query(listing())
      .reply(200, [listed(1, T1)])
      .get(LIST)
      .query(listing({ since: T1 }))
      .reply(200, [listed(1, T1)]);
    const { pull, waits } = harness();
    const { records } = await pull(null);
    expect(records).toHaveLength(1);
    expect(waits).toHaveLength(1);
  });

  it('stops with auth_failed on bad credentials and yields no cursor', async () => {
    nock(BASE).get(LIST).query(listing()).reply(401, {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    const { ctx } = harness();
    const pages: unknown[] = [];
    const run = async () => {
      for await (const page of githubConnector.pull(ctx, null)) pages.push(page);
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorHttpError);
    expect(error).toMatchObject({ code: 'auth_failed', status: 401 });
    expect(pages).toEqual([]);
  });
});
