import type { ConnectionHealth } from '../../store/connection-health.repository.js';
import type { PlanStatus } from '../plan-status.js';
import { day, planStateBadge, toolName, when } from './format.js';
import { type Html, html, segment } from './html.js';
import { layout } from './layout.js';

function planRow(status: PlanStatus): Html {
  const { plan, totals } = status;
  const current = status.phases.find((p) => p.key === plan.currentPhase);
  return html`<tr>
<th scope="row"><a href="/plans/${segment(plan.key)}">${plan.title}</a></th>
<td>${planStateBadge(plan.state)}<br><span class="note">${plan.reason}</span></td>
<td>${current ? current.name : html`<span class="none">all phases done</span>`}</td>
<td>${day(plan.targetDate)}${current?.dueOn ? html`<br><span class="note">${current.name} due ${current.dueOn}</span>` : ''}</td>
<td class="num">${totals.stalledHandoffs}</td>
<td class="num">${totals.approvalsWaiting}</td>
</tr>`;
}

function connectionRow({ connection, items, inbox }: ConnectionHealth): Html {
  return html`<tr>
<th scope="row"><a href="/connections/${segment(connection.name)}">${connection.name}</a></th>
<td>${toolName(connection.kind)}</td>
<td>${connection.health}</td>
<td>${connection.last_success_at ? when(connection.last_success_at.toISOString()) : html`<span class="none">never</span>`}</td>
<td class="num">${items}</td>
<td class="num">${inbox.pending + inbox.failed}</td>
</tr>`;
}

/** GET /: every plan with its state and why, where it is, where it is heading, what waits. */
export function portfolioPage(statuses: PlanStatus[], connections: ConnectionHealth[], now: Date): Html {
  const plans =
    statuses.length === 0
      ? html`<p class="none">No plans loaded. Add a plan file under mappings/.</p>`
      : html`<table>
<caption>Every plan, its state and what waits on people</caption>
<thead><tr><th scope="col">Plan</th><th scope="col">State and reason</th><th scope="col">Current phase</th><th scope="col">Heading for</th><th scope="col" class="num">Stalled handoffs</th><th scope="col" class="num">Approvals waiting</th></tr></thead>
<tbody>${statuses.map(planRow)}</tbody>
</table>`;
  const body = html`<h1>All plans</h1>
<p class="note">What is moving, what is blocked and who holds the ball — across Jira, GitHub, Outlook and Google Drive.</p>
<section aria-labelledby="plans-heading"><h2 id="plans-heading">Plans and their state</h2>${plans}</section>
<section aria-labelledby="connections-heading"><h2 id="connections-heading">Connections</h2>
${
  connections.length === 0
    ? html`<p class="none">No connections configured.</p>`
    : html`<table>
<caption>Where the items come from</caption>
<thead><tr><th scope="col">Connection</th><th scope="col">Tool</th><th scope="col">Health</th><th scope="col">Last success</th><th scope="col" class="num">Items</th><th scope="col" class="num">Inbox waiting</th></tr></thead>
<tbody>${connections.map(connectionRow)}</tbody>
</table>`
}
</section>`;
  return layout({ title: 'Plans', body, json: '/api/plans', generatedAt: now.toISOString(), refresh: true });
}
