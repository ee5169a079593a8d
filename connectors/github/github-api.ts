import type { Octokit, RestEndpointMethodTypes } from '@octokit/rest';
import { describeHttpError } from '../../src/connectors/kit/index.js';
import { createGitHubClient, type GitHubContext } from './client.js';
import type { GitHubIssue, GitHubPull, TimelineEntry } from './github-types.js';

export type ListedIssue = RestEndpointMethodTypes['issues']['listForRepo']['response']['data'][number];

export interface ListingPage {
  issues: ListedIssue[];
  etag?: string;
  /** rel="next" of the Link header. */
  next?: string;
}

/** The REST calls the connector makes, each through the connection's pacing (`ctx.http.run`). */
export interface GitHubApi {
  octokit: Octokit;
  /** A page of issues and PRs by ascending `updated_at`; `not_modified` when the ETag still holds. */
  listIssues(repo: string, query: ListingQuery): Promise<ListingPage | 'not_modified'>;
  getIssue(repo: string, number: number): Promise<GitHubIssue & { repository_url: string }>;
  getPull(repo: string, number: number): Promise<GitHubPull>;
  listTimeline(repo: string, number: number): Promise<TimelineEntry[]>;
  /** Every issue and PR number in the repository (all states). */
  listNumbers(repo: string): Promise<Set<number>>;
  createComment(repo: string, number: number, body: string): Promise<{ html_url: string }>;
}

export interface ListingQuery {
  since?: string;
  etag?: string;
  perPage: number;
  /** Follow this rel="next" URL instead of building the first page. */
  url?: string;
}

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split('/');
  return { owner, repo: name };
}

export function nextLink(link: string | undefined): string | undefined {
  return link ? /<([^<>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

/**
 * octokit answers a 2xx whose JSON body was cut off (a dropped connection, a proxy giving up) with
 * the text it got, often "", instead of an error: an item would be stored without its timeline.
 * Refused here, inside the pacer, it is retried like the broken connection it is.
 */
function requireJsonBody<T>(response: T): T {
  if (typeof (response as { data?: unknown }).data === 'string')
    throw new Error('GitHub answered 2xx with a truncated or malformed JSON body');
  return response;
}

export function createGitHubApi(ctx: GitHubContext): GitHubApi {
  const octokit = createGitHubClient(ctx);
  const run = <T>(call: () => Promise<T>) => ctx.http.run(async () => requireJsonBody(await call()));

  async function allPages<T>(route: string, params: Record<string, unknown>): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined;
    do {
      const response = await run(() =>
        url ? octokit.request({ method: 'GET', url }) : octokit.request(route, { ...params, per_page: 100 }),
      );
      out.push(...(response.data as T[]));
      url = nextLink(response.headers.link);
    } while (url);
    return out;
  }

  return {
    octokit,
    async listIssues(repo, query) {
      const headers = query.etag ? { 'if-none-match': query.etag } : {};
      try {
        const response = await run(() =>
          query.url
            ? octokit.request({ method: 'GET', url: query.url, headers })
            : octokit.rest.issues.listForRepo({
                ...splitRepo(repo),
                state: 'all',
                sort: 'updated',
                direction: 'asc',
                per_page: query.perPage,
                ...(query.since ? { since: query.since } : {}),
                headers,
              }),
        );
        return {
          issues: response.data as ListedIssue[],
          etag: response.headers.etag,
          next: nextLink(response.headers.link),
        };
      } catch (error) {
        // 304 costs no rate limit and means "nothing changed since the ETag was taken".
        if (describeHttpError(error)?.status === 304) return 'not_modified';
        throw error;
      }
    },
    async getIssue(repo, number) {
      const response = await run(() => octokit.rest.issues.get({ ...splitRepo(repo), issue_number: number }));
      return response.data;
    },
    async getPull(repo, number) {
      const response = await run(() => octokit.rest.pulls.get({ ...splitRepo(repo), pull_number: number }));
      return response.data;
    },
    listTimeline(repo, number) {
      return allPages<TimelineEntry>('GET /repos/{owner}/{repo}/issues/{issue_number}/timeline', {
        ...splitRepo(repo),
        issue_number: number,
      });
    },
    async listNumbers(repo) {
      const issues = await allPages<{ number: number }>('GET /repos/{owner}/{repo}/issues', {
        ...splitRepo(repo),
        state: 'all',
      });
      return new Set(issues.map((issue) => issue.number));
    },
    async createComment(repo, number, body) {
      const response = await run(() =>
        octokit.rest.issues.createComment({ ...splitRepo(repo), issue_number: number, body }),
      );
      return { html_url: response.data.html_url };
    },
  };
}
