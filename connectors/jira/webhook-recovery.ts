import {
  type ConnectorContext,
  ConnectorHttpError,
  type StoredDelivery,
} from '../../src/connectors/kit/index.js';
import { createJiraClient, jiraCall } from './client.js';
import type { JiraConfig } from './config.js';
import { FailedWebhooksSchema } from './jira-endpoints.js';

const PAGE_SIZE = 100;

export interface RecoveredDeliveries {
  /** Deliveries Jira gave up on, oldest first, ready for the inbox (deduped there by delivery id). */
  deliveries: StoredDelivery[];
  /** Pass it back next time: failures at or before it were already returned. */
  after: number | null;
  /** False when Jira refuses the endpoint to these credentials (it is meant for apps): stop asking. */
  supported: boolean;
}

/**
 * Webhooks Jira failed to deliver after its retries, from `GET /rest/api/3/webhook/failed`
 * (kept by Jira for about 72 hours). Jira authenticated the request, not a signature, so these go
 * straight to the inbox under the original `X-Atlassian-Webhook-Identifier`: one already received
 * is a duplicate the inbox drops. Meant to be called periodically by the runtime (hourly is
 * plenty; the reconciliation pull covers anything older).
 */
export async function recoverFailedDeliveries(
  ctx: ConnectorContext<JiraConfig>,
  after: number | null = null,
): Promise<RecoveredDeliveries> {
  const client = createJiraClient(ctx.config, ctx.log);
  const deliveries: StoredDelivery[] = [];
  let cursor = after;
  for (;;) {
    const from = cursor;
    let page: Awaited<ReturnType<typeof failedPage>>;
    try {
      page = await failedPage(ctx, client, from);
    } catch (error) {
      if (error instanceof ConnectorHttpError && error.code === 'forbidden') {
        ctx.log.info(
          { connection: ctx.connection },
          'jira refuses webhook/failed to these credentials (apps only)',
        );
        return { deliveries, after: cursor, supported: false };
      }
      throw error;
    }
    for (const failed of page.values) {
      cursor = Math.max(cursor ?? 0, failed.failureTime);
      // Jira may omit the body (too large); the periodic pull picks such changes up instead.
      if (!failed.body) continue;
      const body = Buffer.from(failed.body, 'utf8');
      deliveries.push({
        deliveryId: failed.id,
        event: eventOf(body),
        headers: { 'x-atlassian-webhook-identifier': failed.id, 'x-baton-recovered-from': 'webhook/failed' },
        body,
        receivedAt: new Date(failed.failureTime),
      });
    }
    // A page shorter than maxResults is the last one for now.
    if (page.values.length === 0 || page.values.length < page.maxResults || !page.next) break;
  }
  return { deliveries, after: cursor, supported: true };
}

function failedPage(
  ctx: ConnectorContext<JiraConfig>,
  client: ReturnType<typeof createJiraClient>,
  after: number | null,
) {
  return jiraCall(ctx, () =>
    client.core.sendRequest({
      url: '/rest/api/3/webhook/failed',
      method: 'GET',
      searchParams: { maxResults: PAGE_SIZE, after: after ?? undefined },
      schema: FailedWebhooksSchema,
    }),
  );
}

function eventOf(body: Buffer): string {
  try {
    const event = JSON.parse(body.toString('utf8'))?.webhookEvent;
    return typeof event === 'string' ? event : 'unknown';
  } catch {
    return 'unknown';
  }
}
