import { createHash } from 'node:crypto';
import type { HandoffKind } from '../domain/baton-state.js';
import type { CompiledPlan, HandoffPolicy, PlanPerson, PlanPhase, WorkingHours } from '../domain/plan.js';
import { emailTools } from './check-people.js';
import { compileRules } from './compile-rules.js';
import { parseDuration } from './duration.js';
import type { MappingFile, MappingPerson, WorkingHoursInput } from './mapping-schema.js';

/**
 * A validated mapping file → the plan Baton runs. Assumes checkMapping found nothing: a
 * condition that does not compile here throws ConditionError.
 */
export function compilePlan(mapping: MappingFile, source: { file: string; text: string }): CompiledPlan {
  const { plan } = mapping;
  const planHours = plan.working_hours ? workingHours(plan.working_hours) : undefined;
  const { connections, ...rules } = compileRules(mapping.rules);
  return {
    key: plan.key,
    title: plan.title,
    outcome: plan.outcome,
    scope: { in: [...plan.scope.in], out: [...plan.scope.out] },
    successCriteria: [...plan.success_criteria],
    constraints: [...plan.constraints],
    ...(plan.starts_on !== undefined && { startsOn: plan.starts_on }),
    ...(plan.target_date !== undefined && { targetDate: plan.target_date }),
    owner: plan.owner,
    decisionMakers: [...plan.decision_makers],
    ...(planHours && { workingHours: planHours }),
    daysOff: [...plan.days_off],
    people: mapping.people.map((person) => planPerson(person, planHours)),
    phases: mapping.phases.map(
      (phase, position): PlanPhase => ({
        key: phase.key,
        name: phase.name,
        position,
        owner: phase.owner,
        inputs: [...phase.inputs],
        exitCriteria: [...phase.exit_criteria],
        dependsOn: [...phase.depends_on],
        ...(phase.starts_on !== undefined && { startsOn: phase.starts_on }),
        ...(phase.due_on !== undefined && { dueOn: phase.due_on }),
        reviewers: [...phase.reviewers],
        decisionMakers: [...phase.decision_makers],
      }),
    ),
    ...rules,
    handoffs: handoffPolicy(mapping.handoffs),
    connections,
    sourceFile: source.file,
    hash: createHash('sha256').update(source.text).digest('hex'),
  };
}

/** A person's effective working hours are their own, else the plan's. */
function planPerson(person: MappingPerson, planHours: WorkingHours | undefined): PlanPerson {
  const identities: Record<string, string[]> = {};
  for (const [tool, ids] of Object.entries(person.identities)) identities[tool] = [ids].flat();
  if (person.email) for (const tool of emailTools) identities[tool] ??= [person.email];
  const hours = person.working_hours ? workingHours(person.working_hours) : planHours;
  return {
    key: person.key,
    name: person.name,
    ...(person.email !== undefined && { email: person.email }),
    identities,
    ...(hours && { workingHours: hours }),
  };
}

function workingHours(input: WorkingHoursInput): WorkingHours {
  return {
    timezone: input.timezone,
    days: [...input.days],
    start: input.start,
    end: input.end,
    ...(input.holidays && {
      holidays: {
        country: input.holidays.country,
        ...(input.holidays.region !== undefined && { region: input.holidays.region }),
      },
    }),
    daysOff: [...input.days_off],
  };
}

function handoffPolicy(handoffs: MappingFile['handoffs']): HandoffPolicy {
  const slaMinutes: HandoffPolicy['slaMinutes'] = {};
  const slaDays: HandoffPolicy['slaDays'] = {};
  for (const [kind, text] of Object.entries(handoffs.sla) as [HandoffKind, string | undefined][]) {
    if (text === undefined) continue;
    const parsed = parseDuration(text);
    if (!parsed.ok) continue;
    if ('minutes' in parsed.duration) slaMinutes[kind] = parsed.duration.minutes;
    else slaDays[kind] = parsed.duration.days;
  }
  return {
    slaMinutes,
    slaDays,
    escalation: [...handoffs.escalation]
      .sort((a, b) => a.level - b.level)
      .map(({ level, after, notify, channel }) => ({ level, after, notify, channel })),
    quietOutsideWorkingHours: handoffs.quiet_outside_working_hours,
    digest: handoffs.digest,
  };
}
