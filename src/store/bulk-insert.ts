import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A multi-row INSERT for ingest's hot writes (hundreds of rows of up to 25 columns per
 * statement), sent as one array per column:
 *
 *   insert into items (a, b, …) select unnest($1::text[]), unnest($2::text[])::jsonb, …
 *
 * The statement has one parameter per column whatever the number of rows, so Postgres parses
 * and plans a few hundred bytes instead of a VALUES list of thousands of parameters — planning
 * that list alone took 19 ms a batch for the items upsert, 14 % of a first sync's database
 * CPU. Each column travels as a binary `text[]` (length-prefixed UTF-8, nothing escaped on
 * either side) and is cast to its column's type in the SELECT, the same input conversion a text
 * parameter gets. The arrays are unnested in the select list, where Postgres steps through them
 * together row by row; `from unnest(…)` would first copy every row into a tuplestore, which
 * spills to a temporary file once a batch outgrows work_mem (4 MB by default: 500 items of 8 KB).
 * Values become text as the pg driver would make them (dates, arrays as array literals, objects
 * as JSON). Table, columns and `tail` (an ON CONFLICT clause) come from code, never from input.
 * A column a row leaves undefined is written as null.
 */
export async function insertRows<Row extends object>(
  db: Db,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
  tail = '',
): Promise<void> {
  if (rows.length === 0) return;
  const types = await columnTypes(db, table);
  const parameters = columns.map((column) => textArray(rows, column));
  await db.executeQuery(CompiledQuery.raw(statement(table, columns, types, tail), parameters));
}

/** `set a = excluded.a, …` for the columns an upsert replaces. */
export function setExcluded(columns: readonly string[]): string {
  return columns.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ');
}

function statement(
  table: string,
  columns: readonly string[],
  types: Map<string, string>,
  tail: string,
): string {
  const selected = columns.map((c, i) => {
    const type = types.get(c);
    if (type === undefined) throw new Error(`insertRows: ${table} has no column ${c}`);
    const values = `unnest($${i + 1}::text[])`;
    return type === 'text' ? values : `${values}::${type}`;
  });
  return `insert into ${quote(table)} (${columns.map(quote).join(', ')})
    select ${selected.join(', ')} ${tail}`;
}

/**
 * Column types of the tables ingest writes, read from the catalog once per process (the schema
 * only changes through migrations, which run before anything is written).
 */
const typesByTable = new Map<string, Promise<Map<string, string>>>();

function columnTypes(db: Db, table: string): Promise<Map<string, string>> {
  let types = typesByTable.get(table);
  if (!types) {
    types = db
      .executeQuery<{ name: string; type: string }>(
        CompiledQuery.raw(
          `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
           where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
          [table],
        ),
      )
      .then(({ rows }) => new Map(rows.map((r) => [r.name, r.type])));
    typesByTable.set(table, types);
    types.catch(() => typesByTable.delete(table));
  }
  return types;
}

const TEXT_OID = 25;

/**
 * One column of `rows` as a Postgres binary array of text (the wire format `array_recv` reads):
 * a 20-byte header, then each element as its byte length (-1 for null) and its UTF-8 bytes.
 */
function textArray(rows: readonly object[], column: string): Buffer {
  const texts: (string | null)[] = new Array(rows.length);
  let size = 20;
  let hasNull = 0;
  for (let i = 0; i < rows.length; i++) {
    const text = asText((rows[i] as Record<string, unknown>)[column]);
    texts[i] = text;
    if (text === null) hasNull = 1;
    size += 4 + (text === null ? 0 : Buffer.byteLength(text));
  }
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(hasNull, 4);
  buffer.writeInt32BE(TEXT_OID, 8);
  buffer.writeInt32BE(rows.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  let at = 20;
  for (const text of texts) {
    if (text === null) {
      buffer.writeInt32BE(-1, at);
      at += 4;
    } else {
      const written = buffer.write(text, at + 4);
      buffer.writeInt32BE(written, at);
      at += 4 + written;
    }
  }
  return buffer;
}

/**
 * A value as Postgres input text, as the pg driver would send it: dates as ISO timestamps, arrays
 * as array literals, objects as JSON (null stays null).
 */
function asText(value: unknown): string | null {
  if (value == null) return null;
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value);
}

function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    if (Array.isArray(value)) return arrayLiteral(value);
    const text = asText(value);
    return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
