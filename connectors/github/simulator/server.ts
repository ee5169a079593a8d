import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstallationTokens } from './app-auth.js';
import type { SimControls } from './controls.js';
import type { Faults, RateLimit } from './limits.js';
import { type Route, routeRequest } from './routes.js';
import type { WireContext } from './wire-basics.js';

export interface PostedComment {
  repo: string;
  number: number;
  user: string;
  body: string;
  html_url: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
}

export interface SimServerContext {
  w: WireContext;
  limits: RateLimit;
  faults: Faults;
  token: string;
  /** Who a personal token belongs to (comments are posted as this login). */
  tokenLogin: string;
  app?: InstallationTokens;
  controls: SimControls;
  postedComments: PostedComment[];
  requests: RequestLogEntry[];
}

const DOCS = 'https://docs.github.com/rest';

/**
 * One request: faults first (502, secondary limit), then authentication, the primary limit,
 * the route, and conditional GETs (a matching If-None-Match answers 304 and costs nothing).
 */
export async function handle(
  ctx: SimServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
  const method = req.method ?? 'GET';
  const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
    ctx.requests.push({ method, path: `${path}${url.search}`, status });
    send(res, status, body, headers);
  };

  if (ctx.faults.takeServerError()) return reply(502, { message: 'Server Error' });
  const wait = ctx.faults.takeSecondary();
  if (wait !== undefined) {
    return reply(
      403,
      {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: DOCS,
      },
      { 'retry-after': String(wait), ...ctx.limits.headers() },
    );
  }

  const auth = authenticate(ctx, req.headers.authorization, path);
  if (auth === undefined) {
    return reply(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
  }
  if (auth !== 'app' && ctx.limits.exhausted()) {
    return reply(
      403,
      { message: 'API rate limit exceeded for installation.', documentation_url: DOCS },
      ctx.limits.headers(),
    );
  }

  let route: Route;
  try {
    route = await routeRequest(ctx, {
      method,
      path,
      query: url.searchParams,
      login: auth,
      body: await readBody(req),
    });
  } catch (error) {
    return reply(400, {
      message: `Problems parsing JSON: ${(error as Error).message}`,
      documentation_url: DOCS,
    });
  }

  const body = route.body === undefined ? undefined : JSON.stringify(route.body);
  const headers: Record<string, string> = { ...route.headers };
  if (method === 'GET' && route.status === 200 && body !== undefined) {
    headers.etag = `W/"${createHash('sha1').update(body).digest('hex')}"`;
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === headers.etag)) {
      return reply(304, undefined, { ...headers, ...ctx.limits.headers() });
    }
  }
  if (auth !== 'app') ctx.limits.consume();
  return reply(route.status, route.body, { ...headers, ...(auth !== 'app' ? ctx.limits.headers() : {}) });
}

/** The login a token belongs to, `app` for an App JWT, or undefined when refused. */
function authenticate(ctx: SimServerContext, header: string | undefined, path: string): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const credential = match[1];
  if (/^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
    return ctx.app?.verifyJwt(credential) ? 'app' : undefined;
  }
  if (credential === ctx.token) return ctx.tokenLogin;
  if (ctx.app?.valid(credential)) return ctx.app.app.botLogin ?? 'baton[bot]';
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = body === undefined || status === 304 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': randomUUID().toUpperCase(),
    ...headers,
  });
  res.end(text);
}
