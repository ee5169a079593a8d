import type { IncomingMessage } from 'node:http';
import type { IssueChanges } from './sim-changes.js';
import {
  errorReply,
  listParam,
  type Reply,
  readBody,
  renderIssue,
  type SearchParams,
  searchJql,
} from './sim-http.js';
import type { IssueStore } from './sim-store.js';
import type { FailedDelivery } from './sim-webhooks.js';
import { type SimUser, userJson } from './sim-wire.js';

export interface SentComment {
  issueIdOrKey: string;
  issueId: string;
  body: unknown;
}

export interface RouteContext {
  store: IssueStore;
  changes: IssueChanges;
  apiUser: SimUser;
  sentComments: SentComment[];
  failedWebhooks: FailedDelivery[];
  base: string;
  timeZone: string;
  nowMs: number;
}

const ISSUE_ROUTE = /^\/rest\/api\/3\/issue\/([^/]+)(\/comment)?$/;

/** The simulator's REST v3 endpoints, after faults and authentication were checked. */
export async function route(req: IncomingMessage, url: URL, ctx: RouteContext): Promise<Reply> {
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/rest/api/3/myself' && method === 'GET') {
    return {
      status: 200,
      body: { ...userJson(ctx.base, { ...ctx.apiUser, timeZone: ctx.timeZone }), locale: 'en_US' },
    };
  }
  if (path === '/rest/api/3/search/jql' && (method === 'GET' || method === 'POST')) {
    const params = method === 'POST' ? await postedSearch(req) : querySearch(url.searchParams);
    return params
      ? searchJql(ctx.store, params, ctx)
      : errorReply(400, 'The request body is not valid JSON.');
  }
  if (path === '/rest/api/3/webhook/failed' && method === 'GET') return failedPage(url.searchParams, ctx);
  const issueRoute = ISSUE_ROUTE.exec(path);
  if (!issueRoute) return errorReply(404, `No simulator route for ${method} ${path}`);
  const row = ctx.store.find(decodeURIComponent(issueRoute[1]));
  if (!row) return errorReply(404, 'Issue does not exist or you do not have permission to see it.');
  if (!issueRoute[2] && method === 'GET') {
    const fields = listParam(url.searchParams.getAll('fields'));
    const changelog = listParam(url.searchParams.getAll('expand')).includes('changelog');
    return {
      status: 200,
      body: renderIssue(ctx.store, row, fields.length ? fields : ['*all'], changelog, ctx),
    };
  }
  if (issueRoute[2] && method === 'GET') {
    const comments = ctx.store.wire(row, ctx.base, ctx.timeZone).fields.comment?.comments ?? [];
    return {
      status: 200,
      body: { startAt: 0, maxResults: comments.length, total: comments.length, comments },
    };
  }
  if (issueRoute[2] && method === 'POST') {
    const posted = (await readBody(req)) as { body?: unknown } | undefined;
    if (!posted?.body || typeof posted.body !== 'object')
      return errorReply(400, 'Comment body can not be empty!');
    ctx.sentComments.push({
      issueIdOrKey: decodeURIComponent(issueRoute[1]),
      issueId: String(row.id),
      body: posted.body,
    });
    // Through the same path as the `comment` control, so Jira's comment webhooks follow.
    const comment = await ctx.changes.comment(
      row,
      posted.body as Record<string, unknown>,
      ctx.apiUser.accountId,
    );
    return { status: 201, body: comment };
  }
  return errorReply(405, `${method} is not supported on ${path}`);
}

async function postedSearch(req: IncomingMessage): Promise<SearchParams | null> {
  const body = (await readBody(req)) as Record<string, unknown> | undefined;
  if (!body) return null;
  return {
    jql: body.jql as string | undefined,
    nextPageToken: body.nextPageToken as string | undefined,
    maxResults: body.maxResults as number | undefined,
    fields: listParam(body.fields),
    expand: listParam(body.expand),
  };
}

function querySearch(q: URLSearchParams): SearchParams {
  return {
    jql: q.get('jql') ?? undefined,
    nextPageToken: q.get('nextPageToken') ?? undefined,
    maxResults: q.has('maxResults') ? Number(q.get('maxResults')) : undefined,
    fields: listParam(q.getAll('fields')),
    expand: listParam(q.getAll('expand')),
  };
}

/** Failed deliveries after `after` (Jira's docs name it `after`; its `next` links say `failedAfter`). */
function failedPage(params: URLSearchParams, ctx: RouteContext): Reply {
  const after = Number(params.get('after') ?? params.get('failedAfter') ?? 0);
  const max = Math.max(1, Math.min(Number(params.get('maxResults') ?? 100), 100));
  const values = ctx.failedWebhooks.filter((f) => f.failureTime > after).slice(0, max);
  const body: Record<string, unknown> = { values, maxResults: max };
  if (values.length > 0) {
    const last = values[values.length - 1].failureTime;
    body.next = `${ctx.base}/rest/api/3/webhook/failed?failedAfter=${last}&maxResults=${max}`;
  }
  return { status: 200, body };
}
