import type {
  IssueCommentEvent,
  IssuesEvent,
  PullRequestEvent,
  PullRequestReviewCommentEvent,
  PullRequestReviewEvent,
} from '@octokit/webhooks-types';
import { type StoredDelivery, tombstone } from '../../src/connectors/kit/index.js';
import type { Activity, ActivityKind, Identity, SourceRecord } from '../../src/domain/source-record.js';
import { commentActivity, derivedId, identity, reviewState, teamIdentity } from './activity.js';
import type { GitHubContext } from './client.js';
import { createGitHubApi } from './github-api.js';
import type { GitHubPull } from './github-types.js';
import { configuredRepo, itemId, normalizeItem, SOURCE } from './normalize.js';
import { trimRaw } from './raw.js';

export interface DeliveryScope {
  /** The configured `owner/name` the delivery is about. */
  repo: string;
  ctx: GitHubContext;
  delivery: StoredDelivery;
}

/** Activity GitHub's payload gives no id for; `at` is the payload's own time. */
function fact(
  kind: ActivityKind,
  at: string,
  actor?: Identity,
  target?: Identity,
  detail?: Record<string, unknown>,
): Activity {
  return { id: derivedId(kind, actor, target, at), kind, actor, target, at, ...(detail ? { detail } : {}) };
}

export function fromIssues(event: IssuesEvent, { repo, ctx, delivery }: DeliveryScope): SourceRecord[] {
  const { issue } = event;
  const gone = () => tombstone(SOURCE, itemId(repo, issue.number), 'issue', delivery.receivedAt);
  if (event.action === 'deleted') return [gone()];
  if (event.action === 'transferred') {
    // Gone from here; if it moved into another configured repository, it lives on there.
    const target = configuredRepo(event.changes.new_repository.full_name, ctx.config.repos);
    const moved = event.changes.new_issue;
    return target
      ? [
          gone(),
          normalizeItem({ repo: target, issue: moved, raw: trimRaw({ event: 'issues', issue: moved }) }),
        ]
      : [gone()];
  }
  const sender = identity(event.sender);
  const activity: Activity[] = [];
  if (event.action === 'assigned' || event.action === 'unassigned') {
    activity.push(fact(event.action, issue.updated_at, sender, identity(event.assignee)));
  } else if (event.action === 'closed') {
    const reason = issue.state_reason ? { stateReason: issue.state_reason } : undefined;
    activity.push(fact('closed', issue.closed_at ?? issue.updated_at, sender, undefined, reason));
  } else if (event.action === 'reopened') {
    activity.push(fact('reopened', issue.updated_at, sender));
  }
  return [
    normalizeItem({ repo, issue, activity, raw: trimRaw({ event: 'issues', action: event.action, issue }) }),
  ];
}

export function fromPullRequest(event: PullRequestEvent, { repo }: DeliveryScope): SourceRecord[] {
  const pr = event.pull_request;
  const sender = identity(event.sender);
  const activity: Activity[] = [];
  switch (event.action) {
    case 'assigned':
    case 'unassigned':
      activity.push(fact(event.action, pr.updated_at, sender, identity(event.assignee)));
      break;
    case 'review_requested':
    case 'review_request_removed': {
      const target =
        'requested_reviewer' in event
          ? identity(event.requested_reviewer)
          : teamIdentity(event.requested_team);
      activity.push(fact(event.action, pr.updated_at, sender, target));
      break;
    }
    case 'closed':
      if (pr.merged)
        activity.push(fact('merged', pr.merged_at ?? pr.updated_at, identity(pr.merged_by) ?? sender));
      activity.push(fact('closed', pr.closed_at ?? pr.updated_at, sender));
      break;
    case 'reopened':
      activity.push(fact('reopened', pr.updated_at, sender));
      break;
  }
  return [pullRecord(repo, `pull_request.${event.action}`, pr, activity)];
}

export function fromReview(event: PullRequestReviewEvent, { repo }: DeliveryScope): SourceRecord[] {
  const { review, pull_request: pr } = event;
  const state = event.action === 'edited' ? undefined : reviewState(review.state);
  const activity: Activity[] = state
    ? [
        {
          id: `review:${review.id}`,
          kind: 'reviewed',
          actor: identity(review.user),
          at: review.submitted_at ?? pr.updated_at,
          detail: { state },
        },
      ]
    : [];
  return [pullRecord(repo, `pull_request_review.${event.action}`, pr, activity)];
}

export function fromReviewComment(
  event: PullRequestReviewCommentEvent,
  { repo }: DeliveryScope,
): SourceRecord[] {
  const { comment, pull_request: pr } = event;
  const said =
    event.action === 'created'
      ? commentActivity(`review-comment:${comment.id}`, comment.user, comment.created_at, comment.body)
      : undefined;
  return [pullRecord(repo, `pull_request_review_comment.${event.action}`, pr, said ? [said] : [])];
}

/**
 * An issue_comment on a pull request carries only the issue view of it (no branches, draft flag
 * or requested reviewers); one `/pulls/{n}` call completes it so the record does not lose fields
 * that mapping selectors test. If that call fails, a pull brings the same change.
 */
export async function fromIssueComment(
  event: IssueCommentEvent,
  { repo, ctx }: DeliveryScope,
): Promise<SourceRecord[] | 'pull'> {
  const { issue, comment } = event;
  const said =
    event.action === 'created'
      ? commentActivity(`comment:${comment.id}`, comment.user, comment.created_at, comment.body)
      : undefined;
  let pull: GitHubPull | undefined;
  if (issue.pull_request) {
    try {
      pull = await createGitHubApi(ctx).getPull(repo, issue.number);
    } catch (error) {
      ctx.log.warn(
        { connection: ctx.connection, err: (error as Error).message },
        'issue_comment: PR fetch failed',
      );
      return 'pull';
    }
  }
  const raw = trimRaw({ event: 'issue_comment', action: event.action, issue, comment });
  return [normalizeItem({ repo, issue, pull, activity: said ? [said] : [], raw })];
}

type PullPayload =
  | PullRequestEvent['pull_request']
  | PullRequestReviewEvent['pull_request']
  | PullRequestReviewCommentEvent['pull_request'];

/** The webhook's `pull_request` object is both the issue view and the PR details. */
function pullRecord(repo: string, origin: string, pr: PullPayload, activity: Activity[]): SourceRecord {
  return normalizeItem({
    repo,
    issue: pr,
    pull: pr,
    activity,
    raw: trimRaw({ event: origin, pull_request: pr }),
  });
}
