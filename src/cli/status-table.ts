import type { PlanStatus } from '../api/plan-status.js';
import { textTable } from './text-table.js';

const COLOURS: Record<string, number> = {
  on_track: 32,
  done: 32,
  at_risk: 33,
  blocked: 31,
  off_track: 31,
  late: 31,
};

function hoursAgo(since: string, now: string): string {
  const hours = (Date.parse(now) - Date.parse(since)) / 3_600_000;
  return hours < 48 ? `${Math.max(0, Math.round(hours))}h` : `${Math.round(hours / 24)}d`;
}

/** `baton status <plan>`: the same status the API serves, as a table for a terminal. */
export function renderStatus(status: PlanStatus, colour = false): string {
  const paint = (text: string) => {
    const code = COLOURS[text];
    return colour && code ? `\u001b[${code}m${text}\u001b[0m` : text;
  };
  const { plan, totals } = status;
  const header = [
    `${plan.title} (${plan.key}): ${paint(plan.state)}: ${plan.reason}`,
    `owner ${plan.owner.name}` +
      (plan.targetDate ? `, target ${plan.targetDate}` : '') +
      (plan.currentPhase ? `, current phase ${plan.currentPhase}` : ''),
  ];
  const rows = status.phases.map((phase) => [
    phase.key,
    paint(phase.state),
    `${Math.round(phase.progress * 100)}%`,
    phase.owner.name,
    phase.nextOwner
      ? `${phase.nextOwner.name} (${phase.nextOwner.kind}, ${hoursAgo(phase.nextOwner.since, status.generatedAt)})`
      : '-',
    String(phase.approvalsWaitingTotal),
    String(phase.stalledHandoffsTotal),
  ]);
  const table = textTable(
    [
      { header: 'phase' },
      { header: 'state' },
      { header: 'progress', align: 'right' },
      { header: 'owner' },
      { header: 'next owner' },
      { header: 'approvals waiting', align: 'right' },
      { header: 'stalled handoffs', align: 'right' },
    ],
    rows,
  );
  const footer =
    `${totals.items} items, ${totals.openHandoffs} open handoffs, ${totals.stalledHandoffs} stalled, ` +
    `${totals.approvalsWaiting} approvals waiting (as of ${status.generatedAt})`;
  return [...header, '', table, '', footer].join('\n');
}
