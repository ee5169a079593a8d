import { type Kysely, sql } from 'kysely';

// Alert delivery: a digest row belongs to a person, not to one handoff; a claimed alert carries
// a lease so a crashed sender's alert can be claimed again. Indexes beyond these are partial:
// an evaluation pass inserts thousands of alerts, and each full index is paid on every one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table alerts
      alter column connection drop not null,
      alter column handoff_id drop not null,
      add column kind text not null default 'handoff',
      add column recipient_name text,
      add column lease_until timestamptz,
      add column updated_at timestamptz not null default now();
    create index alerts_trouble on alerts (id) where status in ('failed', 'dead');
    create index alerts_digested on alerts (recipient) where status = 'digested';
    create index alerts_leased on alerts (lease_until) where status = 'sending';
  `.execute(db);
}
