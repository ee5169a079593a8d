import type { BatonState, PhaseState, PlanHealth } from './baton-state.js';
import type { CompiledPlan, PlanPhase } from './plan.js';

export interface PhaseFacts {
  counts: Partial<Record<BatonState, number>>;
  approvalsWaiting: number;
  stalledHandoffs: number;
}

export interface PhaseVerdict {
  state: PhaseState;
  /** Done items over items that still count (cancelled ones don't), 0..1. */
  progress: number;
  total: number;
  /** Why the phase is blocked, when it is. */
  blockedBy: string[];
}

const count = (facts: PhaseFacts, ...states: BatonState[]) =>
  states.reduce((n, s) => n + (facts.counts[s] ?? 0), 0);

/** A phase's state from its items and its dependencies (computed in plan order). */
export function phaseVerdicts(plan: CompiledPlan, facts: Map<string, PhaseFacts>): Map<string, PhaseVerdict> {
  const verdicts = new Map<string, PhaseVerdict>();
  const empty: PhaseFacts = { counts: {}, approvalsWaiting: 0, stalledHandoffs: 0 };
  for (const phase of plan.phases) {
    const f = facts.get(phase.key) ?? empty;
    const total = Object.values(f.counts).reduce((n, c) => n + (c ?? 0), 0);
    const counted = total - count(f, 'cancelled');
    const done = count(f, 'done');
    const progress = counted > 0 ? done / counted : 0;
    const open = counted - done;
    const blockedBy: string[] = [];
    for (const dep of phase.dependsOn) {
      const depVerdict = verdicts.get(dep);
      if (depVerdict && depVerdict.state !== 'done') {
        const depName = plan.phases.find((p) => p.key === dep)?.name ?? dep;
        blockedBy.push(`waits for phase "${depName}"`);
      }
    }
    const blockedItems = count(f, 'blocked');
    let state: PhaseState;
    if (counted > 0 && open === 0 && f.approvalsWaiting === 0) state = 'done';
    else if (counted === 0) state = blockedBy.length > 0 ? 'blocked' : 'not_started';
    else if (blockedBy.length > 0 && open > 0) state = 'blocked';
    else if (blockedItems > 0 && blockedItems === open) {
      state = 'blocked';
      blockedBy.push(`${blockedItems} blocked item${blockedItems === 1 ? '' : 's'}`);
    } else if (count(f, 'in_progress', 'in_review', 'done', 'blocked') > 0) state = 'active';
    else state = 'not_started';
    verdicts.set(phase.key, { state, progress, total, blockedBy });
  }
  return verdicts;
}

export interface PlanVerdict {
  health: PlanHealth;
  reason: string;
  currentPhase: PlanPhase | null;
}

/** On track, at risk or off track, with the reason an exec would ask for. */
export function planVerdict(
  plan: CompiledPlan,
  verdicts: Map<string, PhaseVerdict>,
  totals: { stalledHandoffs: number; approvalsWaiting: number },
  today: string,
): PlanVerdict {
  const currentPhase = plan.phases.find((p) => verdicts.get(p.key)?.state !== 'done') ?? null;
  if (!currentPhase)
    return { health: 'done', reason: 'every phase met its exit criteria', currentPhase: null };
  const late = plan.phases.filter((p) => p.dueOn && p.dueOn < today && verdicts.get(p.key)?.state !== 'done');
  if (plan.targetDate && plan.targetDate < today) {
    return { health: 'off_track', reason: `target date ${plan.targetDate} has passed`, currentPhase };
  }
  if (late.length > 0) {
    return {
      health: 'off_track',
      reason: `phase "${late[0].name}" is past its due date ${late[0].dueOn}`,
      currentPhase,
    };
  }
  const blocked = plan.phases.find(
    (p) => verdicts.get(p.key)?.state === 'blocked' && p.key === currentPhase.key,
  );
  if (blocked) {
    return {
      health: 'at_risk',
      reason: `phase "${blocked.name}" is blocked: ${verdicts.get(blocked.key)!.blockedBy.join(', ')}`,
      currentPhase,
    };
  }
  if (totals.stalledHandoffs > 0) {
    const n = totals.stalledHandoffs;
    return { health: 'at_risk', reason: `${n} handoff${n === 1 ? '' : 's'} stalled past SLA`, currentPhase };
  }
  return { health: 'on_track', reason: 'no phase late, nothing stalled', currentPhase };
}
