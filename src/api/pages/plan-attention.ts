import type { CompiledPlan } from '../../domain/plan.js';
import type { PlanStatus } from '../plan-status.js';
import { duration, handoffKindName, when } from './format.js';
import { type Html, html, segment } from './html.js';
import { itemLink } from './item-link.js';

type Phase = PlanStatus['phases'][number];

const ESCALATION: Record<string, string> = {
  receiver: 'receiver reminded',
  phase_owner: 'phase owner told',
  decision_maker: 'decision-maker told',
  plan_owner: 'plan owner told',
};

function escalation(plan: CompiledPlan, level: number): string {
  if (level === 0) return 'not escalated yet';
  const step = plan.handoffs.escalation.find((l) => l.level === level);
  return step ? `level ${level}: ${ESCALATION[step.notify] ?? step.notify}` : `level ${level}`;
}

/** "Showing 5 of 12" with a way to the full list, when the status lists only the oldest. */
function more(phase: Phase, shown: number, total: number, href?: string): Html {
  if (total <= shown) return html``;
  const list = href ? html`: <a href="${href}">full list (JSON)</a>` : '';
  return html`<p class="note">${phase.name}: showing the oldest ${shown} of ${total}${list}.</p>`;
}

function table(caption: string, head: string[], rows: Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="none">${empty}</p>`;
  return html`<table><caption>${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** What needs someone now: blocked items, approvals waiting, handoffs past their SLA. */
export function attention(status: PlanStatus, plan: CompiledPlan): Html {
  const key = segment(status.plan.key);
  const phaseCell = (p: Phase) => html`<td><a href="#phase-${p.key}">${p.name}</a></td>`;
  const blocked = status.phases.flatMap((p) =>
    p.blocked.map(
      (b) =>
        html`<tr><th scope="row">${itemLink(b.item)}</th>${phaseCell(p)}<td>${b.reason ?? 'no reason given'}</td><td>${b.owner ?? 'nobody'}</td></tr>`,
    ),
  );
  // Longest wait first, across phases: the oldest ask is the one to chase.
  const approvals = status.phases
    .flatMap((p) => p.approvalsWaiting.map((a) => ({ p, a })))
    .sort((x, y) => y.a.waitingHours - x.a.waitingHours)
    .map(
      ({ p, a }) =>
        html`<tr><th scope="row">${itemLink(a.item)}</th>${phaseCell(p)}<td>${a.approver.name}</td><td>${a.requester ?? 'unknown'}</td><td>${when(a.since)}</td><td>${duration(a.waitingHours)}</td></tr>`,
    );
  const stalled = status.phases
    .flatMap((p) => p.stalledHandoffs.map((h) => ({ p, h })))
    .sort((x, y) => y.h.ageHours - x.h.ageHours)
    .map(
      ({ p, h }) =>
        html`<tr><th scope="row">${itemLink(h.item)}</th>${phaseCell(p)}<td>${handoffKindName(h.kind)}</td><td>${h.from ?? 'unknown'} → ${h.to.name}</td><td>${when(h.since)}</td><td>${duration(h.ageHours)}</td><td>${escalation(plan, h.level)}</td></tr>`,
    );
  const moreApprovals = status.phases.map((p) => more(p, p.approvalsWaiting.length, p.approvalsWaitingTotal));
  const moreStalled = status.phases.map((p) =>
    more(
      p,
      p.stalledHandoffs.length,
      p.stalledHandoffsTotal,
      `/api/handoffs?plan=${key}&phase=${segment(p.key)}&stalled=true`,
    ),
  );
  return html`<section aria-labelledby="blocked-heading">
<h2 id="blocked-heading">Blocked</h2>
${table('Items marked blocked, and why', ['Item', 'Phase', 'Why', 'Owner'], blocked, 'Nothing is blocked.')}
</section>
<section aria-labelledby="approvals-heading">
<h2 id="approvals-heading">Approvals waiting</h2>
${table('Decisions someone must make', ['Item', 'Phase', 'Approver', 'Requested by', 'Since', 'Waiting'], approvals, 'No approval is waiting.')}
${moreApprovals}
</section>
<section aria-labelledby="stalled-heading">
<h2 id="stalled-heading">Stalled handoffs</h2>
${table('Handoffs open past their SLA (business hours of the receiver)', ['Item', 'Phase', 'Handoff', 'From → to', 'Open since', 'Age', 'Escalation'], stalled, 'No handoff has stalled.')}
${moreStalled}
</section>`;
}
