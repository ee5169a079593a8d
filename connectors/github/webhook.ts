import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { VerifyResult, WebhookHandler, WebhookRequest } from '../../src/connectors/kit/index.js';
import type { GitHubConfig } from './config.js';
import { parseDelivery } from './webhook-parse.js';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/** Header lookup that does not depend on how the HTTP layer cased the names. */
export function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const lower = name.toLowerCase();
  const direct = headers[lower]; // Node's HTTP layer hands names in lower case
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as GitHub signs (X-Hub-Signature-256). */
export function signBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Secrets as key objects, made once: a string key is converted again on every delivery. */
const hmacKeys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    if (hmacKeys.size >= 64) hmacKeys.clear(); // rotations over a long life: stay bounded
    hmacKeys.set(secret, key);
  }
  return key;
}

/**
 * Verifies the raw bytes, never re-serialised JSON (after @octokit/webhooks-methods): a fixed
 * format first so lengths match, then a constant-time compare against the current secret and,
 * during a rotation, the previous one. Synchronous, because the contract's verify is.
 */
export function verifyGitHubDelivery(req: WebhookRequest, config: GitHubConfig): VerifyResult {
  const signature = SIGNATURE.exec(header(req.headers, 'x-hub-signature-256') ?? '');
  if (!signature) {
    return {
      ok: false,
      status: 401,
      code: 'missing_signature',
      message: 'X-Hub-Signature-256 is missing or malformed',
    };
  }
  const given = Buffer.from(signature[1], 'hex');
  const secrets = [config.webhookSecret, config.previousWebhookSecret].filter((s): s is string => Boolean(s));
  const matches = secrets.map((secret) =>
    timingSafeEqual(given, createHmac('sha256', hmacKey(secret)).update(req.rawBody).digest()),
  );
  if (!matches.includes(true)) {
    return {
      ok: false,
      status: 401,
      code: 'bad_signature',
      message: 'signature does not match the webhook secret',
    };
  }
  const deliveryId = header(req.headers, 'x-github-delivery');
  const event = header(req.headers, 'x-github-event');
  if (!deliveryId || !event) {
    return {
      ok: false,
      status: 400,
      code: 'not_a_delivery',
      message: 'X-GitHub-Delivery and X-GitHub-Event are required',
    };
  }
  return { ok: true, deliveryId, event };
}

export const githubWebhook: WebhookHandler<GitHubConfig> = {
  verify: (req, ctx) => verifyGitHubDelivery(req, ctx.config),
  parse: (delivery, ctx) => parseDelivery(delivery, ctx),
};
