import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Postgres takes at most 65,535 bound parameters in one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * A multi-row INSERT written as text with numbered parameters, for ingest's hot writes (hundreds
 * of rows of up to 25 columns per statement): the query builder's per-value parsing and
 * compiling cost a quarter of the database driver's CPU in a sync. Table, columns and `tail`
 * (an ON CONFLICT clause) come from code, never from input. Rows are split so no statement
 * exceeds Postgres's parameter limit. A column a row leaves undefined is written as null.
 */
export async function insertRows<Row extends object>(
  db: Db,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
  tail = '',
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      let tuple = '(';
      for (let c = 0; c < columns.length; c++) {
        parameters.push((row as Record<string, unknown>)[columns[c]] ?? null);
        tuple += c === 0 ? `$${parameters.length}` : `,$${parameters.length}`;
      }
      tuples.push(`${tuple})`);
    }
    await db.executeQuery(CompiledQuery.raw(`${head}${tuples.join(',')} ${tail}`, parameters));
  }
}

/** `set a = excluded.a, …` for the columns an upsert replaces. */
export function setExcluded(columns: readonly string[]): string {
  return columns.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ');
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
