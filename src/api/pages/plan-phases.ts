import type { BatonState } from '../../domain/baton-state.js';
import type { CompiledPlan } from '../../domain/plan.js';
import type { PlanStatus } from '../plan-status.js';
import { day, handoffKindName, itemStateName, phaseStateBadge, plural, when } from './format.js';
import { type Html, html } from './html.js';
import { itemLink } from './item-link.js';

type Phase = PlanStatus['phases'][number];

const STATE_ORDER: BatonState[] = ['in_progress', 'in_review', 'blocked', 'todo', 'done', 'cancelled'];

function progress(phase: Phase): Html {
  const counted = phase.items - (phase.counts.cancelled ?? 0);
  const done = phase.counts.done ?? 0;
  const percent = Math.round(phase.progress * 100);
  const breakdown = STATE_ORDER.filter((s) => phase.counts[s]).map(
    (s) => `${phase.counts[s]} ${itemStateName(s)}`,
  );
  return html`<div class="progress">
<progress max="100" value="${percent}" aria-label="${phase.name} progress">${percent}%</progress>
<span>${done} of ${counted} ${counted === 1 ? 'item' : 'items'} done (${percent}%)</span>
</div>
${breakdown.length > 0 ? html`<p class="note">${breakdown.join(' · ')}</p>` : ''}`;
}

function ball(phase: Phase): Html {
  const next = phase.nextOwner;
  if (!next && phase.state === 'done')
    return html`<p class="ball">Phase done: nobody is waiting on anyone.</p>`;
  if (!next)
    return html`<p class="ball">Next owner: <strong>${phase.owner.name}</strong> (phase owner); no open handoff.</p>`;
  return html`<p class="ball">Next owner: <strong>${next.name}</strong> holds the ball since ${when(next.since)} (${handoffKindName(next.kind)}) for ${itemLink(next.item)}</p>`;
}

const names = (plan: CompiledPlan, keys: string[]) =>
  keys.map((k) => plan.people.find((p) => p.key === k)?.name ?? k).join(', ');

function phaseItem(phase: Phase, status: PlanStatus, plan: CompiledPlan): Html {
  const declared = plan.phases.find((p) => p.key === phase.key);
  const after = phase.dependsOn.map((k) => status.phases.find((p) => p.key === k)?.name ?? k);
  const current = status.plan.currentPhase === phase.key;
  return html`<li class="phase is-${phase.state}${current ? ' phase-current' : ''}" id="phase-${phase.key}">
<div class="phase-head"><h3>${phase.position + 1}. ${phase.name}</h3> ${phaseStateBadge(phase.state)}${current ? html` <span class="note">current phase</span>` : ''}</div>
<p class="phase-meta">${after.length > 0 ? html`After ${after.join(', ')} · ` : ''}${phase.startsOn || phase.dueOn ? html`${day(phase.startsOn)} → ${day(phase.dueOn)}` : 'no dates set'}</p>
${phase.blockedBy.length > 0 ? html`<p><strong>Blocked:</strong> ${phase.blockedBy.join('; ')}</p>` : ''}
${progress(phase)}
<dl class="facts">
<dt>Owner</dt><dd>${phase.owner.name}</dd>
${declared && declared.decisionMakers.length > 0 ? html`<dt>Decides</dt><dd>${names(plan, declared.decisionMakers)}</dd>` : ''}
${declared && declared.reviewers.length > 0 ? html`<dt>Reviews</dt><dd>${names(plan, declared.reviewers)}</dd>` : ''}
<dt>Waiting</dt><dd>${plural(phase.approvalsWaitingTotal, 'approval')}, ${plural(phase.stalledHandoffsTotal, 'stalled handoff')}</dd>
</dl>
${ball(phase)}
<div class="columns">
<div><h4>Inputs</h4>${phase.inputs.length > 0 ? html`<ul>${phase.inputs.map((i) => html`<li>${i}</li>`)}</ul>` : html`<p class="none">None listed.</p>`}</div>
<div><h4>Exit criteria</h4>${phase.exitCriteria.length > 0 ? html`<ul>${phase.exitCriteria.map((c) => html`<li>${c}</li>`)}</ul>` : html`<p class="none">None listed.</p>`}</div>
</div>
</li>`;
}

/** The phases in order, as a timeline: state, progress, owner, who holds the ball, what ends it. */
export function phaseTimeline(status: PlanStatus, plan: CompiledPlan): Html {
  return html`<section aria-labelledby="phases-heading">
<h2 id="phases-heading">Phases</h2>
<ol class="timeline">${status.phases.map((phase) => phaseItem(phase, status, plan))}</ol>
</section>`;
}
