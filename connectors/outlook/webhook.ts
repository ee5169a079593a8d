import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChangeNotification } from '@microsoft/microsoft-graph-types';
import type {
  ConnectorContext,
  HandshakeReply,
  ParseResult,
  StoredDelivery,
  VerifyResult,
  WebhookHandler,
  WebhookRequest,
} from '../../src/connectors/kit/index.js';
import type { OutlookConfig } from './config.js';

/**
 * Graph change notifications. Graph signs nothing: each notification carries the subscription's
 * `clientState`, a shared secret, and that is all there is to check. So a notification is never
 * trusted for data — parse only says "pull", and the delta query fetches what changed — and a
 * forged or altered body can at most cause one extra pull.
 */

type Ctx = ConnectorContext<OutlookConfig>;

/** Graph validates both URLs by POSTing `?validationToken=…` and wants it back as text/plain within 10 s. */
function handshake(req: WebhookRequest): HandshakeReply | null {
  const token = req.query.validationToken;
  if (token === undefined) return null;
  // Graph never sends markup in a token; escaping keeps the echo from being a reflection vector.
  const body = token.slice(0, 2048).replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  return { status: 200, contentType: 'text/plain; charset=utf-8', body };
}

function verify(req: WebhookRequest, ctx: Ctx): VerifyResult {
  const expected = ctx.config.clientState;
  if (!expected) {
    return {
      ok: false,
      status: 401,
      code: 'not_configured',
      message: 'no clientState is configured for this connection',
    };
  }
  const notifications = readNotifications(req.rawBody);
  if (!notifications) {
    return {
      ok: false,
      status: 400,
      code: 'bad_payload',
      message: 'expected a JSON change notification collection',
    };
  }
  for (const notification of notifications) {
    if (typeof notification.clientState !== 'string' || !sameSecret(notification.clientState, expected)) {
      return { ok: false, status: 401, code: 'bad_client_state', message: 'clientState does not match' };
    }
    if (ctx.config.tenantId && notification.tenantId && notification.tenantId !== ctx.config.tenantId) {
      return { ok: false, status: 401, code: 'wrong_tenant', message: 'notification is for another tenant' };
    }
  }
  const lifecycle = notifications.some((n) => n.lifecycleEvent) || req.query.lifecycle === '1';
  // Graph sends no delivery id; a resend of the same notifications is byte-identical.
  const deliveryId = createHash('sha256').update(req.rawBody).digest('hex');
  return { ok: true, deliveryId, event: lifecycle ? 'lifecycle' : 'notification' };
}

function parse(delivery: StoredDelivery): ParseResult {
  const notifications = readNotifications(delivery.body);
  if (!notifications)
    return { kind: 'error', code: 'bad_payload', message: 'stored delivery is not a notification' };
  const actions = lifecycleActions(delivery);
  if (actions.some((a) => a.action === 'recreate'))
    return { kind: 'pull', subscriptions: { action: 'recreate' } };
  const renewals = actions.filter((a) => a.action === 'renew').map((a) => a.subscriptionId);
  if (renewals.length > 0)
    return { kind: 'pull', subscriptions: { action: 'renew', subscriptionIds: renewals } };
  return { kind: 'pull' };
}

export const outlookWebhook: WebhookHandler<OutlookConfig> = { handshake, verify, parse };

/** Hashing both sides first gives equal lengths, so the comparison time says nothing about the secret. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function readNotifications(body: Buffer): ChangeNotification[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const value = (parsed as { value?: unknown } | null)?.value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((n) => typeof n === 'object' && n !== null && typeof n.subscriptionId === 'string'))
    return undefined;
  return value as ChangeNotification[];
}

export type LifecycleAction = 'renew' | 'recreate' | 'resync';

/**
 * What a lifecycle delivery asks of the subscription manager, per subscription. The contract's
 * ParseResult can only say "pull"; the runtime calls this for `event === 'lifecycle'` and then:
 * renew → `subscriptions.renew(ctx, forceRenewal(state, ids), url)` (a PATCH both renews and
 * reauthorizes), recreate → `subscriptions.ensure` (it lists what Graph still has and recreates
 * what is missing), resync → nothing beyond the pull parse already asked for.
 */
export function lifecycleActions(
  delivery: Pick<StoredDelivery, 'body'>,
): { subscriptionId: string; action: LifecycleAction }[] {
  const actions: { subscriptionId: string; action: LifecycleAction }[] = [];
  for (const notification of readNotifications(delivery.body) ?? []) {
    const action =
      notification.lifecycleEvent === 'reauthorizationRequired'
        ? 'renew'
        : notification.lifecycleEvent === 'subscriptionRemoved'
          ? 'recreate'
          : notification.lifecycleEvent === 'missed'
            ? 'resync'
            : undefined;
    if (action && notification.subscriptionId)
      actions.push({ subscriptionId: notification.subscriptionId, action });
  }
  return actions;
}

/** The strongest action a delivery asks for (recreate > renew > resync), or null for a change notification. */
export function lifecycleAction(delivery: Pick<StoredDelivery, 'body'>): LifecycleAction | null {
  const actions = new Set(lifecycleActions(delivery).map((a) => a.action));
  for (const action of ['recreate', 'renew', 'resync'] as const) if (actions.has(action)) return action;
  return null;
}
