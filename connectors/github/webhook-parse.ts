import { z } from 'zod';
import type { ParseResult, StoredDelivery } from '../../src/connectors/kit/index.js';
import type { GitHubContext } from './client.js';
import { configuredRepo } from './normalize.js';
import {
  fromIssueComment,
  fromIssues,
  fromPullRequest,
  fromReview,
  fromReviewComment,
} from './webhook-records.js';

const User = z.looseObject({ login: z.string() });
const Issue = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
const Pull = Issue.extend({
  head: z.looseObject({ ref: z.string() }),
  base: z.looseObject({ ref: z.string() }),
});
const Comment = z.looseObject({ id: z.number(), user: User.nullable(), created_at: z.string() });
const Review = z.looseObject({
  id: z.number(),
  user: User.nullable(),
  state: z.string(),
  submitted_at: z.string().nullable(),
});
const Envelope = z.looseObject({
  action: z.string(),
  repository: z.looseObject({ full_name: z.string() }),
  sender: User.optional(),
});

/** The events Baton reads, with the payload parts each one needs. */
const EVENTS = {
  issues: { shape: Envelope.extend({ issue: Issue }), build: fromIssues },
  pull_request: { shape: Envelope.extend({ pull_request: Pull }), build: fromPullRequest },
  pull_request_review: { shape: Envelope.extend({ pull_request: Pull, review: Review }), build: fromReview },
  pull_request_review_comment: {
    shape: Envelope.extend({ pull_request: Pull, comment: Comment }),
    build: fromReviewComment,
  },
  issue_comment: { shape: Envelope.extend({ issue: Issue, comment: Comment }), build: fromIssueComment },
} as const;

type KnownEvent = keyof typeof EVENTS;

/**
 * A stored, verified delivery → records built from the payload (the issue or pull request in it
 * plus the activity the event implies). Runs in the inbox drain job, never in the HTTP answer.
 */
export async function parseDelivery(delivery: StoredDelivery, ctx: GitHubContext): Promise<ParseResult> {
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.body.toString('utf8'));
  } catch (error) {
    return {
      kind: 'error',
      code: 'malformed_json',
      message: `body is not JSON: ${(error as Error).message}`,
    };
  }
  if (!Object.hasOwn(EVENTS, delivery.event))
    return { kind: 'ignored', reason: `event ${delivery.event} is not used` };
  const spec = EVENTS[delivery.event as KnownEvent];
  const checked = spec.shape.safeParse(payload);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return {
      kind: 'error',
      code: 'unexpected_payload',
      message: `${issue.path.join('.')}: ${issue.message}`,
    };
  }
  const repo = configuredRepo(checked.data.repository.full_name, ctx.config.repos);
  if (!repo) {
    return { kind: 'ignored', reason: `repository ${checked.data.repository.full_name} is not configured` };
  }
  // The shape check above guards the fields the builders read; the rest is GitHub's payload as typed.
  const records = await spec.build(payload as never, { repo, ctx, delivery });
  if (records === 'pull') return { kind: 'pull' };
  return records.length > 0
    ? { kind: 'records', records }
    : { kind: 'ignored', reason: `${delivery.event}.${checked.data.action} carries nothing Baton keeps` };
}
