import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { poolBehind } from './database.js';
import type { Database, InboxRow } from './schema.js';

export interface NewDelivery {
  connection: string;
  deliveryId: string;
  event: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  status?: 'pending' | 'failed';
  error?: string;
}

/**
 * Stores a verified delivery. Returns false when the same delivery id was already stored for the
 * connection (a redelivery): it then has no further effect. The webhook route goes through an
 * InboxWriter, which stores deliveries arriving together in one statement.
 */
export async function storeDelivery(db: Kysely<Database>, delivery: NewDelivery): Promise<boolean> {
  const [stored] = await storeDeliveries(db, [delivery]);
  return stored;
}

const INBOX_COLUMNS = 'connection, delivery_id, event, headers, body, status, error';

/** `insert … values ($1…$7), ($8…$14), …` for a batch of n deliveries, built once per size. */
const batchStatements = new Map<number, string>();
function batchStatement(n: number): string {
  let text = batchStatements.get(n);
  if (!text) {
    const rows = Array.from({ length: n }, (_, r) => {
      const at = r * 7;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7})`;
    });
    text = `insert into webhook_inbox (${INBOX_COLUMNS}) values ${rows.join(', ')}
      on conflict (connection, delivery_id) do nothing returning connection, delivery_id`;
    batchStatements.set(n, text);
  }
  return text;
}

/**
 * Stores several verified deliveries in one statement (one commit: durable together). Returns,
 * in order, whether each was stored; a redelivery — of a delivery already stored, or a second
 * copy within the same batch — is false. Bodies travel as binary parameters; the statement runs
 * on the pool itself when there is one (see poolBehind).
 */
export async function storeDeliveries(db: Kysely<Database>, deliveries: NewDelivery[]): Promise<boolean[]> {
  if (deliveries.length === 0) return [];
  const values = deliveries.flatMap((d) => [
    d.connection,
    d.deliveryId,
    d.event,
    JSON.stringify(d.headers),
    d.body,
    d.status ?? 'pending',
    d.error ?? null,
  ]);
  const text = batchStatement(deliveries.length);
  const pool = poolBehind(db);
  const rows = pool
    ? (await pool.query<{ connection: string; delivery_id: string }>(text, values)).rows
    : (await db.executeQuery<{ connection: string; delivery_id: string }>(CompiledQuery.raw(text, values)))
        .rows;
  const inserted = new Set(rows.map((r) => `${r.connection}\u0000${r.delivery_id}`));
  // Each stored row answers the first delivery that carried it.
  return deliveries.map((d) => inserted.delete(`${d.connection}\u0000${d.deliveryId}`));
}

/** Claims pending deliveries (oldest first); other drainers skip them until this transaction ends. */
export async function claimPending(
  trx: Transaction<Database>,
  connection: string,
  limit: number,
): Promise<InboxRow[]> {
  return trx
    .selectFrom('webhook_inbox')
    .selectAll()
    .where('connection', '=', connection)
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function settleDeliveries(
  trx: Transaction<Database>,
  connection: string,
  outcomes: { id: string; status: 'done' | 'ignored' | 'failed'; error?: string }[],
): Promise<void> {
  for (const status of ['done', 'ignored'] as const) {
    const ids = outcomes.filter((o) => o.status === status).map((o) => o.id);
    if (ids.length === 0) continue;
    await trx
      .updateTable('webhook_inbox')
      .set({ status, processed_at: sql`now()`, attempts: sql`attempts + 1` })
      .where('connection', '=', connection)
      .where('id', 'in', ids)
      .execute();
  }
  for (const failed of outcomes.filter((o) => o.status === 'failed')) {
    await trx
      .updateTable('webhook_inbox')
      .set({
        status: 'failed',
        processed_at: sql`now()`,
        attempts: sql`attempts + 1`,
        error: failed.error ?? 'failed',
      })
      .where('connection', '=', connection)
      .where('id', '=', failed.id)
      .execute();
  }
}

export async function inboxDepth(
  db: Kysely<Database>,
): Promise<Map<string, { pending: number; failed: number }>> {
  const rows = await db
    .selectFrom('webhook_inbox')
    .select(['connection', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy(['connection', 'status'])
    .execute();
  const depth = new Map<string, { pending: number; failed: number }>();
  for (const row of rows) {
    const entry = depth.get(row.connection) ?? { pending: 0, failed: 0 };
    entry[row.status as 'pending' | 'failed'] = Number(row.n);
    depth.set(row.connection, entry);
  }
  return depth;
}
