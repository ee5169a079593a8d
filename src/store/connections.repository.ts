import type { Kysely } from 'kysely';
import type { Json, RateLimitState } from '../connectors/kit/contract.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Makes sure every configured connection has a row (settings as declared, secrets as `${VAR}`). */
export async function ensureConnection(
  db: Db,
  name: string,
  kind: string,
  declared: Record<string, unknown>,
): Promise<void> {
  await db
    .insertInto('connections')
    .values({ name, kind, settings: JSON.stringify(declared), cursor: null, subscription: null })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ kind, settings: JSON.stringify(declared), updated_at: new Date() }),
    )
    .execute();
}

export async function readCursor(db: Db, name: string): Promise<Json> {
  const row = await db.selectFrom('connections').select('cursor').where('name', '=', name).executeTakeFirst();
  return (row?.cursor as Json | undefined) ?? null;
}

export async function markHealthy(db: Db, name: string, now = new Date()): Promise<void> {
  await db
    .updateTable('connections')
    .set({
      health: 'healthy',
      last_success_at: now,
      last_sync_at: now,
      last_error: null,
      last_error_code: null,
      updated_at: now,
    })
    .where('name', '=', name)
    .execute();
}

export async function markUnhealthy(
  db: Db,
  name: string,
  code: string,
  message: string,
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('connections')
    .set({
      health: 'unhealthy',
      last_error: message,
      last_error_code: code,
      last_error_at: now,
      updated_at: now,
    })
    .where('name', '=', name)
    .execute();
}

export async function saveRateLimit(db: Db, name: string, state: RateLimitState): Promise<void> {
  await db
    .updateTable('connections')
    .set({ rate_limit: JSON.stringify(state) })
    .where('name', '=', name)
    .execute();
}

export async function saveSubscription(db: Db, name: string, state: Json): Promise<void> {
  await db
    .updateTable('connections')
    .set({ subscription: JSON.stringify(state) })
    .where('name', '=', name)
    .execute();
}
