import { type Html, html } from './html.js';
import { layout } from './layout.js';

/** A 404 people can act on: what was not found, and the way back. */
export function notFoundPage(what: 'plan' | 'connection', name: string): Html {
  const body = html`<h1>No ${what} “${name}”</h1>
<p>Baton has no ${what} by that name. It may have been renamed in its ${what === 'plan' ? 'plan file under mappings/' : 'baton.yaml entry'}.</p>
<p><a href="/">See all plans</a></p>`;
  return layout({ title: `No ${what} ${name}`, body });
}
