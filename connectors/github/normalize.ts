import type { Activity, Identity, SourceRecord } from '../../src/domain/source-record.js';
import { identity, teamIdentity, timelineActivity } from './activity.js';
import { type GitHubIssue, type GitHubPull, isUser, type TimelineEntry } from './github-types.js';

export const SOURCE = 'github';

/** What one GitHub issue or pull request is known as, from a poll or from a webhook. */
export interface GitHubItem {
  /** `owner/name` as configured. */
  repo: string;
  issue: GitHubIssue;
  /** Pull request details: `GET /pulls/{n}`, or the webhook's `pull_request` object. */
  pull?: GitHubPull;
  timeline?: TimelineEntry[];
  /** Activity a webhook delivery implies (the timeline is not fetched for deliveries). */
  activity?: Activity[];
  /** The payload the record is made from, kept (trimmed) for audit. */
  raw?: unknown;
}

/** `acme/checkout#12`: the external id and the key people type. */
export function itemId(repo: string, number: number): string {
  return `${repo}#${number}`;
}

/** The inverse of itemId; undefined for ids that are not this connector's. */
export function parseItemId(externalId: string): { owner: string; name: string; number: number } | undefined {
  const match = /^([^/#\s]+)\/([^/#\s]+)#(\d+)$/.exec(externalId);
  return match ? { owner: match[1], name: match[2], number: Number(match[3]) } : undefined;
}

/** GitHub spells names as the owner does; baton.yaml may not. The configured spelling wins. */
export function configuredRepo(fullName: string, repos: string[]): string | undefined {
  return repos.find((repo) => repo.toLowerCase() === fullName.toLowerCase());
}

const JIRA_KEY = /\b[A-Z][A-Z0-9]+-\d+\b/g;

export function jiraKeys(...texts: (string | null | undefined)[]): string[] {
  const keys = texts.flatMap((text) => text?.match(JIRA_KEY) ?? []);
  return [...new Set(keys)];
}

export function stateOf(issue: GitHubIssue, pull?: GitHubPull): SourceRecord['state'] {
  if (issue.pull_request || pull) {
    const merged = pull?.merged ?? Boolean(pull?.merged_at ?? issue.pull_request?.merged_at);
    if (merged) return { raw: 'merged', category: 'done' };
    if (issue.state === 'closed') return { raw: 'closed', category: 'cancelled' };
    return { raw: (pull?.draft ?? issue.draft) ? 'draft' : 'open', category: 'in_progress' };
  }
  if (issue.state === 'closed') {
    const dropped = issue.state_reason === 'not_planned' || issue.state_reason === 'duplicate';
    return { raw: 'closed', category: dropped ? 'cancelled' : 'done' };
  }
  return { raw: 'open', category: issue.assignees?.length ? 'in_progress' : 'todo' };
}

export function normalizeItem(item: GitHubItem): SourceRecord {
  const { repo, issue, pull } = item;
  const isPull = Boolean(issue.pull_request || pull);
  const activity = mergeActivity([...timelineActivity(item.timeline ?? []), ...(item.activity ?? [])]);
  const merged = pull ? Boolean(pull.merged ?? pull.merged_at) : Boolean(issue.pull_request?.merged_at);
  const fields: Record<string, unknown> = {
    repo,
    number: issue.number,
    ...(isPull ? { draft: Boolean(pull?.draft ?? issue.draft), merged } : {}),
    ...(pull ? { headRef: pull.head.ref, baseRef: pull.base.ref } : {}),
    ...(issue.milestone ? { milestone: issue.milestone.title } : {}),
    ...(issue.state_reason ? { stateReason: issue.state_reason } : {}),
  };
  return {
    source: SOURCE,
    externalId: itemId(repo, issue.number),
    key: itemId(repo, issue.number),
    url: issue.html_url,
    kind: isPull ? 'pull_request' : 'issue',
    title: issue.title,
    state: stateOf(issue, pull),
    author: identity(issue.user),
    assignees: uniqueIdentities((issue.assignees ?? []).map(identity)),
    reviewers: isPull ? reviewersOf(pull, activity) : [],
    labels: (issue.labels ?? []).flatMap((label) => {
      const name = typeof label === 'string' ? label : label.name;
      return name ? [name] : [];
    }),
    container: repo,
    references: jiraKeys(issue.title, issue.body, pull?.head.ref),
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    deleted: false,
    fields,
    activity,
    ...(item.raw === undefined ? {} : { raw: item.raw }),
  };
}

/** Requested reviewers (people and teams) and everyone who has reviewed. */
function reviewersOf(pull: GitHubPull | undefined, activity: Activity[]): Identity[] {
  const requested = (pull?.requested_reviewers ?? []).map((r) => (isUser(r) ? identity(r) : teamIdentity(r)));
  const teams = (pull?.requested_teams ?? []).map(teamIdentity);
  const reviewed = activity.filter((a) => a.kind === 'reviewed').map((a) => a.actor);
  return uniqueIdentities([...requested, ...teams, ...reviewed]);
}

function uniqueIdentities(list: (Identity | undefined)[]): Identity[] {
  const byId = new Map<string, Identity>();
  for (const entry of list) if (entry && !byId.has(entry.id)) byId.set(entry.id, entry);
  return [...byId.values()];
}

/** One entry per id, in time order (a webhook may repeat what the timeline already holds). */
function mergeActivity(list: Activity[]): Activity[] {
  const byId = new Map<string, Activity>();
  for (const entry of list) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => a.at.localeCompare(b.at));
}
