import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import { insertRows, setExcluded } from './bulk-insert.js';
import type { DatabaseHandle } from './database.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table bulk_probe (id integer primary key, "label" text, tags text[], doc jsonb, at timestamptz, n integer default 7)`.execute(
    database.db,
  );
});
afterAll(() => database.close());

interface Probe {
  id: number;
  label?: string | null;
  tags: string[];
  doc: string;
  at: Date | string;
}
const columns = ['id', 'label', 'tags', 'doc', 'at'] as const;
const probe = (id: number, label?: string): Probe => ({
  id,
  label,
  tags: ['a', 'b"c'],
  doc: JSON.stringify({ id }),
  at: '2026-11-26T10:00:00Z',
});
const rows = async () =>
  (await sql<Record<string, unknown>>`select * from bulk_probe order by id`.execute(database.db)).rows;

describe('inserting many rows as one statement', () => {
  it('writes every column with its type, undefined as null, defaults for columns left out', async () => {
    await insertRows(database.db, 'bulk_probe', columns, [probe(1, "O'Brien"), probe(2)]);
    expect(await rows()).toEqual([
      {
        id: 1,
        label: "O'Brien",
        tags: ['a', 'b"c'],
        doc: { id: 1 },
        at: new Date('2026-11-26T10:00:00Z'),
        n: 7,
      },
      { id: 2, label: null, tags: ['a', 'b"c'], doc: { id: 2 }, at: new Date('2026-11-26T10:00:00Z'), n: 7 },
    ]);
  });

  it('applies the conflict clause it is given', async () => {
    await insertRows(
      database.db,
      'bulk_probe',
      columns,
      [probe(2, 'second'), probe(3, 'third')],
      `on conflict (id) do update set ${setExcluded(['label'])}`,
    );
    expect((await rows()).map((r) => r.label)).toEqual(["O'Brien", 'second', 'third']);
  });

  it('carries any text unchanged: multi-byte characters, quotes, backslashes, newlines, braces', async () => {
    await sql`truncate bulk_probe`.execute(database.db);
    const texts = [
      '日本語 — naïve 😀',
      'back\\slash "quoted" {braces} , NULL',
      'two\nlines\ttab',
      '',
      'NULL',
    ];
    await insertRows(
      database.db,
      'bulk_probe',
      columns,
      texts.map((label, i) => ({
        ...probe(i + 1, label),
        tags: [label, 'x'],
        doc: JSON.stringify({ label }),
      })),
    );
    const stored = await rows();
    expect(stored.map((r) => r.label)).toEqual(texts);
    expect(stored.map((r) => r.tags)).toEqual(texts.map((t) => [t, 'x']));
    expect(stored.map((r) => (r.doc as { label: string }).label)).toEqual(texts);
  });

  it('converts dates, booleans, numbers and objects as the driver would, nulls inside arrays too', async () => {
    await sql`create table bulk_kinds (id integer primary key, flag boolean, at timestamptz, doc jsonb, tags text[])`.execute(
      database.db,
    );
    // Each value reads back as the value given.
    const given = [
      {
        id: 1,
        flag: true,
        at: new Date('2026-11-26T10:00:00.123Z'),
        doc: { a: [1, 'b'] },
        tags: ['a', null],
      },
      { id: 2, flag: false, at: null, doc: null, tags: [] },
    ];
    await insertRows(database.db, 'bulk_kinds', ['id', 'flag', 'at', 'doc', 'tags'], given);
    const stored = (
      await sql<Record<string, unknown>>`select * from bulk_kinds order by id`.execute(database.db)
    ).rows;
    expect(stored).toEqual(given);
  });

  it('names the column when a table has no such column, and writes nothing for no rows', async () => {
    await expect(insertRows(database.db, 'bulk_probe', ['id', 'nope'] as never, [{ id: 1 }])).rejects.toThrow(
      'bulk_probe has no column nope',
    );
    await expect(insertRows(database.db, 'no_such_table', ['id'], [])).resolves.toBeUndefined();
  });

  it('writes batches beyond what Postgres’s 65,535-parameter limit allows a VALUES list', async () => {
    await sql`truncate bulk_probe`.execute(database.db);
    const many = Array.from({ length: 14_000 }, (_, i) => probe(i + 1));
    await insertRows(database.db, 'bulk_probe', columns, many);
    const count = await sql<{ n: number }>`select count(*)::int as n from bulk_probe`.execute(database.db);
    expect(count.rows[0].n).toBe(14_000);
  });

  it('streams a batch larger than work_mem without spilling it to a temporary file', async () => {
    await sql`truncate bulk_probe`.execute(database.db);
    // 200 rows of 16 KB: 3 MB, three times the work_mem this transaction allows.
    const wide = Array.from({ length: 200 }, (_, i) => probe(i + 1, 'x'.repeat(16_000)));
    await database.db.transaction().execute(async (trx) => {
      await sql`set local work_mem = '1MB'`.execute(trx);
      await sql`set local temp_file_limit = 0`.execute(trx); // any temporary file is an error
      await insertRows(trx, 'bulk_probe', columns, wide);
    });
    const count = await sql<{ n: number }>`select count(*)::int as n from bulk_probe`.execute(database.db);
    expect(count.rows[0].n).toBe(200);
  });
});
