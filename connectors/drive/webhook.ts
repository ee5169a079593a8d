import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  ConnectorContext,
  ParseResult,
  StoredDelivery,
  VerifyResult,
  WebhookHandler,
  WebhookRequest,
} from '../../src/connectors/kit/index.js';
import type { DriveConfig } from './config.js';

/**
 * Drive push notifications carry no body and no signature: the channel token Baton set in
 * changes.watch comes back in X-Goog-Channel-Token, and that is what authenticates them.
 */
export const driveWebhook: WebhookHandler<DriveConfig> = {
  verify(req: WebhookRequest, ctx: ConnectorContext<DriveConfig>): VerifyResult {
    const headers = lowerCased(req.headers);
    const expected = ctx.config.channelToken;
    if (!expected) {
      return refuse(401, 'no_channel_token', 'this connection has no channelToken: push is not set up');
    }
    const token = headers['x-goog-channel-token'];
    if (!token) return refuse(401, 'missing_token', 'X-Goog-Channel-Token is missing');
    if (!sameSecret(token, expected)) return refuse(401, 'bad_token', 'X-Goog-Channel-Token does not match');

    const channelId = headers['x-goog-channel-id'];
    const state = headers['x-goog-resource-state'];
    const number = headers['x-goog-message-number'];
    if (!channelId || !state || !number || !/^\d+$/.test(number)) {
      return refuse(
        400,
        'not_a_notification',
        'X-Goog-Channel-ID, -Resource-State or -Message-Number is missing',
      );
    }
    // Message numbers grow per channel; a renewed channel has a new id, so the pair is unique.
    return { ok: true, deliveryId: `${channelId}:${number}`, event: state };
  },

  parse(delivery: StoredDelivery): ParseResult {
    // `sync` only says the channel works; every other state means "something changed: read changes".
    if (delivery.event === 'sync') return { kind: 'ignored', reason: 'channel sync message' };
    return { kind: 'pull' };
  },
};

/** Constant-time whatever the lengths: compare digests, not the strings. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function lowerCased(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value?.trim();
  return out;
}

function refuse(status: 400 | 401, code: string, message: string): VerifyResult {
  return { ok: false, status, code, message };
}
