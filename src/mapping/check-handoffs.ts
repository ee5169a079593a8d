import { checkOutboundUrl } from '../config/outbound-url.js';
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
  // An outgoing webhook channel is a request Baton will make: refuse link-local and metadata hosts.
  handoffs.escalation.forEach((step, i) => {
    const channel = typeof step.channel === 'string' ? step.channel : undefined;
    if (!channel?.startsWith('webhook:')) return;
    const target = channel.slice('webhook:'.length);
    if (!/^https?:\/\//i.test(target)) return; // a connection name, checked with connections
    const check = checkOutboundUrl(target);
    if (!check.ok)
      out.push(issue('forbidden_webhook_url', ['handoffs', 'escalation', i, 'channel'], check.reason));
  });
  return out;
}
