import {
  addBusinessMinutes,
  businessMinutesBetween,
  type WorkingCalendar,
  workingWindowAt,
} from './business-hours.js';
import type { CompiledPlan, EscalationLevel, PlanPerson } from './plan.js';

/**
 * The escalation ladder of one handoff: level N fires once `after` × SLA of the receiver's
 * business time has passed since the handoff opened. Pure: the evaluation job feeds it rows
 * and stores what it answers.
 */

export interface EscalationStep extends EscalationLevel {
  at: Date;
}

export interface HandoffClock {
  openedAt: Date;
  slaDueAt: Date;
  /** Highest level already fired (0 = none). */
  level: number;
  stalledAt: Date | null;
  snoozedUntil: Date | null;
  ackedAt: Date | null;
}

export interface Evaluation {
  level: number;
  stalledAt: Date | null;
  /** When the handoff needs looking at again; null when nothing more can happen. */
  nextCheckAt: Date | null;
  /** Levels reached now and not fired before, lowest first. */
  fire: EscalationStep[];
}

/** When each level fires, in level order. */
export function ladder(
  openedAt: Date,
  slaDueAt: Date,
  levels: readonly EscalationLevel[],
  calendar: WorkingCalendar,
): EscalationStep[] {
  const sla = businessMinutesBetween(openedAt, slaDueAt, calendar);
  return [...levels]
    .sort((a, b) => a.level - b.level)
    .map((level) => ({ ...level, at: addBusinessMinutes(openedAt, level.after * sla, calendar) }));
}

/**
 * What is due for a handoff at `now`. Snoozed: nothing fires until the snooze ends, then the
 * levels reached meanwhile fire. Acknowledged: nothing fires again. In digest plans a stalled
 * handoff is looked at again at the start of each of the receiver's working days, so it goes
 * into every daily digest until it closes.
 */
export function evaluateHandoff(
  clock: HandoffClock,
  levels: readonly EscalationLevel[],
  calendar: WorkingCalendar,
  now: Date,
  options: { digest?: boolean } = {},
): Evaluation {
  const stalled = clock.slaDueAt.getTime() <= now.getTime();
  const stalledAt = clock.stalledAt ?? (stalled ? clock.slaDueAt : null);
  if (clock.ackedAt) return { level: clock.level, stalledAt, nextCheckAt: null, fire: [] };

  const steps = ladder(clock.openedAt, clock.slaDueAt, levels, calendar);
  const snoozed = clock.snoozedUntil !== null && clock.snoozedUntil.getTime() > now.getTime();
  const fire = snoozed ? [] : steps.filter((s) => s.level > clock.level && s.at.getTime() <= now.getTime());
  const level = Math.max(clock.level, ...fire.map((s) => s.level));

  const candidates: number[] = [];
  const nextStep = steps.find((s) => s.level > level);
  if (nextStep) candidates.push(nextStep.at.getTime());
  if (!stalled) candidates.push(clock.slaDueAt.getTime());
  if (options.digest && stalled && level > 0) {
    const today = workingWindowAt(now, calendar);
    const after = today.start > now.getTime() ? today : workingWindowAt(new Date(today.end), calendar);
    candidates.push(after.start);
  }
  let next = candidates.length > 0 ? Math.min(...candidates) : null;
  if (next !== null && snoozed) next = Math.max(next, clock.snoozedUntil!.getTime());
  return { level, stalledAt, nextCheckAt: next === null ? null : new Date(next), fire };
}

export interface Recipient {
  /** Person key in the plan, or `tool:id` for someone the plan does not list. */
  key: string;
  name: string;
  email?: string;
  identities: { tool: string; id: string }[];
  /** Plan person key, for their calendar (null: the plan's default calendar). */
  person: string | null;
}

export interface HandoffParties {
  phase: string;
  toPerson: string | null;
  toName: string;
  toIdentity: { tool: string; id: string; email?: string };
}

export function recipientOfPerson(person: PlanPerson): Recipient {
  return {
    key: person.key,
    name: person.name,
    ...(person.email !== undefined && { email: person.email }),
    identities: Object.entries(person.identities).flatMap(([tool, ids]) => ids.map((id) => ({ tool, id }))),
    person: person.key,
  };
}

export function receiverOf(plan: CompiledPlan, handoff: HandoffParties): Recipient {
  const person = handoff.toPerson ? plan.people.find((p) => p.key === handoff.toPerson) : undefined;
  if (person) return recipientOfPerson(person);
  const { tool, id, email } = handoff.toIdentity;
  return {
    key: `${tool}:${id.toLowerCase()}`,
    name: handoff.toName,
    ...(email !== undefined && { email }),
    identities: [{ tool, id }],
    person: null,
  };
}

/** Who a level tells. Decision-makers are the phase's, else the plan's. */
export function recipientsFor(
  plan: CompiledPlan,
  handoff: HandoffParties,
  notify: EscalationLevel['notify'],
): Recipient[] {
  if (notify === 'receiver') return [receiverOf(plan, handoff)];
  const phase = plan.phases.find((p) => p.key === handoff.phase);
  const keys =
    notify === 'phase_owner'
      ? [phase?.owner ?? plan.owner]
      : notify === 'plan_owner'
        ? [plan.owner]
        : phase && phase.decisionMakers.length > 0
          ? phase.decisionMakers
          : plan.decisionMakers;
  return [...new Set(keys)]
    .map((key) => plan.people.find((p) => p.key === key))
    .filter((p): p is PlanPerson => p !== undefined)
    .map(recipientOfPerson);
}

/** What a level's recipient is told as, in the alert text. */
export const NOTIFY_ROLES: Record<EscalationLevel['notify'], string> = {
  receiver: 'the person it waits on',
  phase_owner: 'the phase owner',
  decision_maker: 'a decision-maker',
  plan_owner: 'the plan owner',
};

/**
 * Alerts are unique per handoff, level and channel; a level that tells several people (the
 * decision-makers) adds the person.
 */
export function alertDedupeKey(handoffId: string, level: number, channel: string, person?: string): string {
  return person === undefined
    ? `${handoffId}:${level}:${channel}`
    : `${handoffId}:${level}:${channel}:${person}`;
}

export function digestDedupeKey(person: string, date: string): string {
  return `digest:${person}:${date}`;
}
