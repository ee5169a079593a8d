import { type Kysely, sql } from 'kysely';

// Alerts about stalled handoffs. The dedupe key (handoff + level + channel) makes "exactly once"
// a constraint of the database, not a hope.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table alerts (
      id bigint generated always as identity primary key,
      connection text not null,
      handoff_id text not null,
      plan_key text not null,
      level integer not null,
      channel text not null,
      recipient text not null,
      dedupe_key text not null unique,
      status text not null default 'pending',
      attempts integer not null default 0,
      last_error text,
      not_before timestamptz not null default now(),
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      ref text
    );
    create index alerts_pending on alerts (not_before) where status in ('pending', 'failed');
    create index alerts_handoff on alerts (connection, handoff_id);
  `.execute(db);
}
