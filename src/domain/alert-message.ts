import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { HandoffKind } from './baton-state.js';

/** An alert as people read it: plain text; connectors format it for their tool. */
export interface AlertText {
  subject: string;
  text: string;
  statusUrl: string;
}

export interface WaitingHandoff {
  kind: string;
  item: { key: string | null; title: string; url: string | null };
  receiverName: string;
  openedAt: Date;
  /** Business minutes waited so far, in the receiver's working time. */
  waitingMinutes: number;
  /** The receiver's time zone, to say "since" in their clock. */
  timezone: string;
  planKey: string;
}

const KIND_NOUNS: Record<HandoffKind, string> = {
  review: 'review',
  approval: 'approval',
  assignment: 'assignment',
  comment: 'comment',
  reply: 'reply',
  changes: 'requested change',
};

export const statusUrl = (publicUrl: string, plan: string) =>
  `${publicUrl.replace(/\/+$/, '')}/plans/${encodeURIComponent(plan)}`;

/** "11 business hours", "45 business minutes": whole units, rounded down (never overstated). */
export function businessDuration(minutes: number): string {
  if (minutes < 60) {
    const m = Math.floor(minutes);
    return `${m} business ${m === 1 ? 'minute' : 'minutes'}`;
  }
  const h = Math.floor(minutes / 60);
  return `${h} business ${h === 1 ? 'hour' : 'hours'}`;
}

const itemName = (item: WaitingHandoff['item']) =>
  item.key ? `${item.key} "${item.title}"` : `"${item.title}"`;

const since = (h: WaitingHandoff) =>
  `${format(new TZDate(h.openedAt.getTime(), h.timezone), 'EEE d MMM yyyy HH:mm')} (${h.timezone})`;

const noun = (kind: string) => KIND_NOUNS[kind as HandoffKind] ?? kind;

export function handoffAlertText(
  handoff: WaitingHandoff,
  escalation: { level: number; role: string; publicUrl: string },
): AlertText {
  const url = statusUrl(escalation.publicUrl, handoff.planKey);
  const waiting = businessDuration(handoff.waitingMinutes);
  const lines = [
    `The ${noun(handoff.kind)} of ${itemName(handoff.item)} has been waiting on ${handoff.receiverName} since ${since(handoff)}: waiting ${waiting}.`,
    `Escalation level ${escalation.level}: you are told as ${escalation.role}.`,
    ...(handoff.item.url ? [`Item: ${handoff.item.url}`] : []),
    `Status: ${url}`,
  ];
  return {
    subject: `Stalled ${noun(handoff.kind)}: ${handoff.item.key ?? handoff.item.title} waiting on ${handoff.receiverName} (${waiting})`,
    text: lines.join('\n'),
    statusUrl: url,
  };
}

export function digestText(recipientName: string, handoffs: WaitingHandoff[], publicUrl: string): AlertText {
  const plans = [...new Set(handoffs.map((h) => h.planKey))];
  const lines = [
    `${recipientName}, ${handoffs.length} ${handoffs.length === 1 ? 'handoff is' : 'handoffs are'} stalled:`,
    ...handoffs.map((h) => {
      const who = h.receiverName === recipientName ? 'on you' : `on ${h.receiverName}`;
      const link = h.item.url ? ` ${h.item.url}` : '';
      return `- ${noun(h.kind)} of ${itemName(h.item)}, waiting ${who} since ${since(h)}: ${businessDuration(h.waitingMinutes)}.${link}`;
    }),
    ...plans.map((plan) => `Status: ${statusUrl(publicUrl, plan)}`),
  ];
  return {
    subject: `Baton daily digest: ${handoffs.length} stalled ${handoffs.length === 1 ? 'handoff' : 'handoffs'}`,
    text: lines.join('\n'),
    statusUrl: statusUrl(publicUrl, plans[0] ?? ''),
  };
}
