import { type Kysely, sql } from 'kysely';

// Writing items was most of a sync's database time, and most of that was Postgres parsing JSON
// and compressing wide rows. The raw payload is kept for audit and never read inside the
// database, so it becomes text kept out of line without compression (the item's row stays narrow
// for the status queries). Activity is never queried inside either: json keeps it as written
// (validated, without building jsonb's binary form on every write).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table items alter column raw type text using raw::text;
    alter table items alter column raw set storage external;
    alter table items alter column activity type json using activity::json;
    alter table items alter column activity set default '[]'::json;
  `.execute(db);
}
