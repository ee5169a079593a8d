import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import { ensureConnection } from './connections.repository.js';
import type { DatabaseHandle } from './database.js';
import { FIND_ITEMS_SQL, findItems, unplacedItemsNaming } from './items.repository.js';

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

  it('finds ids that need quoting inside an array literal', async () => {
    const odd = ['AAMk+a/b=', 'a,b', 'say "hi"', 'back\\slash', '{brace}', 'NULL', 'acme/checkout#12'];
    await sql`insert into items (connection, external_id, source, kind, title, raw_state, state_category,
          created_at, source_updated_at, content_hash)
        select 'github', id, 'github', 'issue', 'odd', 'open', 'todo', now(), now(), 'h'
        from unnest(${odd}::text[]) as id`.execute(database.db);
    const found = await findItems(database.db, 'github', [...odd, 'null']);
    expect([...found.keys()].sort()).toEqual([...odd].sort());
    await sql`delete from items where connection = 'github' and title = 'odd'`.execute(database.db);
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

describe('finding the items that name keys placed just now', () => {
  beforeAll(async () => {
    // Pull requests naming Jira keys: #1 names CHK-1, #2 names CHK-2 and CHK-30, #3 is deleted,
    // #4 is already placed in the plan, #5 names nothing; a Jira item names CHK-1 too.
    await sql`insert into plans (key, title, doc, source_file, hash) values ('p', 'P', '{}', 'p.yaml', 'h')`.execute(
      database.db,
    );
    await sql`insert into items (connection, external_id, source, kind, title, raw_state, state_category,
          created_at, source_updated_at, content_hash, refs, deleted)
        values ('github', 'pr1', 'github', 'pull_request', 'PR 1', 'open', 'in_progress', now(), now(), 'h', '{CHK-1}', false),
               ('github', 'pr2', 'github', 'pull_request', 'PR 2', 'open', 'in_progress', now(), now(), 'h', '{CHK-2,CHK-30}', false),
               ('github', 'pr3', 'github', 'pull_request', 'PR 3', 'open', 'in_progress', now(), now(), 'h', '{CHK-1}', true),
               ('github', 'pr4', 'github', 'pull_request', 'PR 4', 'open', 'in_progress', now(), now(), 'h', '{CHK-2}', false),
               ('github', 'pr5', 'github', 'pull_request', 'PR 5', 'open', 'in_progress', now(), now(), 'h', '{}', false)`.execute(
      database.db,
    );
    await sql`update items set refs = '{CHK-1}' where connection = 'jira' and external_id = '9'`.execute(
      database.db,
    );
    await sql`insert into placements (connection, external_id, plan_key, phase_key, state)
        values ('github', 'pr4', 'p', 'build', 'todo')`.execute(database.db);
  });

  const naming = async (keys: string[], connections = ['github']) =>
    (await unplacedItemsNaming(database.db, 'p', connections, keys)).map((row) => row.external_id).sort();

  it('finds unplaced, live items of the following connections that name a few keys', async () => {
    expect(await naming(['CHK-1'])).toEqual(['pr1']);
    expect(await naming(['CHK-30', 'CHK-2'])).toEqual(['pr2']);
    expect(await naming(['CHK-1'], ['github', 'jira'])).toEqual(['9', 'pr1']);
    expect(await naming(['CHK-404'])).toEqual([]);
    expect(await naming([])).toEqual([]);
  });

  it('finds the same for a sync batch of hundreds of keys', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => `CHK-${i + 1}`);
    expect(await naming(batch)).toEqual(['pr1', 'pr2']);
    expect(await naming(batch, ['github', 'jira'])).toEqual(['9', 'pr1', 'pr2']);
    expect(await naming(batch.slice(100))).toEqual([]);
  });
});
