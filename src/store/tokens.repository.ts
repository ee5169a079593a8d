import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type Role = 'admin' | 'viewer';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token; the clear text is returned once and never stored. */
export async function createToken(
  db: Kysely<Database>,
  name: string,
  role: Role,
): Promise<{ id: string; token: string }> {
  const token = `baton_${role === 'admin' ? 'adm' : 'vw'}_${randomBytes(24).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ name, role, token_hash: hashToken(token), prefix: token.slice(0, 14) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export async function listTokens(db: Kysely<Database>) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('id')
    .execute();
}

export async function revokeToken(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The role of a live token, or undefined. Lookup is by hash: the clear token is never compared. */
export async function roleOfToken(db: Kysely<Database>, token: string): Promise<Role | undefined> {
  const row = await db
    .updateTable('api_tokens')
    .set({ last_used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .returning('role')
    .executeTakeFirst();
  return row?.role;
}

/** An instance-wide secret, created once and shared by every process on the database. */
export async function instanceSecret(db: Kysely<Database>, key: string): Promise<string> {
  await db
    .insertInto('instance_settings')
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('instance_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}
