/**
 * The simulator's data, and the seed format it loads. Seeds use GitHub's own field names (a
 * subset of the REST issue, pull request and timeline objects) so demo scenarios can be data
 * files written like API responses; people are referenced by `{ login }`.
 */

export type ReviewState = 'approved' | 'changes_requested' | 'commented' | 'dismissed';
export type StateReason = 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
export type TimelineEventName =
  | 'assigned'
  | 'unassigned'
  | 'review_requested'
  | 'review_request_removed'
  | 'reviewed'
  | 'commented'
  | 'merged'
  | 'closed'
  | 'reopened';

export interface Login {
  login: string;
}

export interface SeedUser {
  login: string;
  name?: string;
  email?: string;
  type?: 'User' | 'Bot';
}

export interface SeedIssue {
  number: number;
  title: string;
  body?: string | null;
  state?: 'open' | 'closed';
  state_reason?: StateReason;
  user: Login;
  assignees?: Login[];
  labels?: (string | { name: string })[];
  milestone?: { title: string } | null;
  created_at: string;
  updated_at?: string;
  closed_at?: string | null;
}

export interface SeedPull extends SeedIssue {
  head: { ref: string };
  base: { ref: string };
  draft?: boolean;
  merged_at?: string | null;
  merged_by?: Login | null;
  requested_reviewers?: Login[];
  requested_teams?: { slug: string }[];
}

/** A timeline entry as `GET /issues/{n}/timeline` returns it (the fields the simulator keeps). */
export interface SeedTimelineEvent {
  event: TimelineEventName;
  id?: number;
  actor?: Login;
  user?: Login;
  assignee?: Login;
  requested_reviewer?: Login;
  requested_team?: { slug: string };
  created_at?: string;
  submitted_at?: string;
  state?: string;
  body?: string;
  state_reason?: StateReason;
}

export interface SeedRepo {
  full_name: string;
  issues?: SeedIssue[];
  pulls?: SeedPull[];
  /** Timeline entries by issue/PR number. */
  timelines?: Record<string, SeedTimelineEvent[]>;
}

export interface GitHubSeed {
  users?: SeedUser[];
  repos: SeedRepo[];
}

export interface SimEvent {
  id: number;
  event: TimelineEventName;
  actor: string;
  created_at: string;
  assignee?: string;
  requested_reviewer?: string;
  requested_team?: string;
  /** reviewed: the review's state; commented: absent. */
  state?: ReviewState;
  body?: string | null;
  state_reason?: StateReason;
  updated_at?: string;
}

export interface SimPull {
  head: string;
  base: string;
  draft: boolean;
  merged_at: string | null;
  merged_by: string | null;
  requested_reviewers: string[];
  requested_teams: string[];
}

export interface SimIssue {
  repo: string;
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: StateReason;
  user: string;
  assignees: string[];
  labels: string[];
  milestone: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull?: SimPull;
  timeline: SimEvent[];
}

export interface SimRepo {
  id: number;
  full_name: string;
  issues: Map<number, SimIssue>;
  /** Deleted numbers answer 410; transferred ones redirect. */
  deleted: Set<number>;
  transferred: Map<number, { repo: string; number: number }>;
}
