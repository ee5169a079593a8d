import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signBody } from '../../../connectors/github/webhook.js';
import { WEBHOOK_SECRET } from './github-services.js';

export interface SignedDelivery {
  id: string;
  event: string;
  body: Buffer;
  headers: Record<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: GitHub's fixtures, edited loosely by tests
type Payload = any;

export function githubFixture(name: string): Payload {
  const url = new URL(`../../../connectors/github/fixtures/webhooks/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

/** An `issues` delivery about one issue of acme/checkout, signed as GitHub signs it. */
export function issueDelivery(
  number: number,
  change: { title?: string; updatedAt?: string; id?: string } = {},
): SignedDelivery {
  const payload = githubFixture('issues.opened');
  payload.issue.number = number;
  payload.issue.id = 9_000_000 + number;
  payload.issue.node_id = `I_sim_${number}`;
  payload.issue.html_url = `https://github.com/acme/checkout/issues/${number}`;
  payload.issue.url = `https://api.github.com/repos/acme/checkout/issues/${number}`;
  if (change.title) payload.issue.title = change.title;
  if (change.updatedAt) payload.issue.updated_at = change.updatedAt;
  return signed('issues', payload, change.id);
}

export function signed(event: string, payload: Payload, id: string = randomUUID()): SignedDelivery {
  const body = Buffer.from(JSON.stringify(payload));
  return {
    id,
    event,
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': signBody(body, WEBHOOK_SECRET),
    },
  };
}

/** POSTs a delivery the way GitHub does; the status code, or 0 when no answer came at all. */
export async function postDelivery(baseUrl: string, delivery: SignedDelivery, connection = 'github') {
  try {
    const response = await fetch(`${baseUrl}/webhooks/${connection}`, {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
