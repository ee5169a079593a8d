/** Atlassian Document Format (ADF): reading comment bodies and writing alert comments. */

// Type aliases (not interfaces) so jira.js's `Record<string, any>` content type accepts them.
type AdfNode = {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
};

export type AdfDocument = {
  type: 'doc';
  version: 1;
  content: AdfNode[];
};

const BLOCKS = new Set(['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock', 'tableCell']);
const WIKI_MENTION = /\[~accountid:([^\]\s]+)\]/g;

/** Plain text of a comment body, whether ADF (REST v3) or wiki text (webhook payloads). */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body.replace(WIKI_MENTION, '@$1');
  const parts: string[] = [];
  const walk = (node: AdfNode) => {
    if (node.type === 'text' && node.text) parts.push(node.text);
    if (node.type === 'mention') parts.push(String(node.attrs?.text ?? ''));
    if (node.type === 'hardBreak') parts.push('\n');
    for (const child of node.content ?? []) walk(child);
    if (BLOCKS.has(node.type)) parts.push('\n');
  };
  if (isNode(body)) walk(body);
  return parts.join('').trim();
}

/** Account ids mentioned in a comment body, in order of appearance. */
export function mentionedAccounts(body: unknown): string[] {
  if (typeof body === 'string') return [...body.matchAll(WIKI_MENTION)].map((m) => m[1]);
  const ids: string[] = [];
  const walk = (node: AdfNode) => {
    if (node.type === 'mention' && typeof node.attrs?.id === 'string') ids.push(node.attrs.id);
    for (const child of node.content ?? []) walk(child);
  };
  if (isNode(body)) walk(body);
  return ids;
}

function isNode(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null && typeof (value as AdfNode).type === 'string';
}

/**
 * An alert as a Jira comment: a mention (so Jira notifies the person), the text — one paragraph
 * per blank-line-separated block — and a link to Baton's status page.
 */
export function alertDocument(input: {
  accountId?: string;
  name: string;
  text: string;
  statusUrl: string;
}): AdfDocument {
  const blocks = input.text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  const lead: AdfNode[] = input.accountId
    ? [
        { type: 'mention', attrs: { id: input.accountId, text: `@${input.name}` } },
        { type: 'text', text: ' ' },
      ]
    : [{ type: 'text', text: `${input.name}: ` }];
  const paragraphs: AdfNode[] = (blocks.length > 0 ? blocks : ['']).map((block, index) => ({
    type: 'paragraph',
    content: [...(index === 0 ? lead : []), ...lines(block)],
  }));
  paragraphs.push({
    type: 'paragraph',
    content: [
      {
        type: 'text',
        text: 'Open the plan status in Baton',
        marks: [{ type: 'link', attrs: { href: input.statusUrl } }],
      },
    ],
  });
  return { type: 'doc', version: 1, content: paragraphs };
}

function lines(block: string): AdfNode[] {
  const out: AdfNode[] = [];
  block.split('\n').forEach((line, index) => {
    if (index > 0) out.push({ type: 'hardBreak' });
    if (line) out.push({ type: 'text', text: line });
  });
  return out;
}
