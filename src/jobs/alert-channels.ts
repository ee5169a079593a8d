import { checkOutboundUrl } from '../config/outbound-url.js';
import type { AlertMessage, NotifyResult, NotifyTarget } from '../connectors/kit/contract.js';
import type { RuntimeConnection } from '../runtime/connection-registry.js';

/**
 * Where an alert goes, by the ladder level's channel:
 * - `tool`: a comment where the item lives, through its connection's `notify`;
 * - `email`: through the first outlook connection's `notify`;
 * - `webhook:<url>`: a JSON POST `{ text, … }` in the style of Slack and Teams incoming
 *   webhooks (only http and https, never a cloud metadata address: checkOutboundUrl);
 *   `webhook:<connection>` uses that connection's `notify`.
 */

export interface Delivery {
  /** The item's connection (null for a digest). */
  connection: string | null;
  target: NotifyTarget;
  message: AlertMessage;
  /** Extra fields for webhook receivers. */
  context: Record<string, unknown>;
}

export interface ChannelServices {
  connections: { get(name: string): RuntimeConnection | undefined; all(): RuntimeConnection[] };
  fetch?: typeof fetch;
}

const WEBHOOK_TIMEOUT_MS = 15_000;

const refused = (code: string, message: string): NotifyResult => ({ ok: false, code, message, retry: false });

/** `signal` aborts when the worker stops: the send gives up at once instead of waiting for the tool. */
export async function deliver(
  services: ChannelServices,
  channel: string,
  delivery: Delivery,
  signal?: AbortSignal,
): Promise<NotifyResult> {
  if (channel === 'tool') {
    if (!delivery.connection) return refused('no_item', 'a digest cannot be posted on one item');
    return notifyThrough(
      services.connections.get(delivery.connection),
      delivery,
      delivery.connection,
      signal,
    );
  }
  if (channel === 'email') {
    const outlook = services.connections.all().find((c) => c.kind === 'outlook');
    return notifyThrough(outlook, delivery, 'an outlook connection', signal);
  }
  if (channel.startsWith('webhook:')) {
    const where = channel.slice('webhook:'.length);
    if (/^[a-z][a-z0-9+.-]*:/i.test(where)) {
      return postWebhook(services.fetch ?? fetch, where, delivery, signal);
    }
    return notifyThrough(services.connections.get(where), delivery, `connection ${where}`, signal);
  }
  return refused('unknown_channel', `unknown channel ${channel}`);
}

async function notifyThrough(
  connection: RuntimeConnection | undefined,
  delivery: Delivery,
  what: string,
  signal: AbortSignal | undefined,
): Promise<NotifyResult> {
  if (!connection) return refused('no_connection', `${what} is not configured`);
  if (!connection.connector.notify) {
    return refused(
      'notify_unsupported',
      `${connection.kind} connector ${connection.name} cannot post alerts`,
    );
  }
  try {
    return await connection.connector.notify(connection.context(signal), delivery.target, delivery.message);
  } catch (error) {
    // A connector that throws instead of answering: retried, its message kept for the API.
    return {
      ok: false,
      code: 'notify_failed',
      message: (error as Error)?.message ?? String(error),
      retry: true,
    };
  }
}

/** The URL is a secret (Slack's are): errors name the host only. */
async function postWebhook(
  fetchImpl: typeof fetch,
  where: string,
  delivery: Delivery,
  stop: AbortSignal | undefined,
): Promise<NotifyResult> {
  const check = checkOutboundUrl(where);
  if (!check.ok) return refused('bad_webhook_url', check.reason);
  const url = check.url;
  const { subject, text, statusUrl } = delivery.message;
  const body = JSON.stringify({ text: `*${subject}*\n${text}`, subject, statusUrl, ...delivery.context });
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      redirect: 'error',
      signal: stop
        ? AbortSignal.any([AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), stop])
        : AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {});
    if (response.ok) return { ok: true, ref: `${url.host} ${response.status}` };
    const retry = response.status === 429 || response.status >= 500;
    return { ok: false, code: 'webhook_refused', message: `${url.host} answered ${response.status}`, retry };
  } catch (error) {
    const reason = (error as Error)?.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    return { ok: false, code: 'webhook_unreachable', message: `${url.host} ${reason}`, retry: true };
  }
}
