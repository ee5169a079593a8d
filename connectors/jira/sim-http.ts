import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JqlError, parseJql } from './sim-jql.js';
import { type IssueStore, type Row, type SortKey, sortKeyOf } from './sim-store.js';
import type { WireIssue } from './sim-wire.js';

/** Request plumbing and the search endpoint of the Jira simulator. */

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export const TOKEN_LIFETIME_MS = 7 * 24 * 3600_000;

export function errorReply(status: number, message: string): Reply {
  return { status, body: { errorMessages: [message], errors: {} } };
}

export function send(res: ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Repeated or comma-separated query values (`fields=a&fields=b` or `fields=a,b`). */
export function listParam(values: unknown): string[] {
  const list = Array.isArray(values) ? values : values === undefined || values === null ? [] : [values];
  return list
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export interface SearchParams {
  jql?: string;
  nextPageToken?: string;
  maxResults?: number;
  fields: string[];
  expand: string[];
}

interface PageToken {
  q: string;
  k: SortKey;
  t: number;
}

const jqlHash = (jql: string) => createHash('sha1').update(jql).digest('hex').slice(0, 16);

/** `/rest/api/3/search/jql`: keyset paging behind an opaque token that expires after 7 days. */
export function searchJql(
  store: IssueStore,
  params: SearchParams,
  context: { base: string; timeZone: string; nowMs: number },
): Reply {
  const jql = params.jql ?? '';
  let query: ReturnType<typeof parseJql>;
  try {
    query = parseJql(jql, context.timeZone);
  } catch (error) {
    if (error instanceof JqlError) return errorReply(400, error.message);
    throw error;
  }
  let after: SortKey | null = null;
  if (params.nextPageToken) {
    const token = readToken(params.nextPageToken);
    if (!token || token.q !== jqlHash(jql) || context.nowMs - token.t > TOKEN_LIFETIME_MS) {
      return errorReply(400, 'The provided next page token is invalid or expired.');
    }
    after = token.k;
  }
  const idsOnly = params.fields.every((f) => f === 'id' || f === 'key');
  const limit = Math.max(1, Math.min(params.maxResults ?? 50, idsOnly ? 5000 : 100));
  const { rows, more } = store.search(query, after, limit);
  const changelog = params.expand.includes('changelog');
  const body: Record<string, unknown> = {
    issues: rows.map((row) => renderIssue(store, row, params.fields, changelog, context)),
    isLast: !more,
  };
  if (more) {
    const token: PageToken = {
      q: jqlHash(jql),
      k: sortKeyOf(rows[rows.length - 1], query.order),
      t: context.nowMs,
    };
    body.nextPageToken = Buffer.from(JSON.stringify(token)).toString('base64url');
  }
  return { status: 200, body };
}

function readToken(text: string): PageToken | null {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return typeof token?.q === 'string' && Array.isArray(token.k) && typeof token.t === 'number'
      ? token
      : null;
  } catch {
    return null;
  }
}

/** One issue with only the fields asked for; with no fields at all, Jira returns ids only. */
export function renderIssue(
  store: IssueStore,
  row: Row,
  fields: string[],
  changelog: boolean,
  context: { base: string; timeZone: string },
): Record<string, unknown> {
  if (fields.every((f) => f === 'id' || f === 'key')) {
    return fields.includes('key')
      ? { id: String(row.id), key: `${row.project}-${row.num}` }
      : { id: String(row.id) };
  }
  const wire: WireIssue = store.wire(row, context.base, context.timeZone);
  const all = fields.includes('*all') || fields.includes('*navigable');
  const picked: Record<string, unknown> = {};
  for (const name of all ? Object.keys(wire.fields) : fields) {
    if (name !== 'id' && name !== 'key' && !name.startsWith('-')) picked[name] = wire.fields[name] ?? null;
  }
  const out: Record<string, unknown> = {
    expand:
      wire.expand ?? 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: wire.id,
    self: wire.self ?? `${context.base}/rest/api/3/issue/${wire.id}`,
    key: wire.key,
    fields: picked,
  };
  if (changelog) {
    const histories = wire.changelog?.histories ?? [];
    out.changelog = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
  }
  return out;
}
