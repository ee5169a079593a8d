import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { IssueComment, PullRequestReview } from '@octokit/webhooks-types';
import type { SimEvent, SimIssue } from './model.js';
import { digest, nodeId, type WireContext, wireReactions, wireTeam, wireUser } from './wire-basics.js';
import { itemUrls } from './wire-items.js';

/** Comments, reviews and timeline entries, as the REST API and webhooks carry them. */

type TimelineItem = RestEndpointMethodTypes['issues']['listEventsForTimeline']['response']['data'][number];

export function wireComment(w: WireContext, item: SimIssue, event: SimEvent): IssueComment {
  const { repoApi, issueApi, html } = itemUrls(w, item);
  const url = `${repoApi}/issues/comments/${event.id}`;
  return {
    url,
    html_url: `${html}#issuecomment-${event.id}`,
    issue_url: issueApi,
    id: event.id,
    node_id: nodeId('012:IssueComment', event.id),
    user: wireUser(w, event.actor),
    created_at: event.created_at,
    updated_at: event.updated_at ?? event.created_at,
    author_association: 'MEMBER',
    body: event.body ?? '',
    reactions: wireReactions(url),
    performed_via_github_app: null,
  };
}

export function wireReview(w: WireContext, item: SimIssue, event: SimEvent): PullRequestReview {
  const { pullApi, html } = itemUrls(w, item);
  const reviewHtml = `${html}#pullrequestreview-${event.id}`;
  return {
    id: event.id,
    node_id: nodeId('017:PullRequestReview', event.id),
    user: wireUser(w, event.actor),
    body: event.body ?? null,
    commit_id: digest(`${item.repo}:${item.pull?.head}:${event.created_at}`),
    submitted_at: event.created_at,
    state: event.state ?? 'commented',
    html_url: reviewHtml,
    pull_request_url: pullApi,
    author_association: 'MEMBER',
    _links: { html: { href: reviewHtml }, pull_request: { href: pullApi } },
  };
}

/** One entry of `GET /repos/{o}/{r}/issues/{n}/timeline`. */
export function wireTimelineEntry(w: WireContext, item: SimIssue, event: SimEvent): TimelineItem {
  if (event.event === 'commented')
    return { ...wireComment(w, item, event), event: 'commented', actor: wireUser(w, event.actor) };
  if (event.event === 'reviewed') {
    const { body, ...review } = wireReview(w, item, event);
    return { ...review, body, event: 'reviewed', submitted_at: event.created_at };
  }
  const repo = w.store.repo(item.repo);
  const base = {
    id: event.id,
    node_id: nodeId('014:IssueEvent', event.id),
    url: `${w.apiBase}/repos/${item.repo}/issues/events/${event.id}`,
    actor: wireUser(w, event.actor),
    event: event.event,
    commit_id: event.event === 'merged' ? digest(`${item.repo}#${item.number}:merge`) : null,
    commit_url: null,
    created_at: event.created_at,
    performed_via_github_app: null,
  };
  switch (event.event) {
    case 'assigned':
    case 'unassigned':
      return { ...base, assignee: wireUser(w, event.assignee ?? event.actor) };
    case 'review_requested':
    case 'review_request_removed':
      return {
        ...base,
        review_requester: wireUser(w, event.actor),
        ...(event.requested_team
          ? { requested_team: { ...wireTeam(w, repo, event.requested_team), parent: null } }
          : { requested_reviewer: wireUser(w, event.requested_reviewer ?? event.actor) }),
      };
    case 'closed':
      return { ...base, state_reason: event.state_reason ?? null };
    default:
      return base;
  }
}
