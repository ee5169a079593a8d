import { paginate, selectIssues } from './listing.js';
import type { SimIssue, SimRepo } from './model.js';
import type { SimServerContext } from './server.js';
import { wireTimelineEntry } from './wire-activity.js';
import { wireIssue, wirePull } from './wire-items.js';

export interface Route {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Who the credentials belong to (`app` for an App JWT). */
  login: string;
  body: unknown;
}

const DOCS = 'https://docs.github.com/rest';
const REPO = String.raw`(?:repos/([^/]+/[^/]+)|repositories/(\d+))`;
const LIST = new RegExp(`^/${REPO}/issues$`);
const ISSUE = new RegExp(`^/${REPO}/issues/(\\d+)$`);
const TIMELINE = new RegExp(`^/${REPO}/issues/(\\d+)/timeline$`);
const PULL = new RegExp(`^/${REPO}/pulls/(\\d+)$`);
const COMMENTS = new RegExp(`^/${REPO}/issues/(\\d+)/comments$`);
const ACCESS_TOKENS = /^\/app\/installations\/(\d+)\/access_tokens$/;

const notFound: Route = {
  status: 404,
  body: { message: 'Not Found', documentation_url: DOCS, status: '404' },
};

type Handler = (ctx: SimServerContext, r: RouteRequest, m: RegExpExecArray) => Route | Promise<Route>;

/** The endpoints the connector uses, answering in GitHub's wire format. */
const ROUTES: [method: string, path: RegExp, handler: Handler][] = [
  ['POST', ACCESS_TOKENS, accessToken],
  ['GET', LIST, listIssues],
  ['GET', ISSUE, (ctx, _, m) => withItem(ctx, m, (item) => ({ status: 200, body: wireIssue(ctx.w, item) }))],
  ['GET', TIMELINE, timeline],
  [
    'GET',
    PULL,
    (ctx, _, m) =>
      withItem(ctx, m, (item) => (item.pull ? { status: 200, body: wirePull(ctx.w, item) } : notFound)),
  ],
  ['POST', COMMENTS, postComment],
];

export function routeRequest(ctx: SimServerContext, r: RouteRequest): Route | Promise<Route> {
  for (const [method, path, handler] of ROUTES) {
    const m = method === r.method ? path.exec(r.path) : null;
    if (m) return handler(ctx, r, m);
  }
  return notFound;
}

function accessToken(ctx: SimServerContext, _: RouteRequest, m: RegExpExecArray): Route {
  if (!ctx.app || Number(m[1]) !== ctx.app.app.installationId) return notFound;
  const permissions = { issues: 'write', pull_requests: 'read', metadata: 'read' };
  return { status: 201, body: { ...ctx.app.issue(), permissions, repository_selection: 'selected' } };
}

function listIssues(ctx: SimServerContext, r: RouteRequest, m: RegExpExecArray): Route {
  const repo = findRepo(ctx, m);
  if (!repo) return notFound;
  const page = paginate(
    selectIssues(repo, r.query),
    r.query,
    `${ctx.w.apiBase}/repositories/${repo.id}/issues`,
  );
  return {
    status: 200,
    body: page.items.map((item) => wireIssue(ctx.w, item)),
    headers: linkHeader(page.link),
  };
}

function timeline(ctx: SimServerContext, r: RouteRequest, m: RegExpExecArray): Promise<Route> {
  return withItem(ctx, m, (item, repo) => {
    const base = `${ctx.w.apiBase}/repositories/${repo.id}/issues/${item.number}/timeline`;
    const page = paginate(item.timeline, r.query, base);
    return {
      status: 200,
      body: page.items.map((event) => wireTimelineEntry(ctx.w, item, event)),
      headers: linkHeader(page.link),
    };
  });
}

/** Alerts arrive here: the comment goes through the same control (and webhook) as any other. */
function postComment(ctx: SimServerContext, r: RouteRequest, m: RegExpExecArray): Route | Promise<Route> {
  const text = (r.body as { body?: unknown } | undefined)?.body;
  if (typeof text !== 'string' || text.length === 0) {
    return {
      status: 422,
      body: { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: DOCS },
    };
  }
  return withItem(ctx, m, async (item) => {
    const comment = await ctx.controls.comment(item.repo, item.number, { user: r.login, body: text });
    ctx.postedComments.push({
      repo: item.repo,
      number: item.number,
      user: r.login,
      body: text,
      html_url: comment.html_url,
    });
    return { status: 201, body: comment, headers: { location: comment.url } };
  });
}

function findRepo(ctx: SimServerContext, m: RegExpExecArray): SimRepo | undefined {
  return m[1] ? ctx.w.store.findRepo(m[1]) : ctx.w.store.findRepoById(Number(m[2]));
}

/** Deleted issues answer 410 Gone, transferred ones 301 to their new home, as on GitHub. */
async function withItem(
  ctx: SimServerContext,
  m: RegExpExecArray,
  answer: (item: SimIssue, repo: SimRepo) => Route | Promise<Route>,
): Promise<Route> {
  const repo = findRepo(ctx, m);
  const number = Number(m[3]);
  if (!repo) return notFound;
  const item = repo.issues.get(number);
  if (item) return answer(item, repo);
  if (repo.deleted.has(number)) {
    return {
      status: 410,
      body: { message: 'This issue was deleted', documentation_url: DOCS, status: '410' },
    };
  }
  const moved = repo.transferred.get(number);
  if (moved) {
    const location = `${ctx.w.apiBase}/repos/${moved.repo}/issues/${moved.number}`;
    return {
      status: 301,
      body: { message: 'Moved Permanently', url: location, documentation_url: DOCS },
      headers: { location },
    };
  }
  return notFound;
}

function linkHeader(link: string | undefined): Record<string, string> {
  return link ? { link } : {};
}
