import { type Kysely, sql } from 'kysely';

// Plans, their phases and people, written from the mapping files on load.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table plans (
      key text primary key,
      title text not null,
      doc jsonb not null,
      source_file text not null,
      hash text not null,
      loaded_at timestamptz not null default now()
    );
    create table phases (
      plan_key text not null references plans(key) on delete cascade,
      key text not null,
      position integer not null,
      name text not null,
      owner text not null,
      depends_on text[] not null default '{}',
      starts_on date,
      due_on date,
      doc jsonb not null,
      primary key (plan_key, key)
    );
    create table people (
      plan_key text not null references plans(key) on delete cascade,
      key text not null,
      name text not null,
      email text,
      working_hours jsonb,
      primary key (plan_key, key)
    );
    create table person_identities (
      plan_key text not null,
      tool text not null,
      identity text not null,
      person_key text not null,
      primary key (plan_key, tool, identity),
      foreign key (plan_key, person_key) references people(plan_key, key) on delete cascade
    );
  `.execute(db);
}
