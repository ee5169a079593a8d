import type { ConnectorContext } from '../../src/connectors/kit/index.js';
import { type JiraClient, jiraCall } from './client.js';
import type { JiraConfig } from './config.js';
import { PAGE_TOKEN_TTL_MS, TIME_ZONE_TTL_MS } from './cursor.js';
import { FALLBACK_TIME_ZONE, isKnownTimeZone } from './jql.js';
import type { JiraIssue } from './wire.js';

export interface SearchRequest {
  jql: string;
  token?: string;
  fields: string[];
  maxResults: number;
  changelog: boolean;
}

export interface SearchPage {
  issues: JiraIssue[];
  /** Null on the last page. */
  nextPageToken: string | null;
}

/** One page of `POST /rest/api/3/search/jql` (JQL and field lists stay out of the URL). */
export async function searchPage(
  ctx: ConnectorContext<JiraConfig>,
  client: JiraClient,
  request: SearchRequest,
): Promise<SearchPage> {
  const result = await jiraCall(ctx, () =>
    client.cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: request.jql,
      nextPageToken: request.token,
      maxResults: request.maxResults,
      fields: request.fields,
      expand: request.changelog ? 'changelog' : undefined,
    }),
  );
  const token = result.isLast === true ? null : (result.nextPageToken ?? null);
  return { issues: (result.issues ?? []) as JiraIssue[], nextPageToken: token };
}

/** A page token is worth using while it is young and belongs to the same scope. */
export function usableToken(
  page: { jql: string; token: string; issuedAt: string } | null,
  scope: string,
  now: Date,
): page is { jql: string; token: string; issuedAt: string } {
  if (!page) return false;
  return page.jql.startsWith(`(${scope})`) && now.getTime() - Date.parse(page.issuedAt) < PAGE_TOKEN_TTL_MS;
}

/**
 * The querying user's time zone, in which Jira reads JQL date literals. Asked once a day; the
 * call also proves the credentials before anything is read.
 */
export async function userTimeZone(
  ctx: ConnectorContext<JiraConfig>,
  client: JiraClient,
  cached: { id: string; checkedAt: string } | null,
  now: Date,
): Promise<{ id: string; checkedAt: string }> {
  if (cached && now.getTime() - Date.parse(cached.checkedAt) < TIME_ZONE_TTL_MS) return cached;
  const me = await jiraCall(ctx, () => client.cloud.myself.getCurrentUser());
  if (isKnownTimeZone(me.timeZone)) return { id: me.timeZone, checkedAt: now.toISOString() };
  ctx.log.warn(
    { connection: ctx.connection, timeZone: me.timeZone ?? null },
    'Jira gave no usable time zone for the API user; searching with a wider window',
  );
  return { id: FALLBACK_TIME_ZONE, checkedAt: now.toISOString() };
}
