import { parseDuration } from './duration.js';
import { issue, type MappingIssue } from './mapping-error.js';
import type { MappingSections } from './mapping-sections.js';

export function checkHandoffs({ handoffs }: MappingSections): MappingIssue[] {
  const out: MappingIssue[] = [];
  for (const [kind, text] of handoffs.sla) {
    const parsed = parseDuration(text);
    if (!parsed.ok) out.push(issue('bad_duration', ['handoffs', 'sla', kind], parsed.reason));
  }
  const byLevel = new Map<number, number>();
  handoffs.escalation.forEach((step, i) => {
    if (step.level === undefined) return;
    const first = byLevel.get(step.level);
    if (first === undefined) byLevel.set(step.level, i);
    else {
      const detail = `level ${step.level} is already defined by escalation[${first}]`;
      out.push(issue('duplicate_escalation_level', ['handoffs', 'escalation', i, 'level'], detail));
    }
  });
  // A higher level must fire later, or the ladder would skip rungs.
  const ladder = [...byLevel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, index]) => ({ level, index, after: handoffs.escalation[index].after }));
  for (let k = 1; k < ladder.length; k++) {
    const lower = ladder[k - 1];
    const step = ladder[k];
    if (lower.after !== undefined && step.after !== undefined && step.after <= lower.after) {
      const detail = `level ${step.level} fires at ${step.after}× the SLA, not later than level ${lower.level} (${lower.after}×)`;
      out.push(issue('escalation_order', ['handoffs', 'escalation', step.index, 'after'], detail));
    }
  }
  return out;
}
