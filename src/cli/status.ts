import { resolve } from 'node:path';
import { assembleStatus } from '../api/plan-status.js';
import { readEnv } from '../config/env.js';
import { ConfigError } from '../config/errors.js';
import { loadMappingDir } from '../mapping/load-mapping.js';
import { formatMappingError } from '../mapping/mapping-error.js';
import { openDatabase } from '../store/database.js';
import { migrationsCurrent } from '../store/migrate.js';
import { readPlanFacts } from '../store/status.repository.js';
import { renderStatus } from './status-table.js';

const WEEK = 7 * 86_400_000;

export class StatusUnavailableError extends Error {
  readonly code = 'status_unavailable';
}

/**
 * `baton status <plan>`: the plan from the mapping files (as the server loads it) and its facts
 * from the database, through the same `assembleStatus` as GET /api/plans/:key/status. Reads only.
 */
export async function printPlanStatus(key: string, options: { json?: boolean }): Promise<void> {
  const env = readEnv();
  const mappings = await loadMappingDir(resolve(env.BATON_MAPPINGS));
  const plan = mappings.plans.find((p) => p.key === key);
  if (!plan) {
    const known = mappings.plans.map((p) => p.key).join(', ') || 'none';
    const problems = mappings.errors.map((e) => `\n  ${formatMappingError(e)}`).join('');
    throw new ConfigError(`no plan "${key}" in ${env.BATON_MAPPINGS} (plans: ${known})${problems}`);
  }
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.BATON_DATA_DIR });
  try {
    if (!(await migrationsCurrent(database.db)))
      throw new StatusUnavailableError('the database is not migrated: run `baton migrate`');
    const stored = await database.db
      .selectFrom('plans')
      .select('hash')
      .where('key', '=', key)
      .executeTakeFirst();
    if (!stored)
      console.error(`note: plan ${key} is not in the database yet; start \`baton serve\` to load it`);
    else if (stored.hash !== plan.hash)
      console.error(`note: ${plan.sourceFile} changed since the server loaded it; figures may lag`);
    const now = new Date();
    const facts = await readPlanFacts(database.db, key, now, new Date(now.getTime() - WEEK));
    const status = assembleStatus(plan, facts, now);
    console.log(options.json ? JSON.stringify(status, null, 2) : renderStatus(status, process.stdout.isTTY));
  } finally {
    await database.close();
  }
}
