import type { SimEvent, SimIssue } from './model.js';
import { wireComment, wireReview } from './wire-activity.js';
import { type WireContext, wireTeam, wireUser } from './wire-basics.js';
import { wireIssue, wirePull } from './wire-items.js';
import { wireRepository } from './wire-repository.js';

/**
 * Webhook payloads in GitHub's shape (@octokit/webhooks-types): `action`, the object, the
 * `repository` and the `sender`, plus what the action adds (assignee, requested_reviewer …).
 */
export type Payload = Record<string, unknown> & { action: string };

function envelope(w: WireContext, item: SimIssue, action: string, sender: string) {
  return { action, repository: wireRepository(w, w.store.repo(item.repo)), sender: wireUser(w, sender) };
}

/** `issues` for issues, `pull_request` for pull requests: GitHub splits them so. */
export function itemEvent(
  w: WireContext,
  item: SimIssue,
  action: string,
  sender: string,
  extra: Record<string, unknown> = {},
): { event: string; payload: Payload } {
  if (item.pull) {
    return {
      event: 'pull_request',
      payload: {
        ...envelope(w, item, action, sender),
        number: item.number,
        pull_request: wirePull(w, item),
        ...extra,
      },
    };
  }
  return {
    event: 'issues',
    payload: { ...envelope(w, item, action, sender), issue: wireIssue(w, item), ...extra },
  };
}

export function assigneeExtra(w: WireContext, event: SimEvent) {
  return { assignee: wireUser(w, event.assignee ?? event.actor) };
}

export function reviewRequestExtra(w: WireContext, item: SimIssue, event: SimEvent) {
  return event.requested_team
    ? { requested_team: wireTeam(w, w.store.repo(item.repo), event.requested_team) }
    : { requested_reviewer: wireUser(w, event.requested_reviewer ?? event.actor) };
}

export function reviewEvent(w: WireContext, item: SimIssue, action: string, review: SimEvent) {
  return {
    event: 'pull_request_review',
    payload: {
      ...envelope(w, item, action, review.actor),
      review: wireReview(w, item, review),
      pull_request: wirePull(w, item),
    },
  };
}

export function commentEvent(w: WireContext, item: SimIssue, action: string, comment: SimEvent) {
  return {
    event: 'issue_comment',
    payload: {
      ...envelope(w, item, action, comment.actor),
      issue: wireIssue(w, item),
      comment: wireComment(w, item, comment),
    },
  };
}
