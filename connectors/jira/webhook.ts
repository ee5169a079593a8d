import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type ConnectorContext,
  type Json,
  type ParseResult,
  type StoredDelivery,
  tombstone,
  type VerifyResult,
  type WebhookHandler,
  type WebhookRequest,
} from '../../src/connectors/kit/index.js';
import { type JiraConfig, type NormalizeOptions, normalizeOptions } from './config.js';
import { isCompleteIssue, normalizeIssue } from './normalize.js';
import { JiraWebhookPayload } from './webhook-payload.js';
import { recoverFailedDeliveries } from './webhook-recovery.js';
import type { JiraIssue } from './wire.js';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as Jira sends it in `X-Hub-Signature`. */
export function signBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Compares in constant time, over the exact bytes received; never over re-serialised JSON. */
export function signatureMatches(body: Buffer, header: string, secret: string): boolean {
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function verifyJiraDelivery(req: WebhookRequest, secrets: (string | undefined)[]): VerifyResult {
  const usable = secrets.filter((secret): secret is string => !!secret);
  if (usable.length === 0) {
    return {
      ok: false,
      status: 401,
      code: 'webhook_secret_not_configured',
      message: 'this connection has no webhookSecret: Baton never accepts unsigned Jira webhooks',
    };
  }
  const signature = req.headers['x-hub-signature'];
  if (!signature)
    return { ok: false, status: 401, code: 'signature_missing', message: 'X-Hub-Signature is missing' };
  if (!usable.some((secret) => signatureMatches(req.rawBody, signature, secret))) {
    return {
      ok: false,
      status: 401,
      code: 'signature_mismatch',
      message: 'X-Hub-Signature does not match the body',
    };
  }
  const deliveryId = req.headers['x-atlassian-webhook-identifier'];
  if (!deliveryId) {
    return {
      ok: false,
      status: 400,
      code: 'delivery_id_missing',
      message: 'X-Atlassian-Webhook-Identifier is missing',
    };
  }
  const event = eventName(req.rawBody);
  if (!event)
    return { ok: false, status: 400, code: 'not_a_jira_event', message: 'the body has no webhookEvent' };
  return { ok: true, deliveryId, event };
}

function eventName(body: Buffer): string | null {
  try {
    const event = JSON.parse(body.toString('utf8'))?.webhookEvent;
    return typeof event === 'string' && event !== '' ? event : null;
  } catch {
    return null;
  }
}

export function parseJiraDelivery(body: Buffer, options: NormalizeOptions): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { kind: 'error', code: 'invalid_json', message: 'the delivery body is not JSON' };
  }
  const parsed = JiraWebhookPayload.safeParse(json);
  if (!parsed.success)
    return { kind: 'error', code: 'invalid_payload', message: parsed.error.issues[0]?.message ?? '' };
  const payload = parsed.data;
  switch (payload.webhookEvent) {
    case 'jira:issue_deleted':
      if (!payload.issue)
        return { kind: 'error', code: 'invalid_payload', message: 'issue_deleted without issue' };
      return {
        kind: 'records',
        records: [tombstone('jira', payload.issue.id, 'issue', new Date(payload.timestamp))],
      };
    case 'jira:issue_created':
    case 'jira:issue_updated':
    case 'comment_created':
      return issueRecord(payload, options);
    default:
      return { kind: 'ignored', reason: `event ${payload.webhookEvent} is not used by Baton` };
  }
}

/**
 * A record from what the payload carries. Some payloads (comment_created) hold only a few issue
 * fields; a record from them would lack status and times, so Baton pulls instead. Leaving an
 * approval status is also pulled: telling "approved" from "sent back" needs the issue's whole history.
 */
function issueRecord(payload: JiraWebhookPayload, options: NormalizeOptions): ParseResult {
  const issue = issueWithDelivery(payload);
  if (!issue || !isCompleteIssue(issue)) return { kind: 'pull' };
  const approval = new Set(options.approvalStatuses.map((s) => s.toLowerCase()));
  const leavesApproval = payload.changelog?.items.some(
    (item) =>
      (item.fieldId ?? item.field) === 'status' && approval.has(String(item.fromString ?? '').toLowerCase()),
  );
  if (leavesApproval) return { kind: 'pull' };
  return { kind: 'records', records: [normalizeIssue(issue, options)] };
}

/** The payload's issue, with the delivered change as its one changelog entry and the delivered comment. */
function issueWithDelivery(payload: JiraWebhookPayload): JiraIssue | undefined {
  if (!payload.issue) return undefined;
  const fields = { ...(payload.issue.fields ?? {}) };
  const issue: JiraIssue = { id: payload.issue.id, key: payload.issue.key, fields };
  if (payload.changelog) {
    issue.changelog = {
      histories: [
        {
          id: payload.changelog.id,
          author: payload.user,
          created: new Date(payload.timestamp).toISOString(),
          items: payload.changelog.items,
        },
      ],
    };
  }
  const comment = payload.comment;
  if (comment) {
    const comments = Array.isArray(fields.comment?.comments) ? fields.comment.comments : [];
    if (!comments.some((c: { id?: string }) => String(c.id) === comment.id)) {
      fields.comment = { ...(fields.comment ?? {}), comments: [...comments, comment] };
    }
  }
  return issue;
}

export const jiraWebhook: WebhookHandler<JiraConfig> = {
  verify: (req: WebhookRequest, ctx: ConnectorContext<JiraConfig>) =>
    verifyJiraDelivery(req, [ctx.config.webhookSecret, ctx.config.previousWebhookSecret]),
  parse: (delivery: StoredDelivery, ctx: ConnectorContext<JiraConfig>) =>
    parseJiraDelivery(delivery.body, normalizeOptions(ctx.config)),
  async recoverFailed(ctx: ConnectorContext<JiraConfig>, state: Json) {
    const after = (state as { after?: number | null } | null)?.after ?? null;
    const recovered = await recoverFailedDeliveries(ctx, after);
    return {
      deliveries: recovered.deliveries,
      state: { after: recovered.after },
      supported: recovered.supported,
    };
  },
};
