import { type Kysely, sql } from 'kysely';

// Finds the pull requests that name a Jira key when that issue is placed after them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index items_refs on items using gin (refs)`.execute(db);
}
