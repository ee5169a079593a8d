import { ConnectorHttpError, tombstone } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import type { GitHubContext } from './client.js';
import type { GitHubApi, ListedIssue } from './github-api.js';
import { itemId, normalizeItem, SOURCE } from './normalize.js';
import { trimRaw } from './raw.js';

/**
 * Turns listed issues and PRs into records, fetching what handoffs need: for a PR its details
 * (`/pulls/{n}`: merged, branches, draft, requested reviewers), and for both the timeline
 * (assignments, review requests, reviews, comments, merge/close/reopen, with their ids).
 * Calls queue in the connection's pacing, so a page fans out only as far as it allows.
 */
export function loadRecords(
  api: GitHubApi,
  ctx: GitHubContext,
  repo: string,
  issues: ListedIssue[],
): Promise<SourceRecord[]> {
  return Promise.all(issues.map((issue) => loadRecord(api, ctx, repo, issue)));
}

async function loadRecord(api: GitHubApi, ctx: GitHubContext, repo: string, issue: ListedIssue) {
  try {
    const [pull, timeline] = await Promise.all([
      issue.pull_request ? api.getPull(repo, issue.number) : undefined,
      hasHistory(issue) ? api.listTimeline(repo, issue.number) : [],
    ]);
    return normalizeItem({ repo, issue, pull, timeline, raw: trimRaw({ issue, pull }) });
  } catch (error) {
    // Deleted between the listing and now: it is gone, say so.
    if (error instanceof ConnectorHttpError && error.code === 'not_found') {
      return tombstone(
        SOURCE,
        itemId(repo, issue.number),
        issue.pull_request ? 'pull_request' : 'issue',
        ctx.now(),
      );
    }
    throw error;
  }
}

/**
 * An issue untouched since it was opened (no comment, assignee, close or edit: comments and
 * events bump `updated_at`) has no timeline worth a request. Pull requests always do.
 */
export function hasHistory(issue: ListedIssue): boolean {
  return Boolean(
    issue.pull_request ||
      issue.comments > 0 ||
      (issue.assignees?.length ?? 0) > 0 ||
      issue.state === 'closed' ||
      issue.created_at !== issue.updated_at,
  );
}
