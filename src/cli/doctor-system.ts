import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { type BatonConfig, loadBatonConfig } from '../config/baton-config.js';
import type { Env } from '../config/env.js';
import { migrationsCurrent } from '../store/migrate.js';
import type { Database } from '../store/schema.js';
import { type Check, fail, ok, warn } from './doctor-report.js';
import { checkMappings } from './mappings-check.js';

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function checkConfig(env: Env): { check: Check; config?: BatonConfig } {
  const file = resolve(env.BATON_CONFIG);
  if (!existsSync(file)) {
    return {
      check: warn(
        'config',
        `${env.BATON_CONFIG} not found: no connections`,
        'declare connections in it (docs/configuration.md)',
      ),
      config: { connections: [] },
    };
  }
  try {
    const config = loadBatonConfig(file);
    return { check: ok('config', `${env.BATON_CONFIG}: ${config.connections.length} connection(s)`), config };
  } catch (error) {
    return {
      check: fail(
        'config',
        reason(error),
        `edit ${env.BATON_CONFIG}; every \${VAR} it names must be set in the environment`,
      ),
    };
  }
}

/** Reachable, and whose clock agrees with ours (SLA clocks compare database and process time). */
export async function checkDatabase(db: Kysely<Database>, timeoutMs: number): Promise<Check[]> {
  try {
    const sent = Date.now();
    const { rows } = await withTimeout(
      sql<{
        version: string;
        now: Date;
      }>`select current_setting('server_version') as version, now() as now`.execute(db),
      timeoutMs,
      'database',
    );
    const skew = (rows[0].now.getTime() - (sent + Date.now()) / 2) / 1000;
    const checks = [ok('database', `reachable (PostgreSQL ${rows[0].version})`)];
    checks.push(
      Math.abs(skew) > 5
        ? warn(
            'database clock',
            `differs from this machine's by ${skew.toFixed(1)}s`,
            'run NTP on both machines',
          )
        : ok('database clock', `within ${Math.max(0.1, Math.abs(skew)).toFixed(1)}s of this machine's`),
    );
    return checks;
  } catch (error) {
    return [
      fail(
        'database',
        `unreachable: ${reason(error)}`,
        'check DATABASE_URL (host, port, user, password, database) and that Postgres is running',
      ),
    ];
  }
}

export async function checkMigrations(db: Kysely<Database>): Promise<Check> {
  try {
    return (await migrationsCurrent(db))
      ? ok('migrations', 'current')
      : fail(
          'migrations',
          'pending migrations',
          'run `baton migrate` (`baton serve` and `baton worker` also apply them at start, under a lock)',
        );
  } catch (error) {
    return fail('migrations', `cannot read: ${reason(error)}`, 'run `baton migrate`');
  }
}

/** Every mapping file valid, and every connection a plan reads declared in baton.yaml. */
export async function checkMappingFiles(env: Env, config: BatonConfig | undefined): Promise<Check[]> {
  const result = await checkMappings([], env.BATON_MAPPINGS);
  const checks: Check[] = [];
  const problems = result.lines.filter((line) => !line.startsWith('ok: '));
  if (problems.length > 0) {
    for (const line of problems)
      checks.push(
        fail(
          'mappings',
          line,
          'fix the file at that position; the server keeps its last good version meanwhile',
        ),
      );
  } else {
    checks.push(ok('mappings', `${result.plans.length} plan(s) valid in ${env.BATON_MAPPINGS}`));
  }
  if (config) {
    const declared = new Set(config.connections.map((c) => c.name));
    for (const plan of result.plans) {
      const missing = plan.connections.filter((c) => !declared.has(c));
      if (missing.length > 0)
        checks.push(
          warn(
            'mappings',
            `plan ${plan.key} reads ${missing.join(', ')}, not declared in ${env.BATON_CONFIG}`,
            'declare the connection, or remove its selectors from the plan',
          ),
        );
    }
  }
  return checks;
}
