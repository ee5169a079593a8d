import type { ApprovalStatus, HandoffKind } from './baton-state.js';
import { type PersonRef, refFor, refKey } from './person-ref.js';
import type { CompiledPlan } from './plan.js';
import type { Activity, SourceRecord } from './source-record.js';

export interface DerivedHandoff {
  kind: HandoffKind;
  from: PersonRef | null;
  to: PersonRef;
  openedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  /** The comment thread a document-comment handoff belongs to (Drive's commentId). */
  thread?: string;
}

export interface DerivedApproval {
  requester: PersonRef | null;
  approver: PersonRef;
  status: ApprovalStatus;
  requestedAt: string;
  decidedAt: string | null;
}

export interface HandoffDerivation {
  handoffs: DerivedHandoff[];
  approvals: DerivedApproval[];
}

/** Activity by the receiver that counts as picking the ball up, per handoff kind. */
const ACTING_KINDS: Record<HandoffKind, Activity['kind'][]> = {
  review: [],
  approval: [],
  assignment: [
    'commented',
    'replied',
    'transitioned',
    'reviewed',
    'decided',
    'merged',
    'closed',
    'review_requested',
  ],
  comment: ['replied', 'commented'],
  reply: ['replied', 'commented', 'decided'],
  changes: ['commented', 'replied', 'review_requested', 'transitioned', 'merged'],
};

function opensApproval(
  plan: CompiledPlan,
  connection: string,
  record: SourceRecord,
  kind: Activity['kind'],
): boolean {
  if (plan.approvalRules.length === 0) return kind === 'approval_requested' || kind === 'review_requested';
  return plan.approvalRules.some(
    (rule) =>
      (rule.connection === undefined || rule.connection === connection) &&
      (rule.on as string[]).includes(kind) &&
      (rule.matches === undefined || rule.matches(record)),
  );
}

/**
 * Replays an item's activity in time order and returns the handoffs (open and closed) and the
 * approvals it implies. Pure: the same record and plan always give the same answer, so a
 * replayed batch or a re-derivation after a mapping change has no effect beyond the change.
 */
