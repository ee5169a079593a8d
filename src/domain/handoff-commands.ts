import { addBusinessMinutes, addWorkingDays, type WorkingCalendar } from './business-hours.js';
import { refFor, refKey } from './person-ref.js';
import type { CompiledPlan } from './plan.js';
import type { Identity, SourceRecord } from './source-record.js';

/**
 * Commands people leave in the tool itself (`/baton snooze 1d`, `/baton ack`); connectors put
 * them in activity as `detail.command` without the `/baton ` prefix. Only the receiver's own
 * commands count, and only for handoffs already open when the command was written.
 */

export type SnoozeLength = { minutes: number } | { days: number };
export type HandoffCommand = { kind: 'snooze'; length: SnoozeLength } | { kind: 'ack' };

const LENGTH = /^(\d+)\s*(m|h|d)$/;

/** `30m`, `4h`, `2d` (business time of the receiver); null when it is not one. */
export function parseSnoozeLength(text: string): SnoozeLength | null {
  const match = LENGTH.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  if (amount < 1 || amount > 10_000) return null;
  if (match[2] === 'd') return amount <= 90 ? { days: amount } : null;
  return { minutes: match[2] === 'h' ? amount * 60 : amount };
}

export function parseHandoffCommand(text: string): HandoffCommand | null {
  const [verb, ...rest] = text.trim().toLowerCase().split(/\s+/);
  if ((verb === 'ack' || verb === 'acknowledge') && rest.length === 0) return { kind: 'ack' };
  if (verb !== 'snooze' || rest.length > 1) return null;
  const length = rest.length === 0 ? { days: 1 } : parseSnoozeLength(rest[0]);
  return length ? { kind: 'snooze', length } : null;
}

export function snoozeUntil(at: Date, length: SnoozeLength, calendar: WorkingCalendar): Date {
  return 'days' in length
    ? addWorkingDays(at, length.days, calendar)
    : addBusinessMinutes(at, length.minutes, calendar);
}

export interface CommandUse {
  actor: Identity;
  at: string;
  command: HandoffCommand;
}

/** Commands written on an item, in time order. */
export function commandsOf(record: SourceRecord): CommandUse[] {
  const uses: CommandUse[] = [];
  for (const activity of record.activity) {
    const text = activity.detail?.command;
    if (typeof text !== 'string' || !activity.actor) continue;
    const command = parseHandoffCommand(text);
    if (command) uses.push({ actor: activity.actor, at: activity.at, command });
  }
  return uses.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export interface OpenHandoff {
  id: string;
  /** Person key, or `tool:id` for a receiver the plan does not list (as refKey). */
  receiverKey: string;
  openedAt: Date;
  snoozedUntil: Date | null;
  ackedAt: Date | null;
  calendar: WorkingCalendar;
}

export interface CommandEffects {
  snoozes: { id: string; until: Date }[];
  acks: { id: string; at: Date }[];
}

/**
 * What the commands on one item do to its open handoffs. Deterministic in the record, so a
 * replayed record changes nothing: a snooze only ever extends, an ack keeps its first time.
 */
export function commandEffects(
  plan: CompiledPlan,
  record: SourceRecord,
  open: OpenHandoff[],
): CommandEffects {
  const effects: CommandEffects = { snoozes: [], acks: [] };
  const uses = commandsOf(record);
  if (uses.length === 0) return effects;
  for (const handoff of open) {
    const mine = uses.filter(
      (u) =>
        refKey(refFor(plan, u.actor)) === handoff.receiverKey &&
        Date.parse(u.at) >= handoff.openedAt.getTime(),
    );
    const ack = mine.find((u) => u.command.kind === 'ack');
    if (ack && !handoff.ackedAt) effects.acks.push({ id: handoff.id, at: new Date(ack.at) });
    const snooze = mine.filter((u) => u.command.kind === 'snooze').at(-1);
    if (snooze?.command.kind === 'snooze') {
      const until = snoozeUntil(new Date(snooze.at), snooze.command.length, handoff.calendar);
      if (!handoff.snoozedUntil || until.getTime() > handoff.snoozedUntil.getTime())
        effects.snoozes.push({ id: handoff.id, until });
    }
  }
  return effects;
}
