import type { drive_v3 } from '@googleapis/drive';
import type { Activity, Identity } from '../../src/domain/source-record.js';
import type { People } from './identity.js';

/** Approval.status values (Drive "Manage approvals" guide). */
export const APPROVAL_IN_PROGRESS = 'IN_PROGRESS';

/** ReviewerResponse.response → Baton's decision; NO_RESPONSE is no decision yet. */
const DECISIONS: Record<string, 'approved' | 'rejected'> = { APPROVED: 'approved', DECLINED: 'rejected' };

/**
 * Drive approvals as activity: one `approval_requested` per reviewer (actor = initiator,
 * target = reviewer, at the approval's createTime) and one `decided` per reviewer response.
 * Drive keeps no time per response, so a decision is dated by the approval's completeTime,
 * else its modifyTime: the first sync that sees a decision dates it, which is as close as the
 * API allows. When an approval ends (approved, declined, cancelled) the reviewers who never
 * answered get `review_request_removed`: their part of the handoff is over.
 */
export function approvalActivity(approvals: drive_v3.Schema$Approval[], people: People): Activity[] {
  return approvals.flatMap((approval) => oneApproval(approval, people));
}

function oneApproval(approval: drive_v3.Schema$Approval, people: People): Activity[] {
  const approvalId = approval.approvalId;
  const requestedAt = approval.createTime;
  if (!approvalId || !requestedAt) return [];
  const initiator = people.of(approval.initiator);
  const decidedAt = approval.completeTime ?? approval.modifyTime ?? requestedAt;
  const status = approval.status ?? undefined;
  const detail = { approvalId, status, dueTime: approval.dueTime ?? undefined };
  const out: Activity[] = [];

  for (const response of approval.reviewerResponses ?? []) {
    const reviewer = people.of(response.reviewer);
    if (!reviewer) continue;
    out.push({
      id: `approval:${approvalId}:requested:${reviewer.id}`,
      kind: 'approval_requested',
      actor: initiator,
      target: reviewer,
      at: requestedAt,
      detail,
    });
    const decision = DECISIONS[response.response ?? ''];
    if (decision) {
      out.push(decided(approvalId, reviewer, decision, decidedAt, status));
    } else if (status && status !== APPROVAL_IN_PROGRESS) {
      out.push({
        id: `approval:${approvalId}:withdrawn:${reviewer.id}`,
        kind: 'review_request_removed',
        actor: initiator,
        target: reviewer,
        at: decidedAt,
        detail,
      });
    }
  }
  return out;
}

function decided(
  approvalId: string,
  reviewer: Identity,
  decision: 'approved' | 'rejected',
  at: string,
  status: string | undefined,
): Activity {
  return {
    id: `approval:${approvalId}:decided:${reviewer.id}`,
    kind: 'decided',
    actor: reviewer,
    at,
    detail: { approvalId, decision, status },
  };
}

/** Reviewers still expected to answer: the file's reviewers while an approval is in progress. */
export function pendingReviewers(approvals: drive_v3.Schema$Approval[], people: People): Identity[] {
  const out = new Map<string, Identity>();
  for (const approval of approvals) {
    if (approval.status !== APPROVAL_IN_PROGRESS) continue;
    for (const response of approval.reviewerResponses ?? []) {
      const reviewer = people.of(response.reviewer);
      if (reviewer && !DECISIONS[response.response ?? '']) out.set(reviewer.id, reviewer);
    }
  }
  return [...out.values()];
}

/** The approval that says most about the file now: the newest in progress, else the newest. */
export function currentApproval(approvals: drive_v3.Schema$Approval[]): drive_v3.Schema$Approval | undefined {
  const newestFirst = [...approvals].sort((a, b) => time(b.createTime) - time(a.createTime));
  return newestFirst.find((a) => a.status === APPROVAL_IN_PROGRESS) ?? newestFirst[0];
}

function time(value: string | null | undefined): number {
  return value ? Date.parse(value) : 0;
}
