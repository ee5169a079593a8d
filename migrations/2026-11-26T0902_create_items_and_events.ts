import { type Kysely, sql } from 'kysely';

// Items are keyed by (connection, external id) so the table can later be distributed by
// connection. Events are the append-only history of every change Baton applied.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table items (
      connection text not null,
      external_id text not null,
      source text not null,
      kind text not null,
      key text,
      title text not null,
      url text,
      raw_state text not null,
      state_category text not null,
      author jsonb,
      assignees jsonb not null default '[]',
      reviewers jsonb not null default '[]',
      labels text[] not null default '{}',
      container text,
      parent text,
      refs text[] not null default '{}',
      fields jsonb not null default '{}',
      activity jsonb not null default '[]',
      created_at timestamptz not null,
      source_updated_at timestamptz not null,
      due_at timestamptz,
      deleted boolean not null default false,
      content_hash text not null,
      raw jsonb,
      first_seen_at timestamptz not null default now(),
      last_changed_at timestamptz not null default now(),
      primary key (connection, external_id)
    );
    create index items_key on items (key) where key is not null;
    create index items_connection_changed on items (connection, last_changed_at desc);

    create table item_events (
      connection text not null,
      id bigint generated always as identity,
      external_id text not null,
      kind text not null,
      origin text not null,
      source_updated_at timestamptz not null,
      changes jsonb not null default '{}',
      at timestamptz not null default now(),
      primary key (connection, id)
    );
    create index item_events_item on item_events (connection, external_id, id);
    create index item_events_at on item_events (at desc);
  `.execute(db);
}
