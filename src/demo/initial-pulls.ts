import { sql } from 'kysely';
import type { RunningBaton } from '../server.js';

const POLL_MS = 250;

/**
 * Waits (bounded) until every connection finished a pull that started in this run, and returns
 * how many items each holds. Nothing here drives the pulls: Baton's own workers do.
 */
export async function waitForInitialPulls(
  baton: RunningBaton,
  since: Date,
  timeoutMs: number,
): Promise<Record<string, number>> {
  const names = baton.services.connections.all().map((c) => c.name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await baton.services.db
      .selectFrom('connections')
      .select(['name', 'last_success_at'])
      .where('name', 'in', names.length > 0 ? names : [''])
      .execute();
    const done = rows.filter((r) => r.last_success_at && r.last_success_at >= since).length === names.length;
    if (done || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const counts = await baton.services.db
    .selectFrom('items')
    .select(['connection', sql<number>`count(*)::int`.as('n')])
    .where('deleted', '=', false)
    .groupBy('connection')
    .execute();
  return Object.fromEntries(names.map((name) => [name, counts.find((c) => c.connection === name)?.n ?? 0]));
}
