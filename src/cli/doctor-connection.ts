import type { Kysely } from 'kysely';
import type { Json } from '../connectors/kit/contract.js';
import { ConnectorHttpError } from '../connectors/kit/pacing.js';
import type { RuntimeConnection } from '../runtime/connection-registry.js';
import type { Database } from '../store/schema.js';
import type { ProbeResult } from './doctor-probe.js';
import { type Check, fail, ok, skip, warn } from './doctor-report.js';

/** `${VAR}` references in the connection's declared settings: where its credentials come from. */
function references(connection: RuntimeConnection): string {
  const found = JSON.stringify(connection.config.declared).match(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g) ?? [];
  return found.length > 0 ? ` (${[...new Set(found)].join(', ')})` : '';
}

const ERROR_FIXES: Record<ConnectorHttpError['code'], [string, string]> = {
  auth_failed: ['credentials refused', 'renew or correct the credentials in the environment'],
  forbidden: [
    'credentials accepted but access denied',
    'grant the credentials access to the configured scope',
  ],
  not_found: ['the configured scope was not found', 'check the repos, projects, folders or mailboxes named'],
  rate_limited: ['rate limited', 'wait for the reset, or raise pollIntervalSeconds'],
  unavailable: ['the tool did not answer', 'check the network, proxy and baseUrl from this machine'],
  bad_request: ['the tool refused the request', 'check baseUrl and the connection settings'],
};

export function credentialsCheck(
  connection: RuntimeConnection,
  probe: ProbeResult,
  timeoutMs: number,
): Check {
  const name = `${connection.name}: credentials`;
  const where = `connections.${connection.name} in baton.yaml${references(connection)}`;
  if (probe.ok) return ok(name, 'accepted (probe: pulled one page from the stored cursor; nothing stored)');
  if (probe.timedOut)
    return warn(
      name,
      `no first page within ${timeoutMs / 1000}s: not confirmed`,
      'run again with --timeout 120',
    );
  if (probe.error instanceof ConnectorHttpError) {
    const [what, fix] = ERROR_FIXES[probe.error.code];
    const detail = `${what} (${probe.error.code}: ${probe.error.message})`;
    if (probe.error.code === 'rate_limited') return warn(name, detail, fix);
    return fail(name, detail, `${fix}: ${where}`);
  }
  const message = probe.error instanceof Error ? probe.error.message : String(probe.error);
  return fail(name, `pull failed: ${message}`, `check ${where}`);
}

export function clockCheck(connection: RuntimeConnection, probe: ProbeResult): Check {
  const name = `${connection.name}: clock`;
  const skew = probe.skewSeconds;
  if (skew === undefined) return skip(name, 'no Date header seen (the client hides response headers)');
  const text = `${Math.abs(skew).toFixed(1)}s ${skew >= 0 ? 'behind' : 'ahead of'} the tool's`;
  const fix = 'sync this machine with NTP: SLA clocks, signatures and tokens depend on the time';
  if (Math.abs(skew) > 300) return fail(name, `this machine is ${text}`, fix);
  if (Math.abs(skew) > 30) return warn(name, `this machine is ${text}`, fix);
  return ok(name, `within ${Math.max(1, Math.round(Math.abs(skew)))}s of the tool's`);
}

/** Webhooks are expected when the connector subscribes itself or the settings carry a webhook secret. */
export function expectsWebhooks(connection: RuntimeConnection): boolean {
  if (connection.connector.subscriptions) return true;
  const settings = (connection.config.settings ?? {}) as Record<string, unknown>;
  return ['webhookSecret', 'clientState', 'channelToken'].some((key) => settings[key] !== undefined);
}

function expiries(state: Json, out: Date[] = []): Date[] {
  if (Array.isArray(state)) for (const entry of state) expiries(entry, out);
  else if (state && typeof state === 'object') {
    for (const [key, value] of Object.entries(state)) {
      if (/expir/i.test(key) && typeof value === 'string' && !Number.isNaN(Date.parse(value)))
        out.push(new Date(value));
      else expiries(value, out);
    }
  }
  return out;
}

/** Subscription state (Graph, Drive) or, for tools configured by hand, the last delivery seen. */
export async function webhookCheck(
  db: Kysely<Database>,
  connection: RuntimeConnection,
  webhookUrl: string,
  now: Date,
): Promise<Check> {
  const name = `${connection.name}: webhooks`;
  if (connection.connector.subscriptions) {
    const row = await db
      .selectFrom('connections')
      .select('subscription')
      .where('name', '=', connection.name)
      .executeTakeFirst();
    const state = (row?.subscription ?? null) as Json;
    if (state === null)
      return fail(
        name,
        'no subscription registered',
        `start \`baton serve\`: workers subscribe ${webhookUrl}`,
      );
    const expired = expiries(state).filter((d) => d <= now);
    if (expired.length > 0)
      return fail(
        name,
        `subscription expired ${expired[0].toISOString()}`,
        'check the worker logs: renewal failed',
      );
    return ok(name, `subscription registered for ${webhookUrl}`);
  }
  const last = await db
    .selectFrom('webhook_inbox')
    .select('received_at')
    .where('connection', '=', connection.name)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last)
    return warn(
      name,
      'no delivery received yet',
      `register the webhook in ${connection.kind} at ${webhookUrl}`,
    );
  return ok(name, `last delivery ${last.received_at.toISOString()}`);
}
