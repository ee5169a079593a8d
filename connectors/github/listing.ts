import type { RepoCursor } from './cursor.js';
import type { GitHubApi, ListedIssue, ListingQuery } from './github-api.js';

export interface ListingStep {
  /** Issues and PRs not yielded before, in ascending `updated_at`. */
  issues: ListedIssue[];
  /** Resuming from this yields exactly what follows these issues. */
  cursor: RepoCursor;
}

/**
 * Walks one repository's `issues?state=all&sort=updated&direction=asc&since=…` listing.
 *
 * Keyset, not offset: after every page that moves the high-water mark, the next request is the
 * first page of `since = new mark`. Offset pages (rel="next") shift when an already-read item is
 * updated mid-walk, which would silently skip the item that slid back onto a read page; a keyset
 * walk cannot skip. rel="next" is followed only when a page does not move the mark (more than
 * a page of items updated in the same second).
 *
 * The walk ends with the first page of the final `since` read (its items are all seen), so the
 * cursor holds that page's ETag and the next poll of an unchanged repo is one request answered
 * 304. A 304 ends the walk with nothing to yield.
 */
export async function* walkListing(
  api: GitHubApi,
  repo: string,
  start: RepoCursor,
  perPage: number,
): AsyncGenerator<ListingStep> {
  let state = start;
  let query: ListingQuery = { since: state.since, etag: state.etag, perPage };
  for (;;) {
    const page = await api.listIssues(repo, query);
    if (page === 'not_modified') return;

    const seen = new Set(state.seen);
    // `since` is inclusive: drop what was yielded at exactly that second (and anything older,
    // which GitHub never sends, so a misbehaving proxy cannot make us repeat ourselves).
    const since = state.since ?? '';
    const fresh = page.issues.filter(
      (issue) => issue.updated_at > since || (issue.updated_at === since && !seen.has(issue.number)),
    );
    // The ETag belongs to the first page of this exact `since`.
    let next: RepoCursor = query.url === undefined ? { ...state, etag: page.etag } : state;
    if (fresh.length > 0) {
      // ISO-8601 UTC timestamps sort as text.
      const mark = [since, ...fresh.map((issue) => issue.updated_at)].sort().at(-1)!;
      const atMark = fresh.filter((issue) => issue.updated_at === mark).map((issue) => issue.number);
      next =
        mark === state.since
          ? { ...next, seen: [...state.seen, ...atMark] }
          : { ...next, since: mark, seen: atMark, etag: undefined };
    }

    const moved = next.since !== state.since;
    const changed = fresh.length > 0 || next.etag !== state.etag;
    state = next;
    if (changed) yield { issues: fresh, cursor: state };

    if (moved) query = { since: state.since, perPage };
    else if (page.next) query = { since: state.since, perPage, url: page.next };
    else return;
  }
}
