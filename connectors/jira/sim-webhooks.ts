import { randomUUID } from 'node:crypto';
import { bodyText } from './adf.js';
import type { WireChangeItem, WireIssue, WireValue } from './sim-wire.js';
import { signBody } from './webhook.js';

/** A delivery as the simulator built it (and sent it, when a webhook URL is set). */
export interface SimDelivery {
  id: string;
  event: string;
  headers: Record<string, string>;
  body: Buffer;
  /** HTTP status the receiver answered, or null when nothing was sent or the send failed. */
  status: number | null;
}

export interface FailedDelivery {
  id: string;
  body: string;
  url: string;
  failureTime: number;
}

export interface WebhookEvent {
  webhookEvent: string;
  issueEventTypeName?: string;
  issue: WireIssue;
  user: Record<string, unknown>;
  timestampMs: number;
  changelog?: { id: string; items: WireChangeItem[] };
  comment?: Record<string, unknown>;
}

/**
 * The body Jira posts: v2-shaped (self links under /rest/api/2, comment bodies as text). A
 * comment_created event carries only a handful of the issue's fields, as Jira's does.
 */
export function webhookBody(event: WebhookEvent, base: string): Record<string, unknown> {
  const issue = event.issue;
  const full = event.webhookEvent.startsWith('jira:');
  const fields = full
    ? v2Fields(issue.fields)
    : pick(issue.fields, ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status']);
  const body: Record<string, unknown> = {
    timestamp: event.timestampMs,
    webhookEvent: event.webhookEvent,
  };
  if (event.issueEventTypeName) body.issue_event_type_name = event.issueEventTypeName;
  if (full) body.user = event.user;
  body.issue = { id: issue.id, self: `${base}/rest/api/2/issue/${issue.id}`, key: issue.key, fields };
  if (event.changelog) body.changelog = event.changelog;
  if (event.comment) body.comment = { ...event.comment, body: bodyText(event.comment.body) };
  return body;
}

function v2Fields(fields: Record<string, WireValue>): Record<string, WireValue> {
  const comments = fields.comment?.comments ?? [];
  return {
    ...fields,
    comment: {
      ...fields.comment,
      comments: comments.map((c: WireValue) => ({ ...c, body: bodyText(c.body) })),
    },
  };
}

function pick(fields: Record<string, WireValue>, names: string[]): Record<string, WireValue> {
  return Object.fromEntries(names.filter((name) => name in fields).map((name) => [name, fields[name]]));
}

/** Signs and (when a URL is set) posts one delivery; a failed send is listed for /webhook/failed. */
export async function deliver(
  body: Record<string, unknown>,
  webhook: { url?: string; secret: string },
  failed: FailedDelivery[],
  now: () => number,
): Promise<SimDelivery> {
  const raw = Buffer.from(JSON.stringify(body));
  const id = randomUUID();
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Atlassian Webhook HTTP Client',
    'x-atlassian-webhook-identifier': id,
    'x-atlassian-webhook-flow': 'Primary',
    'x-hub-signature': signBody(raw, webhook.secret),
  };
  const delivery: SimDelivery = { id, event: String(body.webhookEvent), headers, body: raw, status: null };
  if (!webhook.url) return delivery;
  try {
    const response = await fetch(webhook.url, { method: 'POST', headers, body: raw });
    await response.arrayBuffer();
    delivery.status = response.status;
    if (response.status >= 300)
      failed.push({ id, body: raw.toString('utf8'), url: webhook.url, failureTime: now() });
  } catch {
    failed.push({ id, body: raw.toString('utf8'), url: webhook.url, failureTime: now() });
  }
  return delivery;
}
