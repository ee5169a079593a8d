import type { PlanStatus } from '../plan-status.js';
import { day, planStateBadge } from './format.js';
import { type Html, html } from './html.js';

const list = (items: string[], empty: string) =>
  items.length === 0
    ? html`<p class="none">${empty}</p>`
    : html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;

/** The plan's boundaries and verdict: outcome, scope in/out, success criteria, who decides. */
export function planHeader(status: PlanStatus): Html {
  const { plan, totals } = status;
  const current = status.phases.find((p) => p.key === plan.currentPhase);
  return html`<header class="plan-head">
<h1>${plan.title}</h1>
<p class="verdict">${planStateBadge(plan.state)} <span>${plan.reason}</span></p>
<dl class="facts">
<dt>Outcome</dt><dd>${plan.outcome}</dd>
<dt>Owner</dt><dd>${plan.owner.name}</dd>
<dt>Decision-makers</dt><dd>${plan.decisionMakers.map((p) => p.name).join(', ') || html`<span class="none">none named</span>`}</dd>
<dt>Current phase</dt><dd>${current ? current.name : html`<span class="none">all phases done</span>`}</dd>
<dt>Starts on</dt><dd>${day(plan.startsOn)}</dd>
<dt>Target date</dt><dd>${day(plan.targetDate)}</dd>
</dl>
<ul class="totals" aria-label="Totals">
<li><strong>${totals.items}</strong> ${totals.items === 1 ? 'item' : 'items'} mapped</li>
<li><strong>${totals.approvalsWaiting}</strong> ${totals.approvalsWaiting === 1 ? 'approval' : 'approvals'} waiting</li>
<li><strong>${totals.stalledHandoffs}</strong> stalled ${totals.stalledHandoffs === 1 ? 'handoff' : 'handoffs'}</li>
<li><strong>${totals.openHandoffs}</strong> open ${totals.openHandoffs === 1 ? 'handoff' : 'handoffs'}</li>
</ul>
</header>
<section aria-labelledby="scope-heading">
<h2 id="scope-heading">Scope and success</h2>
<div class="columns">
<div><h3>In scope</h3>${list(plan.scope.in, 'Nothing listed.')}</div>
<div><h3>Out of scope</h3>${list(plan.scope.out, 'Nothing listed.')}</div>
<div><h3>Success criteria</h3>${list(plan.successCriteria, 'None written down yet.')}</div>
<div><h3>Constraints</h3>${list(plan.constraints, 'None written down.')}</div>
</div>
</section>`;
}
