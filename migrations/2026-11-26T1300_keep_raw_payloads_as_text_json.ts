import { type Kysely, sql } from 'kysely';

// The raw payload is kept for audit and replay and never queried inside: `json` stores the text
// as received (validated), without building jsonb's binary form on every write.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table items alter column raw type json using raw::json`.execute(db);
}
