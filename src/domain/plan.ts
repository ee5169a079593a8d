import type { BatonState, HandoffKind } from './baton-state.js';
import type { Identity, SourceRecord } from './source-record.js';

/**
 * A plan as Baton uses it: the mapping file after validation and compilation. Conditions are
 * already compiled to predicates; nothing here does I/O.
 */

export interface WorkingHours {
  timezone: string;
  days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  start: string;
  end: string;
  holidays?: { country: string; region?: string };
  daysOff: string[];
}

export interface PlanPerson {
  key: string;
  name: string;
  email?: string;
  /** tool → ids in that tool (github login, jira accountId, outlook/drive email). */
  identities: Record<string, string[]>;
  workingHours?: WorkingHours;
}

export interface PlanPhase {
  key: string;
  name: string;
  position: number;
  owner: string;
  inputs: string[];
  exitCriteria: string[];
  dependsOn: string[];
  startsOn?: string;
  dueOn?: string;
  reviewers: string[];
  decisionMakers: string[];
}

export type RecordPredicate = (record: SourceRecord) => boolean;

export interface CompiledSelector {
  connection: string;
  phase: string;
  matches: RecordPredicate;
}

export interface CompiledStateRule {
  connection?: string;
  /** Raw states, lower-cased. */
  raw?: string[];
  matches?: RecordPredicate;
  state: BatonState;
}

export interface CompiledApprovalRule {
  connection?: string;
  on: ('review_requested' | 'approval_requested')[];
  matches?: RecordPredicate;
}

export interface EscalationLevel {
  level: number;
  /** Multiple of the SLA. */
  after: number;
  notify: 'receiver' | 'phase_owner' | 'decision_maker' | 'plan_owner';
  channel: string;
}

export interface HandoffPolicy {
  /** SLA per kind in business minutes (a working day counts as the receiver's working-day length). */
  slaMinutes: Partial<Record<HandoffKind, number>>;
  /** SLA written in working days, per kind (kept so day-based SLAs count whole working days). */
  slaDays: Partial<Record<HandoffKind, number>>;
  escalation: EscalationLevel[];
  quietOutsideWorkingHours: boolean;
  digest: boolean;
}

export interface CompiledPlan {
  key: string;
  title: string;
  outcome: string;
  scope: { in: string[]; out: string[] };
  successCriteria: string[];
  constraints: string[];
  startsOn?: string;
  targetDate?: string;
  owner: string;
  decisionMakers: string[];
  workingHours?: WorkingHours;
  daysOff: string[];
  people: PlanPerson[];
  phases: PlanPhase[];
  selectors: CompiledSelector[];
  /** Connections whose unplaced records follow references into the referenced item's phase. */
  followReferences: string[];
  stateRules: CompiledStateRule[];
  approvalRules: CompiledApprovalRule[];
  handoffs: HandoffPolicy;
  /** Every connection the plan's rules name. */
  connections: string[];
  /** Where the plan came from, and a hash of the file's text (re-derive when it changes). */
  sourceFile: string;
  hash: string;
}

/** Finds the plan's person behind a tool identity (by tool id, then by email). */
export function personFor(plan: CompiledPlan, identity: Identity | undefined): PlanPerson | undefined {
  if (!identity) return undefined;
  const id = identity.id.toLowerCase();
  const email = identity.email?.toLowerCase();
  for (const person of plan.people) {
    const ids = person.identities[identity.tool];
    if (ids?.some((candidate) => candidate.toLowerCase() === id)) return person;
  }
  for (const person of plan.people) {
    const personEmail = person.email?.toLowerCase();
    if (personEmail && (personEmail === email || personEmail === id)) return person;
  }
  return undefined;
}
