import { historyStart, type Json, type PullPage } from '../../src/connectors/kit/index.js';
import type { GitHubContext } from './client.js';
import { forRepos, type RepoCursor, readCursor, toJson, withRepo } from './cursor.js';
import { createGitHubApi } from './github-api.js';
import { loadRecords } from './items.js';
import { walkListing } from './listing.js';
import { outOfScope, reconcileDue, reconcileRepo } from './reconcile.js';

/**
 * Incremental pull, one repository after the other. Every page is yielded with the cursor that
 * follows it (all repositories' states), so a pull cut anywhere resumes where it stopped.
 */
export async function* pullGitHub(ctx: GitHubContext, from: Json): AsyncGenerator<PullPage> {
  const api = createGitHubApi(ctx);
  const read = readCursor(from);
  if (!read.valid) {
    ctx.log.warn({ connection: ctx.connection }, 'github cursor unreadable: pulling from the start');
  }
  let cursor = forRepos(read.cursor, ctx.config.repos);

  let known: Promise<Set<string>> | undefined;
  const knownIds = () => {
    known ??= ctx.knownExternalIds();
    return known;
  };
  let scopeChecked = false;

  for (const repo of ctx.config.repos) {
    const start = cursor.repos[repo] ?? firstPull(ctx);
    for await (const step of walkListing(api, repo, start, ctx.config.perPage)) {
      const records = await loadRecords(api, ctx, repo, step.issues);
      cursor = withRepo(cursor, repo, step.cursor);
      yield { records, cursor: toJson(cursor) };
    }

    if (reconcileDue(cursor.repos[repo], ctx)) {
      const ids = await knownIds();
      const records = await reconcileRepo(api, ctx, repo, ids);
      if (!scopeChecked) records.push(...outOfScope(ids, ctx));
      scopeChecked = true;
      const state = cursor.repos[repo] ?? { seen: [] };
      cursor = withRepo(cursor, repo, { ...state, reconciledAt: ctx.now().toISOString() });
      yield { records, cursor: toJson(cursor) };
    }
  }
}

/**
 * Where a repository's first pull starts: the whole history, or with `historyDays` the listing's
 * `since` that many days back (second precision, as GitHub writes `updated_at`).
 */
function firstPull(ctx: GitHubContext): RepoCursor {
  const days = ctx.config.historyDays;
  return days === undefined ? { seen: [] } : { since: historyStart(ctx.now(), days), seen: [] };
}
