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

interface PeopleIndex {
  byToolId: Map<string, PlanPerson>;
  byEmail: Map<string, PlanPerson>;
}

/** Built once per compiled plan: every record of every sync looks people up. */
const peopleIndexes = new WeakMap<CompiledPlan, PeopleIndex>();

function peopleIndex(plan: CompiledPlan): PeopleIndex {
  let index = peopleIndexes.get(plan);
  if (index) return index;
  index = { byToolId: new Map(), byEmail: new Map() };
  // The first person listed wins, as a scan in list order would.
  for (const person of plan.people) {
    for (const [tool, ids] of Object.entries(person.identities)) {
      for (const id of ids) {
        const key = `${tool}\u0000${id.toLowerCase()}`;
        if (!index.byToolId.has(key)) index.byToolId.set(key, person);
      }
    }
    const email = person.email?.toLowerCase();
    if (email && !index.byEmail.has(email)) index.byEmail.set(email, person);
  }
  peopleIndexes.set(plan, index);
  return index;
}

/** Finds the plan's person behind a tool identity (by tool id, then by email). */
export function personFor(plan: CompiledPlan, identity: Identity | undefined): PlanPerson | undefined {
  if (!identity) return undefined;
  const index = peopleIndex(plan);
  const id = identity.id.toLowerCase();
  const byId = index.byToolId.get(`${identity.tool}\u0000${id}`);
  if (byId) return byId;
  const email = identity.email?.toLowerCase();
  const byEmail = email ? index.byEmail.get(email) : undefined;
  const byIdAsEmail = index.byEmail.get(id);
  // Whoever comes first in the people list, as a scan in list order would find.
  if (byEmail && byIdAsEmail) {
    return plan.people.indexOf(byEmail) <= plan.people.indexOf(byIdAsEmail) ? byEmail : byIdAsEmail;
  }
  return byEmail ?? byIdAsEmail;
}
