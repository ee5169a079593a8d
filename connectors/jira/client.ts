import { type Client, createClient, isApiError, isRateLimitError } from 'jira.js/core';
import type { ConnectorContext, ConnectorLogger } from '../../src/connectors/kit/index.js';
import type { JiraConfig } from './config.js';
import { type JiraEndpoints, jiraEndpoints } from './jira-endpoints.js';

export interface JiraClient {
  /** The typed Cloud platform endpoints Baton calls. */
  cloud: JiraEndpoints;
  /** The same transport, for endpoints jira.js has no method for (`/rest/api/3/webhook/failed`). */
  core: Client;
}

/** Fields every search asks for; `fields` must be listed or the new search returns ids only. */
export const ISSUE_FIELDS = [
  'summary',
  'status',
  'issuetype',
  'project',
  'priority',
  'assignee',
  'reporter',
  'creator',
  'labels',
  'components',
  'fixVersions',
  'resolution',
  'created',
  'updated',
  'duedate',
  'parent',
  'issuelinks',
  'comment',
];

export function requestedFields(config: JiraConfig): string[] {
  const extra = config.approval.approverField ? [config.approval.approverField] : [];
  return [...new Set([...ISSUE_FIELDS, ...extra, ...config.fields])];
}

/**
 * Builds jira.js from the connection settings. Retries inside jira.js stay off (`maxAttempts: 1`,
 * its default, set explicitly): the kit's pacer is the only retry loop, so nothing retries twice.
 */
export function createJiraClient(config: JiraConfig, log?: ConnectorLogger): JiraClient {
  const auth =
    'bearerToken' in config.auth
      ? { type: 'bearer' as const, token: config.auth.bearerToken }
      : { type: 'basic' as const, email: config.auth.email, apiToken: config.auth.apiToken };
  const core = createClient({
    host: config.host,
    auth,
    retry: { maxAttempts: 1 },
    // A response that drifts from jira.js's schema is still used; say so once in our own log.
    onSchemaMismatch: (report) =>
      log?.warn(
        { endpoint: report.endpoint, issues: report.issues.slice(0, 5) },
        'jira response schema drift',
      ),
  });
  return { core, cloud: jiraEndpoints(core) };
}

/** The shape the kit's `describeHttpError` reads: a status and lower-cased headers. */
export class JiraHttpFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly headers: Record<string, string | undefined>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JiraHttpFailure';
  }
}

/**
 * jira.js drops response headers from its errors and keeps only `retryAfterMs` on a 429, so the
 * pacer would not see Retry-After. Re-throw its API errors as status + headers; network errors
 * already carry `code`, which the pacer reads as they are.
 */
export function toHttpFailure(error: unknown): unknown {
  if (isRateLimitError(error)) {
    const headers: Record<string, string | undefined> = {};
    if (error.retryAfterMs !== undefined) headers['retry-after'] = String(error.retryAfterMs / 1000);
    return new JiraHttpFailure(error.message, 429, headers, { cause: error });
  }
  if (isApiError(error)) return new JiraHttpFailure(error.message, error.status, {}, { cause: error });
  return error;
}

/** Every Jira call goes through the connection's pacer, which owns retries and backoff. */
export function jiraCall<T>(ctx: ConnectorContext<JiraConfig>, call: () => Promise<T>): Promise<T> {
  return ctx.http.run(async () => {
    try {
      return await call();
    } catch (error) {
      throw toHttpFailure(error);
    }
  });
}
