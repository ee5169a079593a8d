import type { HandoffKind } from './baton-state.js';
import {
  addBusinessMinutes,
  addWorkingDays,
  DEFAULT_WORKING_HOURS,
  type WorkingCalendar,
  workingCalendar,
} from './business-hours.js';
import type { CompiledPlan, HandoffPolicy } from './plan.js';

/**
 * When a handoff of this kind, opened at `openedAt`, passes its SLA, counted in the receiver's
 * business time. Null when the plan sets no SLA for the kind.
 */
export function slaDueAt(
  openedAt: Date,
  kind: HandoffKind,
  policy: HandoffPolicy,
  calendar: WorkingCalendar,
): Date | null {
  const minutes = policy.slaMinutes[kind];
  if (minutes !== undefined) return addBusinessMinutes(openedAt, minutes, calendar);
  const days = policy.slaDays[kind];
  if (days !== undefined) return addWorkingDays(openedAt, days, calendar);
  return null;
}

/**
 * A person's calendar in a plan: their own working hours (the plan's default when they have
 * none, Mon–Fri 09:00–17:00 UTC when the plan has none either), their days off and the plan's.
 * A person Baton does not know (null key) gets the plan's default.
 */
export function personCalendar(plan: CompiledPlan, personKey: string | null): WorkingCalendar {
  let byPerson = planCalendars.get(plan);
  if (!byPerson) {
    byPerson = new Map();
    planCalendars.set(plan, byPerson);
  }
  const key = personKey ?? '';
  let calendar = byPerson.get(key);
  if (!calendar) {
    const person = personKey === null ? undefined : plan.people.find((p) => p.key === personKey);
    const hours = person?.workingHours ?? plan.workingHours ?? DEFAULT_WORKING_HOURS;
    calendar = workingCalendar(hours, plan.daysOff);
    byPerson.set(key, calendar);
  }
  return calendar;
}

const planCalendars = new WeakMap<CompiledPlan, Map<string, WorkingCalendar>>();
