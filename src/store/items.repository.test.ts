import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import { ensureConnection } from './connections.repository.js';
import type { DatabaseHandle } from './database.js';
import { FIND_ITEMS_SQL, findItems } from './items.repository.js';

let database: DatabaseHandle;

/** Items `from`..`to` of the jira connection, written straight into the table. */
const insertItems = (from: number, to: number) =>
  sql`insert into items (connection, external_id, source, kind, title, raw_state, state_category,
        created_at, source_updated_at, content_hash)
      select 'jira', n::text, 'jira', 'issue', 'Issue ' || n, 'To Do', 'todo', now(), now(), 'h'
      from generate_series(${from}::int, ${to}::int) as n`.execute(database.db);

beforeAll(async () => {
  database = await createTestDatabase();
  await ensureConnection(database.db, 'jira', 'jira', {});
  await ensureConnection(database.db, 'github', 'github', {});
  // A first sync in progress: statistics taken when the connection held 50 items, then 20,000
  // more written before autovacuum looks again.
  await sql`alter table items set (autovacuum_enabled = false)`.execute(database.db);
  await insertItems(1, 50);
  await sql`analyze items`.execute(database.db);
  await insertItems(51, 20_050);
});
afterAll(() => database.close());

describe('finding stored items for a batch of records', () => {
  it('returns the stored ones among the ids and leaves out the others', async () => {
    const found = await findItems(database.db, 'jira', ['7', '20050', 'missing', '30000']);
    expect([...found.keys()].sort()).toEqual(['20050', '7']);
    expect(found.get('7')).toMatchObject({ connection: 'jira', external_id: '7', title: 'Issue 7' });
    expect(await findItems(database.db, 'github', ['7'])).toEqual(new Map());
  });

  it('looks each id up by primary key even when statistics say the connection is small', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => String(19_000 + i));
    const { rows } = await database.pool.query<{ 'QUERY PLAN': string }>(
      `explain (costs off) ${FIND_ITEMS_SQL}`,
      ['jira', ids],
    );
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('Index Scan using items_pkey on items');
    expect(plan).toContain('Index Cond: ((connection = ');
    expect(plan).not.toMatch(/Seq Scan on items|Bitmap Heap Scan on items/);
  });
});
