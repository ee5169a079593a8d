import { type Kysely, sql } from 'kysely';

// Verified deliveries, stored before they are acknowledged; drained in batches by a job.
// The unique (connection, delivery_id) makes a redelivered webhook a no-op.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_inbox (
      connection text not null,
      id bigint generated always as identity,
      delivery_id text not null,
      event text not null,
      headers jsonb not null,
      body bytea not null,
      received_at timestamptz not null default now(),
      status text not null default 'pending',
      attempts integer not null default 0,
      processed_at timestamptz,
      error text,
      primary key (connection, id),
      unique (connection, delivery_id)
    );
    create index webhook_inbox_pending on webhook_inbox (connection, id) where status = 'pending';
  `.execute(db);
}
