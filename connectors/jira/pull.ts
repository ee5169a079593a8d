import {
  type ConnectorContext,
  ConnectorHttpError,
  type Json,
  type PullPage,
} from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { createJiraClient, requestedFields } from './client.js';
import { type JiraConfig, normalizeOptions } from './config.js';
import { type JiraCursor, maxIso, pruneSeen, readCursor, versionKey } from './cursor.js';
import { changedIssuesJql, windowStart } from './jql.js';
import { JiraPayloadError, normalizeIssue } from './normalize.js';
import { reconcile, reconcileDue, tombstones } from './reconcile.js';
import { type SearchRequest, searchPage, usableToken, userTimeZone } from './search.js';

/**
 * Incremental pull: issues in scope updated since the cursor, oldest first. JQL compares `updated`
 * to the minute in the API user's time zone, so each search re-reads a short window before the
 * high-water mark and skips versions (id + updated) it already yielded. A cursor without a usable
 * page token resumes from that window, so any yielded cursor is a safe restart point.
 */
export async function* pullIssues(ctx: ConnectorContext<JiraConfig>, raw: Json): AsyncGenerator<PullPage> {
  const config = ctx.config;
  const client = createJiraClient(config, ctx.log);
  const options = normalizeOptions(config);
  const fields = requestedFields(config);
  const startedAt = ctx.now();
  const cursor = readCursor(raw);
  const zone = await userTimeZone(ctx, client, cursor.zone, startedAt);
  // A pass from nothing lists the whole scope: it doubles as a reconciliation.
  const fromScratch = cursor.since === null && cursor.page === null;
  const known = fromScratch ? await ctx.knownExternalIds() : new Set<string>();
  const listed = known.size > 0 ? new Set<string>() : null;

  let since = cursor.since;
  let seen = new Set(cursor.seen);
  const fresh = (): SearchRequest => ({
    jql: changedIssuesJql(
      config.jql,
      since ? windowStart(since, config.overlapMinutes, zone.id).text : undefined,
    ),
    fields,
    maxResults: config.pageSize,
    changelog: true,
  });
  let request: SearchRequest = usableToken(cursor.page, config.jql, startedAt)
    ? { ...fresh(), jql: cursor.page.jql, token: cursor.page.token }
    : fresh();

  for (;;) {
    let page: Awaited<ReturnType<typeof searchPage>>;
    try {
      page = await searchPage(ctx, client, request);
    } catch (error) {
      // An expired or refused page token: fall back to the updated bound, which covers the same ground.
      if (request.token && error instanceof ConnectorHttpError && error.code === 'bad_request') {
        ctx.log.info(
          { connection: ctx.connection },
          'jira page token refused; searching from the cursor window',
        );
        request = fresh();
        continue;
      }
      throw error;
    }
    const records: SourceRecord[] = [];
    for (const issue of page.issues) {
      listed?.add(String(issue.id));
      const record = normalizeOrSkip(ctx, issue);
      if (!record) continue;
      since = maxIso(since, record.updatedAt);
      const version = versionKey(record.externalId, record.updatedAt);
      if (seen.has(version)) continue;
      seen.add(version);
      records.push(record);
    }
    if (since) seen = new Set(pruneSeen(seen, windowStart(since, config.overlapMinutes, zone.id).atMs));
    const next: JiraCursor = {
      v: 1,
      since,
      seen: [...seen],
      zone,
      page: page.nextPageToken
        ? { jql: request.jql, token: page.nextPageToken, issuedAt: ctx.now().toISOString() }
        : null,
      reconciledAt: cursor.reconciledAt,
    };
    if (page.nextPageToken) {
      if (records.length > 0) yield { records, cursor: next };
      request = { ...request, token: page.nextPageToken };
      continue;
    }
    if (fromScratch) {
      const gone = listed ? [...known].filter((id) => !listed.has(id)) : [];
      yield {
        records: [...records, ...tombstones(gone, ctx.now())],
        cursor: { ...next, reconciledAt: startedAt.toISOString() },
      };
      return;
    }
    yield { records, cursor: next };
    if (reconcileDue(cursor.reconciledAt, startedAt, config.reconcileEveryHours))
      yield* reconcile(ctx, client, next);
    return;
  }

  function normalizeOrSkip(ctx: ConnectorContext<JiraConfig>, issue: Parameters<typeof normalizeIssue>[0]) {
    try {
      return normalizeIssue(issue, options);
    } catch (error) {
      if (!(error instanceof JiraPayloadError)) throw error;
      ctx.log.warn({ connection: ctx.connection, issue: issue.id ?? null }, error.message);
      return null;
    }
  }
}
