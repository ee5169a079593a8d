import type { BatonState } from '../domain/baton-state.js';
import { type PhaseFacts, phaseVerdicts, planVerdict } from '../domain/phase-status.js';
import type { CompiledPlan } from '../domain/plan.js';
import type {
  ApprovalFact,
  ChangeFact,
  HandoffFact,
  ItemFact,
  ItemRef,
  PlanFacts,
} from '../store/status.repository.js';

export interface ItemLink {
  connection: string;
  externalId: string;
  key: string | null;
  title: string;
  url: string | null;
  source: string;
}

const link = (f: ItemRef): ItemLink => ({
  connection: f.connection,
  externalId: f.external_id,
  key: f.key,
  title: f.title,
  url: f.url,
  source: f.source,
});

const hoursBetween = (from: Date, to: Date) =>
  Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 10) / 10;

function personName(plan: CompiledPlan, key: string) {
  return { key, name: plan.people.find((p) => p.key === key)?.name ?? key };
}

const blockedItem = (f: ItemFact) => ({
  item: link(f),
  state: f.state,
  reason: f.blocked_reason,
  owner: f.owner_name,
});
const approvalWaiting = (f: ApprovalFact, now: Date) => ({
  id: f.id,
  item: link(f),
  approver: { person: f.approver_person, name: f.approver_name },
  requester: f.requester_name,
  since: f.requested_at.toISOString(),
  waitingHours: hoursBetween(f.requested_at, now),
});
const handoff = (f: HandoffFact, now: Date) => ({
  id: f.id,
  item: link(f),
  kind: f.kind,
  from: f.from_name,
  to: { person: f.to_person, name: f.to_name },
  since: f.opened_at.toISOString(),
  slaDueAt: f.sla_due_at?.toISOString() ?? null,
  ageHours: hoursBetween(f.opened_at, now),
  level: f.level,
});
const change = (f: ChangeFact) => ({
  at: f.at.toISOString(),
  kind: f.kind,
  origin: f.origin,
  phase: f.phase_key,
  changes: f.changes,
  item: link(f),
});

/** The plan's one unified status: the contract of GET /api/plans/:key/status and the page. */
export function assembleStatus(plan: CompiledPlan, facts: PlanFacts, now: Date) {
  const byPhase = new Map<string, PhaseFacts>();
  for (const phase of plan.phases) {
    byPhase.set(phase.key, {
      counts: {},
      approvalsWaiting: facts.approvalsWaitingByPhase.get(phase.key) ?? 0,
      stalledHandoffs: facts.stalledByPhase.get(phase.key) ?? 0,
    });
  }
  for (const c of facts.counts) {
    const f = byPhase.get(c.phase_key);
    if (f) f.counts[c.state as BatonState] = c.n;
  }
  const verdicts = phaseVerdicts(plan, byPhase);
  const stalledTotal = [...facts.stalledByPhase.values()].reduce((a, b) => a + b, 0);
  const approvalsTotal = [...facts.approvalsWaitingByPhase.values()].reduce((a, b) => a + b, 0);
  const verdict = planVerdict(
    plan,
    verdicts,
    { stalledHandoffs: stalledTotal, approvalsWaiting: approvalsTotal },
    now.toISOString().slice(0, 10),
  );

  const phases = plan.phases.map((phase) => {
    const v = verdicts.get(phase.key)!;
    const next = facts.nextOwners.find((h) => h.phase_key === phase.key);
    return {
      key: phase.key,
      name: phase.name,
      position: phase.position,
      state: v.state,
      progress: Math.round(v.progress * 1000) / 1000,
      items: v.total,
      counts: byPhase.get(phase.key)!.counts,
      owner: personName(plan, phase.owner),
      nextOwner: next
        ? {
            person: next.to_person,
            name: next.to_name,
            since: next.opened_at.toISOString(),
            kind: next.kind,
            item: link(next),
          }
        : null,
      dependsOn: phase.dependsOn,
      inputs: phase.inputs,
      exitCriteria: phase.exitCriteria,
      startsOn: phase.startsOn ?? null,
      dueOn: phase.dueOn ?? null,
      blockedBy: v.blockedBy,
      blocked: facts.blocked.filter((b) => b.phase_key === phase.key).map(blockedItem),
      approvalsWaiting: facts.approvals
        .filter((a) => a.phase_key === phase.key)
        .map((a) => approvalWaiting(a, now)),
      approvalsWaitingTotal: facts.approvalsWaitingByPhase.get(phase.key) ?? 0,
      stalledHandoffs: facts.stalled.filter((h) => h.phase_key === phase.key).map((h) => handoff(h, now)),
      stalledHandoffsTotal: facts.stalledByPhase.get(phase.key) ?? 0,
    };
  });

  return {
    plan: {
      key: plan.key,
      title: plan.title,
      outcome: plan.outcome,
      scope: plan.scope,
      successCriteria: plan.successCriteria,
      constraints: plan.constraints,
      owner: personName(plan, plan.owner),
      decisionMakers: plan.decisionMakers.map((k) => personName(plan, k)),
      startsOn: plan.startsOn ?? null,
      targetDate: plan.targetDate ?? null,
      state: verdict.health,
      reason: verdict.reason,
      currentPhase: verdict.currentPhase?.key ?? null,
    },
    phases,
    totals: {
      items: phases.reduce((n, p) => n + p.items, 0),
      approvalsWaiting: approvalsTotal,
      openHandoffs: facts.openHandoffs,
      stalledHandoffs: stalledTotal,
    },
    recentChanges: facts.recentChanges.map(change),
    generatedAt: now.toISOString(),
  };
}

export type PlanStatus = ReturnType<typeof assembleStatus>;
