import type { PlanStatus } from '../plan-status.js';
import { when } from './format.js';
import { type Html, html } from './html.js';
import { itemLink } from './item-link.js';

type Change = PlanStatus['recentChanges'][number];

const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
};

/** One line per changed field, from the event's `changes` ({ field: [before, after] }). */
function describe(change: Change): string {
  if (change.kind !== 'updated') return change.kind;
  const fields = Object.entries((change.changes ?? {}) as Record<string, [unknown, unknown]>);
  if (fields.length === 0) return 'updated';
  return fields
    .map(([field, pair]) => {
      const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
      if (field === 'activity') return `${Number(after) - Number(before)} new activity`;
      return `${field}: ${show(before)} → ${show(after)}`;
    })
    .join('; ');
}

/** "What changed in the last 7 days": item history events of the plan's items, newest first. */
export function recentChanges(status: PlanStatus): Html {
  const phaseName = (key: string) => status.phases.find((p) => p.key === key)?.name ?? key;
  const rows = status.recentChanges.map(
    (c) =>
      html`<tr><td>${when(c.at)}</td><th scope="row">${itemLink(c.item)}</th><td>${phaseName(c.phase)}</td><td>${describe(c)}</td><td>${c.origin}</td></tr>`,
  );
  return html`<section aria-labelledby="changes-heading">
<h2 id="changes-heading">What changed in the last 7 days</h2>
${
  rows.length === 0
    ? html`<p class="none">Nothing changed in the last 7 days.</p>`
    : html`<table><caption>The latest ${rows.length} changes to this plan's items</caption>
<thead><tr><th scope="col">When</th><th scope="col">Item</th><th scope="col">Phase</th><th scope="col">Change</th><th scope="col">Seen by</th></tr></thead>
<tbody>${rows}</tbody></table>`
}
</section>`;
}