export function deriveHandoffs(
  plan: CompiledPlan,
  connection: string,
  record: SourceRecord,
): HandoffDerivation {
  const handoffs: DerivedHandoff[] = [];
  const approvals: DerivedApproval[] = [];
  const author = record.author ? refFor(plan, record.author) : null;

  const openHandoff = (kind: HandoffKind, key: string, thread?: string) =>
    handoffs.find(
      (h) => h.closedAt === null && h.kind === kind && refKey(h.to) === key && h.thread === thread,
    );
  const open = (kind: HandoffKind, from: PersonRef | null, to: PersonRef, at: string, thread?: string) => {
    if (from && refKey(from) === refKey(to)) return; // nobody hands work to themselves
    if (openHandoff(kind, refKey(to), thread)) return;
    handoffs.push({
      kind,
      from,
      to,
      openedAt: at,
      closedAt: null,
      closeReason: null,
      ...(thread ? { thread } : {}),
    });
  };
  const close = (predicate: (h: DerivedHandoff) => boolean, at: string, reason: string) => {
    for (const h of handoffs) {
      if (h.closedAt === null && predicate(h) && Date.parse(at) >= Date.parse(h.openedAt)) {
        h.closedAt = at;
        h.closeReason = reason;
      }
    }
  };
  const pendingApproval = (key: string) =>
    approvals.find((a) => a.status === 'pending' && refKey(a.approver) === key);
  const requestApproval = (requester: PersonRef | null, approver: PersonRef, at: string) => {
    if (pendingApproval(refKey(approver))) return;
    approvals.push({ requester, approver, status: 'pending', requestedAt: at, decidedAt: null });
  };
  const decide = (approver: PersonRef, status: ApprovalStatus, at: string) => {
    const pending = pendingApproval(refKey(approver));
    if (pending) {
      pending.status = status;
      pending.decidedAt = at;
    } else if (status !== 'cancelled') {
      approvals.push({ requester: author, approver, status, requestedAt: at, decidedAt: at });
    }
  };

  for (const activity of record.activity) {
    const actor = activity.actor ? refFor(plan, activity.actor) : null;
    const target = activity.target ? refFor(plan, activity.target) : null;
    const at = activity.at;
    const actorKey = actor ? refKey(actor) : null;
    const thread = typeof activity.detail?.commentId === 'string' ? activity.detail.commentId : undefined;
    // Inside a comment thread, acting closes only that thread's handoff.
    const sameThread = (h: DerivedHandoff) =>
      h.kind !== 'comment' || thread === undefined || h.thread === undefined || h.thread === thread;

    // A `/baton snooze` or `/baton ack` comment talks to Baton, not about the work: it is not acting.
    const isCommand = activity.detail?.command !== undefined;
    if (actorKey && !isCommand) {
      for (const kind of Object.keys(ACTING_KINDS) as HandoffKind[]) {
        if (ACTING_KINDS[kind].includes(activity.kind)) {
          close(
            (h) => h.kind === kind && refKey(h.to) === actorKey && h.openedAt < at && sameThread(h),
            at,
            'acted',
          );
        }
      }
    }

    switch (activity.kind) {
      case 'review_requested':
        if (!target) break;
        open('review', actor ?? author, target, at);
        if (opensApproval(plan, connection, record, 'review_requested'))
          requestApproval(actor ?? author, target, at);
        break;
      case 'review_request_removed':
        if (!target) break;
        close(
          (h) => (h.kind === 'review' || h.kind === 'approval') && refKey(h.to) === refKey(target),
          at,
          'request_removed',
        );
        if (pendingApproval(refKey(target))) decide(target, 'cancelled', at);
        break;
      case 'reviewed': {
        if (!actor) break;
        const state = String(activity.detail?.state ?? 'commented');
        close((h) => h.kind === 'review' && refKey(h.to) === actorKey, at, 'reviewed');
        if (state === 'approved') decide(actor, 'approved', at);
        if (state === 'changes_requested') {
          decide(actor, 'changes_requested', at);
          if (author) open('changes', actor, author, at);
        }
        if (state === 'dismissed') decide(actor, 'cancelled', at);
        break;
      }
      case 'approval_requested':
        if (!target) break;
        open('approval', actor ?? author, target, at);
        if (opensApproval(plan, connection, record, 'approval_requested'))
          requestApproval(actor ?? author, target, at);
        break;
      case 'decided': {
        if (!actor) break;
        const decision = String(activity.detail?.decision ?? '');
        const status: ApprovalStatus | null =
          decision === 'approved'
            ? 'approved'
            : decision === 'rejected'
              ? 'rejected'
              : decision === 'changes_requested'
                ? 'changes_requested'
                : null;
        close(
          (h) => (h.kind === 'approval' || h.kind === 'review') && refKey(h.to) === actorKey,
          at,
          'decided',
        );
        if (status) decide(actor, status, at);
        if (status === 'changes_requested') {
          const requester = approvals.find((a) => refKey(a.approver) === actorKey)?.requester ?? author;
          if (requester) open('changes', actor, requester, at);
        }
        break;
      }
      case 'assigned':
        if (!target) break;
        close((h) => h.kind === 'assignment' && refKey(h.to) !== refKey(target), at, 'reassigned');
        open('assignment', actor, target, at);
        break;
      case 'unassigned':
        if (!target) break;
        close((h) => h.kind === 'assignment' && refKey(h.to) === refKey(target), at, 'unassigned');
        break;
      case 'comment_assigned':
        if (!target) break;
        // Reassigning a thread takes it away from whoever held it.
        if (thread)
          close(
            (h) => h.kind === 'comment' && h.thread === thread && refKey(h.to) !== refKey(target),
            at,
            'reassigned',
          );
        open('comment', actor, target, at, thread);
        break;
      case 'mentioned':
        if (target) open('comment', actor, target, at, thread);
        break;
      case 'comment_resolved':
        close((h) => h.kind === 'comment' && sameThread(h), at, 'resolved');
        break;
      case 'merged':
      case 'closed':
        close(() => true, at, activity.kind);
        for (const a of approvals)
          if (a.status === 'pending') Object.assign(a, { status: 'cancelled', decidedAt: at });
        break;
      default:
        break;
    }
  }

  // A finished or deleted item leaves nobody waiting.
  if (record.deleted || record.state.category === 'done' || record.state.category === 'cancelled') {
    close(() => true, record.updatedAt, record.deleted ? 'deleted' : 'item_closed');
    for (const a of approvals) {
      if (a.status === 'pending') Object.assign(a, { status: 'cancelled', decidedAt: record.updatedAt });
    }
  }
  return { handoffs, approvals };
}
