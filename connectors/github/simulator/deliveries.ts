import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { WebhookRequest } from '../../../src/connectors/kit/index.js';

export interface SimWebhook {
  /** Where to POST deliveries; without it they are only recorded (tests take them from `deliveries`). */
  url?: string;
  secret: string;
}

export interface DeliveryRecord {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  /** The delivery as Baton's webhook route receives it. */
  request: WebhookRequest;
  status?: number;
  error?: string;
}

/**
 * Signed deliveries as GitHub sends them: JSON body, X-GitHub-Event / X-GitHub-Delivery, and both
 * signature headers (sha1 legacy and sha256), signed with @octokit/webhooks-methods so the
 * connector's own verifier is checked against the official signer. GitHub does not retry a
 * failed delivery, and neither does the simulator.
 */
export class Deliveries {
  readonly sent: DeliveryRecord[] = [];

  constructor(private readonly webhook?: SimWebhook) {}

  async deliver(event: string, payload: Record<string, unknown>): Promise<DeliveryRecord | undefined> {
    if (!this.webhook) return undefined;
    const text = JSON.stringify(payload);
    const id = randomUUID();
    const repository = payload.repository as { id?: number } | undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/baton-simulator',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': '1',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(repository?.id ?? 0),
      'x-hub-signature': `sha1=${createHmac('sha1', this.webhook.secret).update(text).digest('hex')}`,
      'x-hub-signature-256': await sign(this.webhook.secret, text),
    };
    const record: DeliveryRecord = {
      id,
      event,
      payload,
      request: { headers, query: {}, rawBody: Buffer.from(text) },
    };
    this.sent.push(record);
    if (this.webhook.url) {
      try {
        const response = await fetch(this.webhook.url, { method: 'POST', headers, body: text });
        record.status = response.status;
        await response.arrayBuffer();
      } catch (error) {
        record.error = (error as Error).message;
      }
    }
    return record;
  }
}
