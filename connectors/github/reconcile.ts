import { ConnectorHttpError, tombstone } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import type { GitHubContext } from './client.js';
import type { RepoCursor } from './cursor.js';
import type { GitHubApi } from './github-api.js';
import { parseItemId, SOURCE } from './normalize.js';

/**
 * Deleted and transferred issues vanish from the listing without a trace, and a missed webhook
 * would leave them alive in Baton forever. Every `reconcileEveryHours` the pull lists the
 * repository's numbers and tombstones what Baton knows and GitHub no longer has.
 */
export function reconcileDue(state: RepoCursor | undefined, ctx: GitHubContext): boolean {
  const hours = ctx.config.reconcileEveryHours;
  if (hours === 0 || !state?.reconciledAt) return true;
  return ctx.now().getTime() - Date.parse(state.reconciledAt) >= hours * 3_600_000;
}

export async function reconcileRepo(
  api: GitHubApi,
  ctx: GitHubContext,
  repo: string,
  known: Set<string>,
): Promise<SourceRecord[]> {
  const mine = [...known].flatMap((id) => {
    const parsed = parseItemId(id);
    return parsed && `${parsed.owner}/${parsed.name}` === repo ? [{ id, number: parsed.number }] : [];
  });
  if (mine.length === 0) return [];
  const live = await api.listNumbers(repo);
  const missing = mine.filter((item) => !live.has(item.number));
  // A listing walked by offset can miss an item when another is deleted mid-walk: confirm each.
  const verdicts = await Promise.all(missing.map((item) => isGone(api, repo, item.number)));
  return missing.filter((_, i) => verdicts[i]).map((item) => tombstone(SOURCE, item.id, 'issue', ctx.now()));
}

/** Items of repositories no longer configured are out of scope: gone, as far as Baton is concerned. */
export function outOfScope(known: Set<string>, ctx: GitHubContext): SourceRecord[] {
  const repos = new Set(ctx.config.repos);
  return [...known]
    .filter((id) => {
      const parsed = parseItemId(id);
      return parsed !== undefined && !repos.has(`${parsed.owner}/${parsed.name}`);
    })
    .map((id) => tombstone(SOURCE, id, 'issue', ctx.now()));
}

/** 404/410 means deleted; an answer from another repository means GitHub followed a transfer. */
async function isGone(api: GitHubApi, repo: string, number: number): Promise<boolean> {
  try {
    const issue = await api.getIssue(repo, number);
    return !issue.repository_url.toLowerCase().endsWith(`/repos/${repo.toLowerCase()}`);
  } catch (error) {
    if (error instanceof ConnectorHttpError && error.code === 'not_found') return true;
    throw error;
  }
}
