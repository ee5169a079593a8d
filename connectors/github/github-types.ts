/**
 * The parts of GitHub's objects the normaliser reads, typed structurally so that both the REST
 * responses (octokit's types) and webhook payloads (@octokit/webhooks-types) fit without copying.
 * Field names are GitHub's own.
 */

export interface GitHubUser {
  login: string;
  id?: number | bigint;
  name?: string | null;
  email?: string | null;
  /** `User`, `Bot` or `Organization`. */
  type?: string;
}

export interface GitHubTeam {
  slug: string;
  name?: string;
}

/** A REST issue-listing entry, a webhook `issue`, or a webhook `pull_request` (which has them all). */
export interface GitHubIssue {
  number: number;
  title: string;
  body?: string | null;
  state?: string;
  state_reason?: string | null;
  user: GitHubUser | null;
  assignees?: GitHubUser[] | null;
  labels?: (string | { name?: string })[];
  milestone?: { title: string } | null;
  html_url: string;
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  /** Present on pull requests only. */
  pull_request?: { merged_at?: string | null };
  draft?: boolean;
}

/** `GET /repos/{o}/{r}/pulls/{n}`, or a webhook `pull_request` object. */
export interface GitHubPull {
  merged?: boolean | null;
  merged_at?: string | null;
  draft?: boolean;
  head: { ref: string };
  base: { ref: string };
  requested_reviewers?: (GitHubUser | GitHubTeam)[] | null;
  requested_teams?: GitHubTeam[] | null;
}

/** One entry of `GET /repos/{o}/{r}/issues/{n}/timeline` (events, comments, reviews). */
export interface TimelineEntry {
  event?: string;
  id?: number | bigint;
  actor?: GitHubUser | null;
  user?: GitHubUser | null;
  assignee?: GitHubUser | null;
  review_requester?: GitHubUser | null;
  requested_reviewer?: GitHubUser | null;
  requested_team?: GitHubTeam | null;
  created_at?: string;
  submitted_at?: string | null;
  state?: string;
  body?: string | null;
  state_reason?: string | null;
  /** `line-commented` entries group review comments. */
  comments?: { id: number | bigint; user?: GitHubUser | null; created_at: string; body?: string }[];
}

export function isUser(entry: GitHubUser | GitHubTeam): entry is GitHubUser {
  return 'login' in entry;
}
