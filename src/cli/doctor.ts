import pino from 'pino';
import { type Env, publicUrl } from '../config/env.js';
import type { Json } from '../connectors/kit/contract.js';
import { ConnectionRegistry } from '../runtime/connection-registry.js';
import { readCursor } from '../store/connections.repository.js';
import { type DatabaseHandle, openDatabase } from '../store/database.js';
import { clockCheck, credentialsCheck, expectsWebhooks, webhookCheck } from './doctor-connection.js';
import { probeConnection } from './doctor-probe.js';
import { checkPublicUrl } from './doctor-public-url.js';
import { type Check, fail, skip } from './doctor-report.js';
import { checkConfig, checkDatabase, checkMappingFiles, checkMigrations } from './doctor-system.js';

export interface DoctorOptions {
  /** Longest wait for the database and for each connection's first page. */
  timeoutMs: number;
  /** Called with each check as it completes (the CLI prints as it goes). */
  report?: (check: Check) => void;
}

/**
 * `baton doctor`: configuration, database, migrations, mapping files, then every connection
 * (credentials, clock, webhooks) and the public URL. Reads only; writes nothing of its own.
 */
export async function runDoctor(env: Env, options: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (...found: Check[]) => {
    for (const check of found) {
      checks.push(check);
      options.report?.(check);
    }
  };
  const { check: configCheck, config } = checkConfig(env);
  add(configCheck);

  let database: DatabaseHandle;
  try {
    database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.BATON_DATA_DIR, poolSize: 2 });
  } catch (error) {
    add(
      fail(
        'database',
        `cannot open: ${error instanceof Error ? error.message : error}`,
        'check DATABASE_URL',
      ),
    );
    add(...(await checkMappingFiles(env, config)));
    return checks;
  }
  try {
    const databaseChecks = await checkDatabase(database.db, options.timeoutMs);
    add(...databaseChecks);
    const migrations =
      databaseChecks[0].status === 'ok'
        ? await checkMigrations(database.db)
        : skip('migrations', 'database unreachable');
    add(migrations);
    const ready = migrations.status === 'ok';
    add(...(await checkMappingFiles(env, config)));

    const log = pino({ level: 'silent' });
    const registry = new ConnectionRegistry(database.db, log, publicUrl(env));
    const connections = (config?.connections ?? []).map((c) => registry.add(c));
    for (const connection of connections) {
      const prefix = connection.name;
      if (!connection.config.enabled) {
        add(skip(prefix, 'disabled in baton.yaml'));
        continue;
      }
      const cursor: Json = ready ? await readCursor(database.db, prefix) : null;
      const probe = await probeConnection(connection, cursor, options.timeoutMs);
      add(credentialsCheck(connection, probe, options.timeoutMs), clockCheck(connection, probe));
      if (!expectsWebhooks(connection)) continue;
      const url = `${publicUrl(env).replace(/\/$/, '')}/webhooks/${connection.name}`;
      add(
        ready
          ? await webhookCheck(database.db, connection, url, new Date())
          : skip(`${prefix}: webhooks`, 'database not ready'),
      );
    }
    if (connections.some(expectsWebhooks)) add(...(await checkPublicUrl(env, options.timeoutMs)));
  } finally {
    await database.close();
  }
  return checks;
}
