import { type Kysely, sql } from 'kysely';

// Where the hourly recovery of a tool's failed deliveries (Jira's webhook/failed) continues, and
// whether the tool refuses that list to the connection's credentials.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table connections add column webhook_recovery jsonb`.execute(db);
}
