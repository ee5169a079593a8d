import { type Kysely, sql } from 'kysely';

// An item's content hash is only ever compared with the next version of the same item. Hashing
// every record of a first sync (a canonical JSON of each) was a fifth of its CPU, spent on items
// that may never change: an item first stored has no hash, and gets one the first time a newer
// version is compared with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table items alter column content_hash drop not null`.execute(db);
}
