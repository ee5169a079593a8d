import { type Html, html } from './html.js';

/** Words for states, so a state is never shown by colour alone. */
const PLAN_STATES: Record<string, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  done: 'Done',
};
const PHASE_STATES: Record<string, string> = {
  not_started: 'Not started',
  active: 'Moving',
  blocked: 'Blocked',
  done: 'Done',
};
const ITEM_STATES: Record<string, string> = {
  todo: 'to do',
  in_progress: 'in progress',
  in_review: 'in review',
  blocked: 'blocked',
  done: 'done',
  cancelled: 'cancelled',
};
const HANDOFF_KINDS: Record<string, string> = {
  review: 'review requested',
  approval: 'approval requested',
  assignment: 'assigned',
  comment: 'comment assigned',
  reply: 'reply awaited',
  changes: 'changes requested',
};
const TOOLS: Record<string, string> = {
  jira: 'Jira',
  github: 'GitHub',
  outlook: 'Outlook',
  drive: 'Google Drive',
};

export const toolName = (source: string) => TOOLS[source] ?? source;
export const handoffKindName = (kind: string) => HANDOFF_KINDS[kind] ?? kind;
export const itemStateName = (state: string) => ITEM_STATES[state] ?? state;

/** A state as a labelled badge: the class carries the colour, the text carries the meaning. */
export function planStateBadge(state: string): Html {
  return html`<span class="state state-${state}">${PLAN_STATES[state] ?? state}</span>`;
}

export function phaseStateBadge(state: string): Html {
  return html`<span class="state phase-${state}">${PHASE_STATES[state] ?? state}</span>`;
}

/** "3 h", "2 d 5 h": how long someone has been waiting, in calendar time. */
export function duration(hours: number): string {
  if (hours < 1) return 'under 1 h';
  const whole = Math.floor(hours);
  if (whole < 48) return `${whole} h`;
  const days = Math.floor(whole / 24);
  const rest = whole % 24;
  return rest === 0 ? `${days} d` : `${days} d ${rest} h`;
}

/** An instant, shown in UTC (the page is shared across time zones), machine-readable too. */
export function when(iso: string): Html {
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return html`<time datetime="${iso}">${text}</time>`;
}

/** A calendar day from a plan file (YYYY-MM-DD), or a dash. */
export function day(date: string | null | undefined): Html {
  return date ? html`<time datetime="${date}">${date}</time>` : html`<span class="none">not set</span>`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
