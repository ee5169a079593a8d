import type { Octokit } from '@octokit/rest';
import { type ConnectorContext, onFirstUse, type RateLimitState } from '../../src/connectors/kit/index.js';
import type { GitHubConfig } from './config.js';
import { installationTokenCache } from './installation-tokens.js';

export type GitHubContext = ConnectorContext<GitHubConfig>;

const octokitRest = onFirstUse<typeof import('@octokit/rest')>(import.meta.url, '@octokit/rest');
const octokitAppAuth = onFirstUse<typeof import('@octokit/auth-app')>(import.meta.url, '@octokit/auth-app');

/**
 * The official client, pointed at `config.baseUrl`. @octokit/rest 22 ships no retry or throttling
 * plugin, so every retry goes through `ctx.http.run` (the kit's pacing honours retry-after and
 * x-ratelimit-reset). The one retry octokit still does on its own: @octokit/auth-app repeats a
 * 401 within 5 s of minting an installation token (GitHub's token replication delay).
 */
export function createGitHubClient(ctx: GitHubContext): Octokit {
  const { config } = ctx;
  const { Octokit } = octokitRest();
  const common = {
    baseUrl: config.baseUrl,
    userAgent: 'baton-github-connector',
    log: octokitLog(ctx),
    request: { signal: ctx.signal },
  };
  const octokit = config.app
    ? new Octokit({
        ...common,
        authStrategy: octokitAppAuth().createAppAuth,
        auth: {
          appId: config.app.appId,
          privateKey: config.app.privateKey,
          installationId: config.app.installationId,
          cache: installationTokenCache(`${config.baseUrl}|${config.app.appId}|${config.app.installationId}`),
        },
      })
    : new Octokit({ ...common, auth: config.token });

  // Every answer, 304s and errors included, carries the rate-limit headers the health page shows.
  octokit.hook.after('request', (response) => reportRateLimit(ctx, response.headers));
  octokit.hook.error('request', (error) => {
    reportRateLimit(ctx, (error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
    throw error;
  });
  return octokit;
}

export function rateLimitFrom(headers: Record<string, unknown> | undefined): RateLimitState | undefined {
  if (!headers || headers['x-ratelimit-remaining'] === undefined) return undefined;
  const number = (name: string) => {
    const value = Number(headers[name]);
    return Number.isFinite(value) ? value : undefined;
  };
  const reset = number('x-ratelimit-reset');
  return {
    limit: number('x-ratelimit-limit'),
    remaining: number('x-ratelimit-remaining'),
    resetAt: reset === undefined ? undefined : new Date(reset * 1000).toISOString(),
  };
}

function reportRateLimit(ctx: GitHubContext, headers: Record<string, unknown> | undefined): void {
  const state = rateLimitFrom(headers);
  if (state) ctx.reportRateLimit(state);
}

/**
 * octokit's request-log plugin logs every call at info and every 304 at error, and its debug line
 * carries the request options: keep the one-liners at debug, drop the options, pass warnings on.
 */
function octokitLog(ctx: GitHubContext) {
  return {
    debug: () => {},
    info: (message: string) => ctx.log.debug({ connection: ctx.connection }, message),
    warn: (message: string) => ctx.log.warn({ connection: ctx.connection }, message),
    error: (message: string) => ctx.log.debug({ connection: ctx.connection }, message),
  };
}
