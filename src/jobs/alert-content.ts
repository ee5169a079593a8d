import type { Kysely } from 'kysely';
import { digestText, handoffAlertText, type WaitingHandoff } from '../domain/alert-message.js';
import { businessMinutesBetween, isWorkingTime, nextWorkingInstant } from '../domain/business-hours.js';
import { NOTIFY_ROLES, type Recipient, receiverOf, recipientOfPerson } from '../domain/escalation.js';
import type { CompiledPlan } from '../domain/plan.js';
import { personCalendar } from '../domain/sla-clock.js';
import { digestHandoffs, findHandoff, type HandoffWithItem } from '../store/handoffs.repository.js';
import type { AlertRow, Database } from '../store/schema.js';
import type { Delivery } from './alert-channels.js';

/** What to do with a claimed alert, decided just before sending. */
export type Preparation =
  | { kind: 'send'; delivery: Delivery }
  | { kind: 'hold'; until: Date; reason: string }
  | { kind: 'withdraw'; reason: string };

export interface ContentServices {
  db: Kysely<Database>;
  plans: { get(key: string): CompiledPlan | undefined };
  publicUrl: string;
}

const partiesOf = (h: HandoffWithItem) => ({
  phase: h.phase_key,
  toPerson: h.to_person,
  toName: h.to_name,
  toIdentity: h.to_identity as { tool: string; id: string },
});

function waiting(plan: CompiledPlan, h: HandoffWithItem, now: Date): WaitingHandoff {
  const calendar = personCalendar(plan, h.to_person);
  return {
    kind: h.kind,
    item: { key: h.item_key, title: h.item_title ?? h.external_id, url: h.item_url },
    receiverName: h.to_name,
    openedAt: h.opened_at,
    waitingMinutes: businessMinutesBetween(h.opened_at, now, calendar),
    timezone: calendar.timezone,
    planKey: h.plan_key,
  };
}

function recipientOf(plan: CompiledPlan, alert: AlertRow, handoff?: HandoffWithItem): Recipient {
  const person = plan.people.find((p) => p.key === alert.recipient);
  if (person) return recipientOfPerson(person);
  if (handoff) {
    const receiver = receiverOf(plan, partiesOf(handoff));
    if (receiver.key === alert.recipient) return receiver;
  }
  return {
    key: alert.recipient,
    name: alert.recipient_name ?? alert.recipient,
    identities: [],
    person: null,
  };
}

/** Quiet hours are the recipient's: nobody is paged at night for a review. */
function quietHold(plan: CompiledPlan, recipient: Recipient, now: Date): Preparation | null {
  if (!plan.handoffs.quietOutsideWorkingHours) return null;
  const calendar = personCalendar(plan, recipient.person);
  if (isWorkingTime(now, calendar)) return null;
  return { kind: 'hold', until: nextWorkingInstant(now, calendar), reason: 'outside working hours' };
}

function target(recipient: Recipient, handoff?: HandoffWithItem) {
  return {
    externalId: handoff?.external_id ?? '',
    ...(handoff?.item_key && { key: handoff.item_key }),
    ...(handoff?.item_url && { url: handoff.item_url }),
    fields: (handoff?.item_fields as Record<string, unknown> | null) ?? {},
    person: {
      name: recipient.name,
      ...(recipient.email !== undefined && { email: recipient.email }),
      identities: recipient.identities,
    },
  };
}

export async function prepareHandoffAlert(
  services: ContentServices,
  alert: AlertRow,
  now: Date,
): Promise<Preparation> {
  const handoff = await findHandoff(services.db, { connection: alert.connection!, id: alert.handoff_id! });
  if (!handoff) return { kind: 'withdraw', reason: 'the handoff is gone' };
  if (handoff.closed_at) return { kind: 'withdraw', reason: 'the handoff closed' };
  if (handoff.acked_at) return { kind: 'withdraw', reason: 'the handoff was acknowledged' };
  if (handoff.snoozed_until && handoff.snoozed_until.getTime() > now.getTime())
    return { kind: 'hold', until: handoff.snoozed_until, reason: 'snoozed' };
  const plan = services.plans.get(alert.plan_key);
  if (!plan) return { kind: 'withdraw', reason: 'the plan is no longer loaded' };
  const recipient = recipientOf(plan, alert, handoff);
  const quiet = quietHold(plan, recipient, now);
  if (quiet) return quiet;
  const step = plan.handoffs.escalation.find((s) => s.level === alert.level);
  const facts = waiting(plan, handoff, now);
  const message = handoffAlertText(facts, {
    level: alert.level,
    role: NOTIFY_ROLES[step?.notify ?? 'receiver'],
    publicUrl: services.publicUrl,
  });
  return {
    kind: 'send',
    delivery: {
      connection: handoff.connection,
      target: target(recipient, handoff),
      message,
      context: {
        plan: plan.key,
        phase: handoff.phase_key,
        handoff: handoff.id,
        level: alert.level,
        item: facts.item,
        waitingOn: handoff.to_name,
        waitingBusinessMinutes: Math.floor(facts.waitingMinutes),
      },
    },
  };
}

export async function prepareDigest(
  services: ContentServices,
  alert: AlertRow,
  now: Date,
): Promise<Preparation> {
  const plan = services.plans.get(alert.plan_key);
  if (!plan) return { kind: 'withdraw', reason: 'the plan is no longer loaded' };
  const recipient = recipientOf(plan, alert);
  const quiet = quietHold(plan, recipient, now);
  if (quiet) return quiet;
  const listed = (await digestHandoffs(services.db, alert.recipient, now)).flatMap((h) => {
    const handoffPlan = services.plans.get(h.plan_key);
    return handoffPlan?.handoffs.digest ? [waiting(handoffPlan, h, now)] : [];
  });
  if (listed.length === 0) return { kind: 'withdraw', reason: 'nothing is waiting any more' };
  return {
    kind: 'send',
    delivery: {
      connection: null,
      target: target(recipient),
      message: digestText(recipient.name, listed, services.publicUrl),
      context: { digest: true, recipient: recipient.key, handoffs: listed.length },
    },
  };
}
