import { type Kysely, sql } from 'kysely';

// API bearer tokens (only their SHA-256 is stored) and instance-wide settings such as the key
// that signs share links.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_tokens (
      id bigint generated always as identity primary key,
      name text not null,
      role text not null check (role in ('admin', 'viewer')),
      token_hash text not null unique,
      prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create table instance_settings (
      key text primary key,
      value text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}
