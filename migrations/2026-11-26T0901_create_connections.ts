import { type Kysely, sql } from 'kysely';

// One row per connection declared in baton.yaml: non-secret settings, cursor and health.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table connections (
      name text primary key,
      kind text not null,
      settings jsonb not null default '{}',
      cursor jsonb,
      subscription jsonb,
      health text not null default 'unknown',
      last_sync_at timestamptz,
      last_success_at timestamptz,
      last_error text,
      last_error_code text,
      last_error_at timestamptz,
      rate_limit jsonb,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
