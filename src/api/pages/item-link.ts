import { toolName } from './format.js';
import { type Html, html, webUrl } from './html.js';

export interface LinkableItem {
  key: string | null;
  title: string;
  url: string | null;
  source: string;
}

/**
 * An item as people know it in its tool: the tool's name, the key, the title, and a link back
 * to the tool when the item's URL is a web address. Any other URL is dropped, never linked.
 */
export function itemLink(item: LinkableItem): Html {
  const label = html`${item.key ? html`<span class="item-key">${item.key}</span> ` : ''}${item.title}`;
  const href = webUrl(item.url);
  const tool = html`<span class="tool">${toolName(item.source)}</span>`;
  return href
    ? html`${tool} <a class="item" href="${href}" rel="noopener noreferrer">${label}</a>`
    : html`${tool} <span class="item">${label}</span>`;
}
