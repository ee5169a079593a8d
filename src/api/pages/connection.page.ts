import type { ConnectionHealth } from '../../store/connection-health.repository.js';
import type { ConnectionItem } from '../../store/connection-items.repository.js';
import { duration, plural, toolName, when } from './format.js';
import { type Html, html, segment } from './html.js';
import { itemLink } from './item-link.js';
import { layout } from './layout.js';

export interface ConnectionView {
  health: ConnectionHealth;
  recent: ConnectionItem[];
  uncaught: { items: ConnectionItem[]; total: number; capped: boolean };
  now: Date;
}

const at = (date: Date | null) => (date ? when(date.toISOString()) : html`<span class="none">never</span>`);

function rateLimit(value: unknown): Html {
  const state = value as { limit?: number; remaining?: number; resetAt?: string } | null;
  if (!state || state.remaining === undefined) return html`<span class="none">not reported</span>`;
  return html`${state.remaining} of ${state.limit ?? '?'} requests left${state.resetAt ? html`, resets ${when(state.resetAt)}` : ''}`;
}

function health({ connection: c, items, inbox }: ConnectionHealth, now: Date): Html {
  const lag = c.last_success_at ? (now.getTime() - c.last_success_at.getTime()) / 3_600_000 : null;
  return html`<dl class="facts">
<dt>Tool</dt><dd>${toolName(c.kind)}</dd>
<dt>Health</dt><dd><strong>${c.health}</strong></dd>
<dt>Last sync</dt><dd>${at(c.last_sync_at)}</dd>
<dt>Last success</dt><dd>${at(c.last_success_at)}${lag !== null ? html` <span class="note">(${duration(lag)} ago)</span>` : ''}</dd>
<dt>Last error</dt><dd>${c.last_error ? html`<code>${c.last_error_code ?? 'error'}</code> ${c.last_error}${c.last_error_at ? html` at ${when(c.last_error_at.toISOString())}` : ''}` : html`<span class="none">none</span>`}</dd>
<dt>Rate limit</dt><dd>${rateLimit(c.rate_limit)}</dd>
<dt>Webhook inbox</dt><dd>${inbox.pending} pending, ${inbox.failed} failed</dd>
<dt>Items held</dt><dd>${items}</dd>
</dl>`;
}

function itemRows(items: ConnectionItem[], placed: boolean): Html[] {
  return items.map(
    (i) =>
      html`<tr><th scope="row">${itemLink(i)}</th><td>${i.kind}</td><td>${i.raw_state}${i.deleted ? ' (deleted)' : ''}</td><td>${i.container ?? ''}</td><td>${i.labels.join(', ')}</td>${
        placed
          ? html`<td>${i.placements.length === 0 ? html`<strong>no plan</strong>` : i.placements.map((p, n) => html`${n > 0 ? ', ' : ''}<a href="/plans/${segment(p.plan)}#phase-${p.phase}">${p.plan} › ${p.phase}</a>`)}</td>`
          : ''
      }<td>${when(i.last_changed_at.toISOString())}</td></tr>`,
  );
}

const head = (placed: boolean) =>
  html`<thead><tr><th scope="col">Item</th><th scope="col">Kind</th><th scope="col">State in the tool</th><th scope="col">Container</th><th scope="col">Labels</th>${placed ? html`<th scope="col">Placed in</th>` : ''}<th scope="col">Changed</th></tr></thead>`;

/** GET /connections/:name — is the feed healthy, what came in lately, what no plan caught. */
export function connectionPage(view: ConnectionView): Html {
  const { connection } = view.health;
  const { uncaught } = view;
  const total = `${uncaught.capped ? 'more than ' : ''}${uncaught.total}`;
  const body = html`<h1>Connection ${connection.name}</h1>
<section aria-labelledby="health-heading"><h2 id="health-heading">Health</h2>${health(view.health, view.now)}</section>
<section aria-labelledby="uncaught-heading"><h2 id="uncaught-heading">Items no plan caught</h2>
<p class="note">${total} live ${uncaught.total === 1 ? 'item matches' : 'items match'} no selector of any plan. If one belongs to a phase, add or fix a selector for connection “${connection.name}” in mappings/*.yaml (<code>baton mappings check --dry-run</code> shows what each selector catches).</p>
${uncaught.items.length > 0 ? html`<table><caption>Newest ${plural(uncaught.items.length, 'item')} without a phase</caption>${head(false)}<tbody>${itemRows(uncaught.items, false)}</tbody></table>` : ''}
</section>
<section aria-labelledby="recent-heading"><h2 id="recent-heading">Recent items</h2>
${view.recent.length > 0 ? html`<table><caption>The ${plural(view.recent.length, 'item')} changed most recently</caption>${head(true)}<tbody>${itemRows(view.recent, true)}</tbody></table>` : html`<p class="none">No items yet.</p>`}
</section>`;
  return layout({
    title: `Connection ${connection.name}`,
    body,
    json: '/api/connections',
    generatedAt: view.now.toISOString(),
  });
}
