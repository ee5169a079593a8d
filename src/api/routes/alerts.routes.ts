import { z } from 'zod';
import { listAlerts } from '../../store/alerts.repository.js';
import type { AlertRow } from '../../store/schema.js';
import type { BatonApp } from '../app.js';

const AlertStatus = z.enum(['pending', 'sending', 'sent', 'failed', 'dead', 'withdrawn', 'digested']);

const AlertsQuery = z.object({
  status: AlertStatus.optional(),
  plan: z.string().max(100).optional(),
  handoff: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const AlertView = z.object({
  id: z.string(),
  kind: z.enum(['handoff', 'digest']),
  plan: z.string(),
  handoff: z.string().nullable(),
  connection: z.string().nullable(),
  level: z.number(),
  channel: z.string().describe('tool, email, or webhook:<host> (the rest of a webhook URL is a secret).'),
  recipient: z.object({ key: z.string(), name: z.string().nullable() }),
  status: AlertStatus,
  attempts: z.number(),
  lastError: z.string().nullable(),
  notBefore: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  ref: z.string().nullable(),
});

/** Webhook URLs carry their secret in the path (Slack, Teams): show the host only. */
export function redactChannel(channel: string): string {
  if (!channel.startsWith('webhook:')) return channel;
  try {
    const url = new URL(channel.slice('webhook:'.length));
    return `webhook:${url.protocol}//${url.host}/…`;
  } catch {
    return channel;
  }
}

const view = (a: AlertRow): z.infer<typeof AlertView> => ({
  id: a.id,
  kind: a.kind === 'digest' ? 'digest' : 'handoff',
  plan: a.plan_key,
  handoff: a.handoff_id,
  connection: a.connection,
  level: a.level,
  channel: redactChannel(a.channel),
  recipient: { key: a.recipient, name: a.recipient_name },
  status: AlertStatus.catch('pending').parse(a.status),
  attempts: a.attempts,
  lastError: a.last_error,
  notBefore: a.not_before.toISOString(),
  createdAt: a.created_at.toISOString(),
  sentAt: a.sent_at?.toISOString() ?? null,
  ref: a.ref,
});

export async function alertRoutes(app: BatonApp): Promise<void> {
  app.get(
    '/api/alerts',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Alerts about stalled handoffs: queued, held, sent, failed (with the error) or withdrawn',
        querystring: AlertsQuery,
        response: { 200: z.object({ alerts: z.array(AlertView) }) },
      },
    },
    async (request) => ({ alerts: (await listAlerts(app.services.db, request.query)).map(view) }),
  );
}
