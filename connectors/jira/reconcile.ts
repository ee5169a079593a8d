import { type ConnectorContext, type PullPage, tombstone } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import type { JiraClient } from './client.js';
import type { JiraConfig } from './config.js';
import type { JiraCursor } from './cursor.js';
import { scopeListingJql } from './jql.js';
import { searchPage } from './search.js';

/** Jira returns up to 5,000 issues a page when only ids are asked for. */
const ID_PAGE_SIZE = 5000;
const TOMBSTONES_PER_PAGE = 500;

export function reconcileDue(reconciledAt: string | null, now: Date, everyHours: number): boolean {
  if (everyHours === 0 || reconciledAt === null) return true;
  return now.getTime() - Date.parse(reconciledAt) >= everyHours * 3600_000;
}

/** Every issue id the scope holds now (ids only, so 100k issues is about 20 requests). */
export async function listScopeIds(
  ctx: ConnectorContext<JiraConfig>,
  client: JiraClient,
): Promise<Set<string>> {
  const ids = new Set<string>();
  const jql = scopeListingJql(ctx.config.jql);
  let token: string | undefined;
  do {
    const page = await searchPage(ctx, client, {
      jql,
      token,
      fields: ['id'],
      maxResults: ID_PAGE_SIZE,
      changelog: false,
    });
    for (const issue of page.issues) if (issue.id) ids.add(String(issue.id));
    token = page.nextPageToken ?? undefined;
  } while (token);
  return ids;
}

/**
 * Deletions and moves out of scope leave no trace in an `updated` search: compare what Baton holds
 * with what the scope lists and yield a tombstone for each one gone. Baton's ids are read before
 * the listing, so an issue that arrives meanwhile (by webhook) is never taken for gone. The cursor
 * records the reconciliation only on the last page, so an interrupted one runs again.
 */
export async function* reconcile(
  ctx: ConnectorContext<JiraConfig>,
  client: JiraClient,
  cursor: JiraCursor,
): AsyncGenerator<PullPage> {
  const startedAt = ctx.now().toISOString();
  const known = await ctx.knownExternalIds();
  const present = await listScopeIds(ctx, client);
  const gone = [...known].filter((id) => !present.has(id));
  const done: JiraCursor = { ...cursor, reconciledAt: startedAt };
  if (gone.length === 0) {
    yield { records: [], cursor: done };
    return;
  }
  for (let start = 0; start < gone.length; start += TOMBSTONES_PER_PAGE) {
    const last = start + TOMBSTONES_PER_PAGE >= gone.length;
    yield {
      records: tombstones(gone.slice(start, start + TOMBSTONES_PER_PAGE), ctx.now()),
      cursor: last ? done : cursor,
    };
  }
}

export function tombstones(ids: string[], at: Date): SourceRecord[] {
  return ids.map((id) => tombstone('jira', id, 'issue', at));
}
