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
 * The handoffs and approvals an item's replay has found so far. A class rather than closures
 * inside deriveHandoffs: this runs for every record of every sync, and under tsx each named
 * closure is re-created and re-named (`__name`) on every call.
 */
class Ledger {
  readonly handoffs: DerivedHandoff[] = [];
  readonly approvals: DerivedApproval[] = [];
  constructor(private readonly author: PersonRef | null) {}

  private openHandoff(kind: HandoffKind, key: string, thread?: string) {
    return this.handoffs.find(
      (h) => h.closedAt === null && h.kind === kind && refKey(h.to) === key && h.thread === thread,
    );
  }

  open(kind: HandoffKind, from: PersonRef | null, to: PersonRef, at: string, thread?: string) {
    if (from && refKey(from) === refKey(to)) return; // nobody hands work to themselves
    if (this.openHandoff(kind, refKey(to), thread)) return;
    this.handoffs.push({
      kind,
      from,
      to,
      openedAt: at,
      closedAt: null,
      closeReason: null,
      ...(thread ? { thread } : {}),
    });
  }

  close(predicate: (h: DerivedHandoff) => boolean, at: string, reason: string) {
    for (const h of this.handoffs) {
      if (h.closedAt === null && predicate(h) && Date.parse(at) >= Date.parse(h.openedAt)) {
        h.closedAt = at;
        h.closeReason = reason;
      }
    }
  }

  pendingApproval(key: string) {
    return this.approvals.find((a) => a.status === 'pending' && refKey(a.approver) === key);
  }

  requestApproval(requester: PersonRef | null, approver: PersonRef, at: string) {
    if (this.pendingApproval(refKey(approver))) return;
    this.approvals.push({ requester, approver, status: 'pending', requestedAt: at, decidedAt: null });
  }

  decide(approver: PersonRef, status: ApprovalStatus, at: string) {
    const pending = this.pendingApproval(refKey(approver));
    if (pending) {
      pending.status = status;
      pending.decidedAt = at;
    } else if (status !== 'cancelled') {
      this.approvals.push({ requester: this.author, approver, status, requestedAt: at, decidedAt: at });
    }
  }

  cancelPending(at: string) {
    for (const a of this.approvals) {
      if (a.status === 'pending') Object.assign(a, { status: 'cancelled', decidedAt: at });
    }
  }
}

/** Inside a comment thread, acting closes only that thread's handoff. */
const inThread = (h: DerivedHandoff, thread: string | undefined) =>
  h.kind !== 'comment' || thread === undefined || h.thread === undefined || h.thread === thread;

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
  const author = record.author ? refFor(plan, record.author) : null;
  const ledger = new Ledger(author);

  for (const activity of record.activity) {
    const actor = activity.actor ? refFor(plan, activity.actor) : null;
    const target = activity.target ? refFor(plan, activity.target) : null;
    const at = activity.at;
    const actorKey = actor ? refKey(actor) : null;
    const thread = typeof activity.detail?.commentId === 'string' ? activity.detail.commentId : undefined;

    // A `/baton snooze` or `/baton ack` comment talks to Baton, not about the work: it is not acting.
    const isCommand = activity.detail?.command !== undefined;
    if (actorKey && !isCommand) {
      for (const kind of Object.keys(ACTING_KINDS) as HandoffKind[]) {
        if (ACTING_KINDS[kind].includes(activity.kind)) {
          ledger.close(
            (h) => h.kind === kind && refKey(h.to) === actorKey && h.openedAt < at && inThread(h, thread),
            at,
            'acted',
          );
        }
      }
    }

    switch (activity.kind) {
      case 'review_requested':
        if (!target) break;
        ledger.open('review', actor ?? author, target, at);
        if (opensApproval(plan, connection, record, 'review_requested'))
          ledger.requestApproval(actor ?? author, target, at);
        break;
      case 'review_request_removed':
        if (!target) break;
        ledger.close(
          (h) => (h.kind === 'review' || h.kind === 'approval') && refKey(h.to) === refKey(target),
          at,
          'request_removed',
        );
        if (ledger.pendingApproval(refKey(target))) ledger.decide(target, 'cancelled', at);
        break;
      case 'reviewed': {
        if (!actor) break;
        const state = String(activity.detail?.state ?? 'commented');
        ledger.close((h) => h.kind === 'review' && refKey(h.to) === actorKey, at, 'reviewed');
        if (state === 'approved') ledger.decide(actor, 'approved', at);
        if (state === 'changes_requested') {
          ledger.decide(actor, 'changes_requested', at);
          if (author) ledger.open('changes', actor, author, at);
        }
        if (state === 'dismissed') ledger.decide(actor, 'cancelled', at);
        break;
      }
      case 'approval_requested':
        if (!target) break;
        ledger.open('approval', actor ?? author, target, at);
        if (opensApproval(plan, connection, record, 'approval_requested'))
          ledger.requestApproval(actor ?? author, target, at);
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
        ledger.close(
          (h) => (h.kind === 'approval' || h.kind === 'review') && refKey(h.to) === actorKey,
          at,
          'decided',
        );
        if (status) ledger.decide(actor, status, at);
        if (status === 'changes_requested') {
          const requester =
            ledger.approvals.find((a) => refKey(a.approver) === actorKey)?.requester ?? author;
          if (requester) ledger.open('changes', actor, requester, at);
        }
        break;
      }
      case 'assigned':
        if (!target) break;
        ledger.close((h) => h.kind === 'assignment' && refKey(h.to) !== refKey(target), at, 'reassigned');
        ledger.open('assignment', actor, target, at);
        break;
      case 'unassigned':
        if (!target) break;
        ledger.close((h) => h.kind === 'assignment' && refKey(h.to) === refKey(target), at, 'unassigned');
        break;
      case 'comment_assigned':
        if (!target) break;
        // Reassigning a thread takes it away from whoever held it.
        if (thread)
          ledger.close(
            (h) => h.kind === 'comment' && h.thread === thread && refKey(h.to) !== refKey(target),
            at,
            'reassigned',
          );
        ledger.open('comment', actor, target, at, thread);
        break;
      case 'mentioned':
        if (target) ledger.open('comment', actor, target, at, thread);
        break;
      case 'comment_resolved':
        ledger.close((h) => h.kind === 'comment' && inThread(h, thread), at, 'resolved');
        break;
      case 'merged':
      case 'closed':
        ledger.close(() => true, at, activity.kind);
        ledger.cancelPending(at);
        break;
      default:
        break;
    }
  }

  // A finished or deleted item leaves nobody waiting.
  if (record.deleted || record.state.category === 'done' || record.state.category === 'cancelled') {
    ledger.close(() => true, record.updatedAt, record.deleted ? 'deleted' : 'item_closed');
    ledger.cancelPending(record.updatedAt);
  }
  return { handoffs: ledger.handoffs, approvals: ledger.approvals };
}
