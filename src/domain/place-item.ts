import type { BatonState } from './baton-state.js';
import type { DerivedApproval, DerivedHandoff } from './derive-handoffs.js';
import { deriveHandoffs } from './derive-handoffs.js';
import { type PersonRef, refFor } from './person-ref.js';
import type { CompiledPlan } from './plan.js';
import type { SourceRecord } from './source-record.js';

export interface Placement {
  phase: string;
  state: BatonState;
  /** Who holds the ball for this item now. */
  owner: PersonRef | null;
  blockedReason: string | null;
}

export interface ItemDerivation {
  placement: Placement | null;
  handoffs: DerivedHandoff[];
  approvals: DerivedApproval[];
}

/** Which phase the record belongs to: first matching selector, else the phase of an item it references. */
export function phaseFor(
  plan: CompiledPlan,
  connection: string,
  record: SourceRecord,
  referencedPhase?: string,
): string | null {
  const selector = plan.selectors.find((s) => s.connection === connection && s.matches(record));
  if (selector) return selector.phase;
  if (referencedPhase && plan.followReferences.includes(connection)) return referencedPhase;
  return null;
}

const BY_CATEGORY: Record<SourceRecord['state']['category'], BatonState> = {
  todo: 'todo',
  in_progress: 'in_progress',
  done: 'done',
  cancelled: 'cancelled',
};

/** Baton state: the plan's state rules first, then the tool's own category. */
export function stateFor(
  plan: CompiledPlan,
  connection: string,
  record: SourceRecord,
  underReview: boolean,
): BatonState {
  const raw = record.state.raw.toLowerCase();
  for (const rule of plan.stateRules) {
    if (rule.connection !== undefined && rule.connection !== connection) continue;
    if (rule.raw && !rule.raw.includes(raw)) continue;
    if (rule.matches && !rule.matches(record)) continue;
    if (!rule.raw && !rule.matches) continue;
    return rule.state;
  }
  const base = BY_CATEGORY[record.state.category];
  if ((base === 'in_progress' || base === 'todo') && underReview) return 'in_review';
  return base;
}

function blockedReasonFor(record: SourceRecord): string {
  const label = record.labels.find((l) => /block/i.test(l));
  if (label) return `labelled "${label}" in ${record.source}`;
  return `"${record.state.raw}" in ${record.source}`;
}

/** Everything the plan derives from one item: its placement, handoffs and approvals. */
export function deriveItem(
  plan: CompiledPlan,
  connection: string,
  record: SourceRecord,
  referencedPhase?: string,
): ItemDerivation {
  const phase = record.deleted ? null : phaseFor(plan, connection, record, referencedPhase);
  if (phase === null) return { placement: null, handoffs: [], approvals: [] };
  const { handoffs, approvals } = deriveHandoffs(plan, connection, record);
  const openHandoffs = handoffs.filter((h) => h.closedAt === null);
  const underReview = openHandoffs.some((h) => h.kind === 'review' || h.kind === 'approval');
  const state = stateFor(plan, connection, record, underReview);
  const latest = openHandoffs.sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt))[0];
  const holder = latest?.to ?? (record.assignees[0] ? refFor(plan, record.assignees[0]) : null);
  const owner = holder ?? (record.author ? refFor(plan, record.author) : null);
  return {
    placement: { phase, state, owner, blockedReason: state === 'blocked' ? blockedReasonFor(record) : null },
    handoffs,
    approvals,
  };
}
