import type { Activity, ActivityKind, Identity } from '../../src/domain/source-record.js';
import { bodyText, mentionedAccounts } from './adf.js';
import type { People } from './people.js';
import { changeText, changeValue, type JiraChangeItem, type JiraComment, type JiraHistory } from './wire.js';

export interface ActivityInput {
  histories: JiraHistory[];
  comments: JiraComment[];
  people: People;
  /** The issue as it is now: the state the changelog leads to. */
  current: { status: string; categoryKey?: string; assigneeId?: string; approverId?: string };
  approvalStatuses: string[];
  approverField?: string;
  created?: { at: string; by?: Identity };
}

const REJECTED = /reject|declin|denied|not approved/i;
const isField = (item: JiraChangeItem, id: string) =>
  item.fieldId === id || (!item.fieldId && item.field === id);

/** An activity with only the keys that have values (stored as JSON, compared by tests). */
function activity(
  id: string,
  kind: ActivityKind,
  at: string,
  actor?: Identity,
  target?: Identity,
  detail?: Record<string, unknown>,
): Activity {
  const out: Activity = { id, kind, at };
  if (actor) out.actor = actor;
  if (target) out.target = target;
  if (detail) out.detail = detail;
  return out;
}

/**
 * The issue's history as Baton activity. Ids come from Jira's own ids (changelog entry + item
 * index, comment id), so the same change read by a poll and by a webhook merges into one.
 */
export function issueActivity(input: ActivityInput): Activity[] {
  const out: { ms: number; activity: Activity }[] = [];
  const push = (ms: number, a: Activity) => out.push({ ms, activity: a });
  const approval = new Set(input.approvalStatuses.map((s) => s.toLowerCase()));
  const inApproval = (status: string | null) => status !== null && approval.has(status.toLowerCase());
  const histories = chronological(input.histories);
  const all = histories.flatMap(({ history }) => history.items ?? []);
  // The value before the first change of a field is that change's `from`; unchanged fields are as now.
  const initial = (id: string, now?: string) => {
    const first = all.find((item) => isField(item, id));
    return first ? changeValue(first, 'from') : (now ?? null);
  };
  let assignee = initial('assignee', input.current.assigneeId);
  let approver = input.approverField ? initial(input.approverField, input.current.approverId) : null;
  const firstStatus = all.find((item) => isField(item, 'status'));
  const visited = new Set([
    (firstStatus ? changeText(firstStatus, 'from') : input.current.status)?.toLowerCase(),
  ]);
  const lastStatus = all.findLast((item) => isField(item, 'status'));

  if (input.created) {
    push(Date.parse(input.created.at), activity('created', 'created', input.created.at, input.created.by));
  }

  for (const { history, at, ms } of histories) {
    const actor = input.people.add(history.author);
    const items = history.items ?? [];
    const base = `history:${history.id}`;
    // Field changes first: moving into approval often sets the approver in the same step.
    items.forEach((item, index) => {
      if (isField(item, 'assignee')) {
        const to = changeValue(item, 'to');
        const from = changeValue(item, 'from');
        const target = to
          ? input.people.get(to, changeText(item, 'to'))
          : input.people.get(from, changeText(item, 'from'));
        if (target) push(ms, activity(`${base}:${index}`, to ? 'assigned' : 'unassigned', at, actor, target));
        assignee = to;
      } else if (input.approverField && isField(item, input.approverField)) {
        approver = changeValue(item, 'to');
      }
    });
    items.forEach((item, index) => {
      if (!isField(item, 'status')) return;
      const from = changeText(item, 'from');
      const to = changeText(item, 'to');
      const id = `${base}:${index}`;
      push(ms, activity(id, 'transitioned', at, actor, undefined, { from, to }));
      if (inApproval(from) && to) {
        const isCurrent = item === lastStatus && to === input.current.status;
        const decision = decisionFor(to, visited, isCurrent ? input.current.categoryKey : undefined);
        push(ms, activity(`${id}:decided`, 'decided', at, actor, undefined, { decision, from, to }));
      }
      if (inApproval(to)) {
        const target = input.people.get(approver ?? assignee);
        push(
          ms,
          activity(`${id}:approval_requested`, 'approval_requested', at, actor, target, { status: to }),
        );
      }
      for (const status of [from, to]) if (status) visited.add(status.toLowerCase());
    });
  }

  for (const comment of input.comments) {
    const ms = timeOf(comment.created);
    if (!comment.id || ms === null) continue;
    const [mentioned] = mentionedAccounts(comment.body);
    const detail = { excerpt: bodyText(comment.body).slice(0, 280) };
    const at = new Date(ms).toISOString();
    push(
      ms,
      activity(
        `comment:${comment.id}`,
        'commented',
        at,
        input.people.add(comment.author),
        input.people.get(mentioned),
        detail,
      ),
    );
  }
  // Stable: within one changelog entry the order above (field changes, then transitions) stays.
  return out.sort((a, b) => a.ms - b.ms).map((entry) => entry.activity);
}

/**
 * Leaving an approval status is a decision. Rejection is read from the status name; a status
 * whose category is done is approval, and new means sent back; otherwise going to a status the issue
 * was in before counts as sent back for changes, and going somewhere new counts as moving forward.
 */
export function decisionFor(
  to: string,
  visited: Set<string | undefined>,
  categoryKey?: string,
): 'approved' | 'rejected' | 'changes_requested' {
  if (REJECTED.test(to)) return 'rejected';
  if (categoryKey === 'done') return 'approved';
  if (categoryKey === 'new') return 'changes_requested';
  return visited.has(to.toLowerCase()) ? 'changes_requested' : 'approved';
}

function timeOf(value: string | Date | undefined): number | null {
  if (value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Histories oldest first (Jira's order varies by endpoint), each with its time read once. */
function chronological(histories: JiraHistory[]): { history: JiraHistory; ms: number; at: string }[] {
  const timed: { history: JiraHistory; ms: number; at: string }[] = [];
  for (const history of histories) {
    const ms = timeOf(history.created);
    if (ms !== null) timed.push({ history, ms, at: new Date(ms).toISOString() });
  }
  return timed.sort((a, b) => a.ms - b.ms || Number(a.history.id) - Number(b.history.id));
}
