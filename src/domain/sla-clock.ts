import type { HandoffKind } from './baton-state.js';
import type { HandoffPolicy } from './plan.js';

/**
 * When a handoff of this kind, opened at `openedAt`, passes its SLA. Wall-clock for now; the
 * receiver's business hours replace it in the handoffs work (issue 7). Null when the plan sets no
 * SLA for the kind.
 */
export function slaDueAt(openedAt: Date, kind: HandoffKind, policy: HandoffPolicy): Date | null {
  const minutes = policy.slaMinutes[kind];
  if (minutes !== undefined) return new Date(openedAt.getTime() + minutes * 60_000);
  const days = policy.slaDays[kind];
  if (days !== undefined) return new Date(openedAt.getTime() + days * 24 * 3_600_000);
  return null;
}

/** How far past its SLA a handoff is, as a multiple of the SLA (0 before it is due). */
export function slaMultiple(openedAt: Date, dueAt: Date, now: Date): number {
  const sla = dueAt.getTime() - openedAt.getTime();
  if (sla <= 0) return 0;
  return Math.max(0, (now.getTime() - openedAt.getTime()) / sla);
}
