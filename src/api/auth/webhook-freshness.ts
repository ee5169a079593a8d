import type { WebhookRequest } from '../../connectors/kit/contract.js';

/**
 * Replay protection beyond the inbox. A delivery id is remembered while its inbox row lives
 * (30 days, src/jobs/retention-tasks.ts); a delivery replayed later is refused here by the time
 * the tool itself wrote into it, for the tools that write one:
 * - Jira: `timestamp` (ms) in the signed body. Jira retries failed deliveries for about 30 minutes
 *   (408, 409, 425, 429, 5xx, timeouts); a day's tolerance is far beyond that and far inside 30 days.
 * - Microsoft Graph: each notification's `subscriptionExpirationDateTime`. Graph retries a failed
 *   delivery for up to 4 hours, so a notification is refused 4 hours after its subscription expired.
 * - Google Drive: `X-Goog-Channel-Expiration`; a channel that expired more than 4 hours ago is refused.
 * - GitHub sends no time: its replays beyond the inbox window are left to the never-regress upsert
 *   (an older record changes nothing).
 * Runs after the connector's verify, so only authenticated content is read.
 */

export type Freshness = { ok: true } | { ok: false; code: string; message: string };

export const JIRA_MAX_AGE_MS = 24 * 3_600_000;
export const CLOCK_SKEW_MS = 15 * 60_000;
export const EXPIRY_GRACE_MS = 4 * 3_600_000;

const FRESH: Freshness = { ok: true };

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function jira(request: WebhookRequest, now: Date): Freshness {
  const timestamp = (json(request.rawBody) as { timestamp?: unknown } | undefined)?.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return FRESH; // the parser decides
  const age = now.getTime() - timestamp;
  if (age > JIRA_MAX_AGE_MS)
    return {
      ok: false,
      code: 'stale_delivery',
      message: 'the delivery is older than a day: refused as a replay',
    };
  if (age < -CLOCK_SKEW_MS)
    return { ok: false, code: 'stale_delivery', message: 'the delivery is dated in the future' };
  return FRESH;
}

function outlook(request: WebhookRequest, now: Date): Freshness {
  const value = (json(request.rawBody) as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) return FRESH;
  for (const notification of value as Record<string, unknown>[]) {
    if (notification?.lifecycleEvent !== undefined) continue; // they ask for a renewal, never for data
    const expiry = Date.parse(String(notification?.subscriptionExpirationDateTime ?? ''));
    if (Number.isFinite(expiry) && now.getTime() - expiry > EXPIRY_GRACE_MS) {
      return {
        ok: false,
        code: 'expired_subscription',
        message: 'the notification is for an expired subscription',
      };
    }
  }
  return FRESH;
}

function drive(request: WebhookRequest, now: Date): Freshness {
  const header = Object.entries(request.headers).find(
    ([k]) => k.toLowerCase() === 'x-goog-channel-expiration',
  );
  const expiry = Date.parse(header?.[1] ?? '');
  if (Number.isFinite(expiry) && now.getTime() - expiry > EXPIRY_GRACE_MS) {
    return { ok: false, code: 'expired_channel', message: 'the notification is for an expired channel' };
  }
  return FRESH;
}

const CHECKS: Record<string, (request: WebhookRequest, now: Date) => Freshness> = { jira, outlook, drive };

/** Whether a verified delivery is recent enough to be taken (connector kinds without a time: always). */
export function checkFreshness(kind: string, request: WebhookRequest, now: Date): Freshness {
  return CHECKS[kind]?.(request, now) ?? FRESH;
}
