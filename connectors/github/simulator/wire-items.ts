import type { Issue, PullRequest } from '@octokit/webhooks-types';
import type { SimIssue } from './model.js';
import {
  digest,
  nodeId,
  type WireContext,
  wireLabel,
  wireMilestone,
  wireReactions,
  wireTeam,
  wireUser,
} from './wire-basics.js';
import { wireRepository } from './wire-repository.js';

export function itemUrls(w: WireContext, item: SimIssue) {
  const repoApi = `${w.apiBase}/repos/${item.repo}`;
  const html = `${w.htmlBase}/${item.repo}/${item.pull ? 'pull' : 'issues'}/${item.number}`;
  return {
    repoApi,
    issueApi: `${repoApi}/issues/${item.number}`,
    pullApi: `${repoApi}/pulls/${item.number}`,
    html,
  };
}

/** A pull request's own id differs from its issue id on GitHub. */
const pullId = (item: SimIssue) => item.id + 700_000_000;
export const commentCount = (item: SimIssue) => item.timeline.filter((e) => e.event === 'commented').length;

/** The issue object of `GET /repos/{o}/{r}/issues` and of `issues` / `issue_comment` webhooks. */
export function wireIssue(w: WireContext, item: SimIssue): Issue {
  const repo = w.store.repo(item.repo);
  const { issueApi, pullApi, repoApi, html } = itemUrls(w, item);
  return {
    url: issueApi,
    repository_url: repoApi,
    labels_url: `${issueApi}/labels{/name}`,
    comments_url: `${issueApi}/comments`,
    events_url: `${issueApi}/events`,
    html_url: html,
    id: item.id,
    node_id: nodeId('05:Issue', item.id),
    number: item.number,
    title: item.title,
    user: wireUser(w, item.user),
    labels: item.labels.map((name) => wireLabel(w, repo, name)),
    state: item.state,
    locked: false,
    assignee: item.assignees[0] ? wireUser(w, item.assignees[0]) : null,
    assignees: item.assignees.map((login) => wireUser(w, login)),
    milestone: item.milestone ? wireMilestone(w, repo, item.milestone, item.user) : null,
    comments: commentCount(item),
    created_at: item.created_at,
    updated_at: item.updated_at,
    closed_at: item.closed_at,
    author_association: 'MEMBER',
    active_lock_reason: null,
    ...(item.pull
      ? {
          draft: item.pull.draft,
          pull_request: {
            url: pullApi,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: item.pull.merged_at,
          },
        }
      : {}),
    body: item.body,
    reactions: wireReactions(issueApi),
    timeline_url: `${issueApi}/timeline`,
    performed_via_github_app: null,
    state_reason: item.state_reason,
  };
}

/** `GET /repos/{o}/{r}/pulls/{n}` and the `pull_request` object of webhooks. */
export function wirePull(w: WireContext, item: SimIssue): PullRequest {
  const pull = item.pull;
  if (!pull) throw new Error(`simulator: ${item.repo}#${item.number} is not a pull request`);
  const repo = w.store.repo(item.repo);
  const owner = item.repo.split('/')[0];
  const { issueApi, pullApi, repoApi, html } = itemUrls(w, item);
  const side = (ref: string) => ({
    label: `${owner}:${ref}`,
    ref,
    sha: digest(`${item.repo}:${ref}:${item.updated_at}`),
    user: { ...wireUser(w, owner), type: 'Organization' as const },
    repo: wireRepository(w, repo),
  });
  const link = (href: string) => ({ href });
  return {
    url: pullApi,
    id: pullId(item),
    node_id: nodeId('011:PullRequest', pullId(item)),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    number: item.number,
    state: item.state,
    locked: false,
    title: item.title,
    user: wireUser(w, item.user),
    body: item.body,
    created_at: item.created_at,
    updated_at: item.updated_at,
    closed_at: item.closed_at,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.merged_at ? digest(`${item.repo}#${item.number}:merge`) : null,
    assignee: item.assignees[0] ? wireUser(w, item.assignees[0]) : null,
    assignees: item.assignees.map((login) => wireUser(w, login)),
    requested_reviewers: pull.requested_reviewers.map((login) => wireUser(w, login)),
    requested_teams: pull.requested_teams.map((slug) => wireTeam(w, repo, slug)),
    labels: item.labels.map((name) => wireLabel(w, repo, name)),
    milestone: item.milestone ? wireMilestone(w, repo, item.milestone, item.user) : null,
    commits_url: `${pullApi}/commits`,
    review_comments_url: `${pullApi}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${repoApi}/statuses/${side(pull.head).sha}`,
    head: side(pull.head),
    base: side(pull.base),
    _links: {
      self: link(pullApi),
      html: link(html),
      issue: link(issueApi),
      comments: link(`${issueApi}/comments`),
      review_comments: link(`${pullApi}/comments`),
      review_comment: link(`${repoApi}/pulls/comments{/number}`),
      commits: link(`${pullApi}/commits`),
      statuses: link(`${repoApi}/statuses/${side(pull.head).sha}`),
    },
    author_association: 'MEMBER',
    auto_merge: null,
    active_lock_reason: null,
    draft: pull.draft,
    merged: pull.merged_at !== null,
    mergeable: item.state === 'open' ? true : null,
    rebaseable: item.state === 'open' ? true : null,
    mergeable_state: item.state === 'open' ? 'clean' : 'unknown',
    merged_by: pull.merged_by ? wireUser(w, pull.merged_by) : null,
    comments: commentCount(item),
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 10,
    deletions: 2,
    changed_files: 1,
  };
}
