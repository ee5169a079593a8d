/**
 * A typed `html` tagged template: every interpolated value is escaped unless it is already
 * `Html` (built by this template or marked trusted with `raw()`). External text — titles,
 * names, reasons from Jira, GitHub, Outlook, Drive — can therefore only ever reach a page as text.
 * Attribute values must be quoted (`href="${url}"`): escaping covers both quote kinds.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template accepts: text and numbers (escaped), fragments, lists, and nothing. */
export type HtmlValue = Html | string | number | false | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** Marks a fragment as trusted markup. Only for text written in this code base, never for data. */
export function raw(trusted: string): Html {
  return new Html(trusted);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** A link target only for http(s) URLs; anything else (javascript:, data:, relative) gets no link. */
export function webUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A path segment for Baton's own links (plan keys, connection names come from config files). */
export const segment = (value: string) => encodeURIComponent(value);
