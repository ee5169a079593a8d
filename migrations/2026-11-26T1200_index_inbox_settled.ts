import { type Kysely, sql } from 'kysely';

// The hourly prune deletes settled deliveries older than the replay window; this finds them
// without scanning the inbox.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index webhook_inbox_settled on webhook_inbox (received_at) where status <> 'pending'`.execute(
    db,
  );
}
