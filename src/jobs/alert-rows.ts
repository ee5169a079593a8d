import { isWorkingTime, nextWorkingInstant, workingWindowAt } from '../domain/business-hours.js';
import {
  alertDedupeKey,
  digestDedupeKey,
  type Evaluation,
  type HandoffParties,
  type Recipient,
  recipientsFor,
} from '../domain/escalation.js';
import type { CompiledPlan } from '../domain/plan.js';
import { personCalendar } from '../domain/sla-clock.js';
import type { DueHandoff } from '../store/handoffs.repository.js';
import type { NewAlert } from '../store/schema.js';

const partiesOf = (row: DueHandoff): HandoffParties => ({
  phase: row.phase_key,
  toPerson: row.to_person,
  toName: row.to_name,
  toIdentity: row.to_identity as HandoffParties['toIdentity'],
});

/** The alert rows one evaluation asks for: per recipient, or into their daily digest. */
export function alertRows(
  plan: CompiledPlan,
  row: DueHandoff,
  evaluation: Evaluation,
  now: Date,
): NewAlert[] {
  const parties = partiesOf(row);
  const out: NewAlert[] = [];
  for (const step of evaluation.fire) {
    const recipients = recipientsFor(plan, parties, step.notify);
    for (const recipient of recipients) {
      const base = {
        kind: 'handoff',
        connection: row.connection,
        handoff_id: row.id,
        plan_key: plan.key,
        level: step.level,
        channel: step.channel,
        recipient: recipient.key,
        recipient_name: recipient.name,
        dedupe_key: alertDedupeKey(
          row.id,
          step.level,
          step.channel,
          recipients.length > 1 ? recipient.key : undefined,
        ),
      };
      if (plan.handoffs.digest) out.push({ ...base, status: 'digested', not_before: now });
      else out.push({ ...base, not_before: quietUntil(plan, recipient, now) });
    }
  }
  const waiting = evaluation.stalledAt !== null && !row.acked_at && evaluation.level > 0;
  const snoozed = row.snoozed_until && row.snoozed_until.getTime() > now.getTime();
  if (plan.handoffs.digest && waiting && !snoozed) out.push(...digestRows(plan, row, evaluation.level, now));
  return out;
}

/** Outside the recipient's working hours an alert is born held until their next working instant. */
function quietUntil(plan: CompiledPlan, recipient: Recipient, now: Date): Date {
  if (!plan.handoffs.quietOutsideWorkingHours) return now;
  const calendar = personCalendar(plan, recipient.person);
  return isWorkingTime(now, calendar) ? now : nextWorkingInstant(now, calendar);
}

/**
 * Makes sure everyone told about this handoff so far has today's digest (or the next working
 * day's) queued. One row per person per day: the digest lists their stalled handoffs when sent.
 */
function digestRows(plan: CompiledPlan, row: DueHandoff, level: number, now: Date): NewAlert[] {
  const channels = new Map<string, { recipient: Recipient; channel: string }>();
  const reached = plan.handoffs.escalation.filter((s) => s.level <= level).sort((a, b) => a.level - b.level);
  for (const step of reached) {
    for (const recipient of recipientsFor(plan, partiesOf(row), step.notify)) {
      // A digest is about many items: a comment on one of them is no place for it.
      const channel = step.channel === 'tool' ? 'email' : step.channel;
      if (!channels.has(recipient.key)) channels.set(recipient.key, { recipient, channel });
    }
  }
  return [...channels.values()].map(({ recipient, channel }) => {
    const window = workingWindowAt(now, personCalendar(plan, recipient.person));
    return {
      kind: 'digest',
      connection: null,
      handoff_id: null,
      plan_key: plan.key,
      level,
      channel,
      recipient: recipient.key,
      recipient_name: recipient.name,
      dedupe_key: digestDedupeKey(recipient.key, window.date),
      not_before: new Date(Math.max(now.getTime(), window.start)),
    };
  });
}
