import { z } from 'zod';
import type { Json } from '../../src/connectors/kit/index.js';

/**
 * Where a repository's pull stands. GitHub's `since` is inclusive at second precision, so the
 * high-water mark comes with the numbers already yielded at exactly that second: the next
 * listing starts at `since` and drops those, and nothing with an equal `updated_at` is skipped.
 */
const RepoCursor = z.object({
  /** Highest `updated_at` yielded. */
  since: z.string().optional(),
  /** Numbers yielded with `updated_at === since`. */
  seen: z.array(z.number().int()).default([]),
  /** ETag of the first listing page for exactly this `since`: an unchanged repo answers 304. */
  etag: z.string().optional(),
  /** When the deletion reconciliation pass last completed. */
  reconciledAt: z.string().optional(),
});
export type RepoCursor = z.infer<typeof RepoCursor>;

const GitHubCursor = z.object({ repos: z.record(z.string(), RepoCursor) });
export type GitHubCursor = z.infer<typeof GitHubCursor>;

/** A cursor from an older version or a hand-edited row starts the repo over rather than failing. */
export function readCursor(json: Json): { cursor: GitHubCursor; valid: boolean } {
  if (json === null) return { cursor: { repos: {} }, valid: true };
  const parsed = GitHubCursor.safeParse(json);
  return parsed.success ? { cursor: parsed.data, valid: true } : { cursor: { repos: {} }, valid: false };
}

export function withRepo(cursor: GitHubCursor, repo: string, state: RepoCursor): GitHubCursor {
  return { repos: { ...cursor.repos, [repo]: state } };
}

/** Keeps only configured repositories (a repo removed from baton.yaml drops its state). */
export function forRepos(cursor: GitHubCursor, repos: string[]): GitHubCursor {
  return { repos: Object.fromEntries(repos.flatMap((r) => (cursor.repos[r] ? [[r, cursor.repos[r]]] : []))) };
}

export function toJson(cursor: GitHubCursor): Json {
  return JSON.parse(JSON.stringify(cursor)) as Json;
}
