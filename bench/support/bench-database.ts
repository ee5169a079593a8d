import pg from 'pg';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { type DatabaseHandle, openDatabase, startEmbeddedPostgres } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** URL of the bench's own database (for child processes). */
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database for one benchmark: on DATABASE_URL's server, or on an embedded
 * Postgres under .baton/bench. Dropped afterwards.
 */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const server = await startEmbeddedPostgres('.baton/bench');
    adminUrl = server.url;
    stop = server.stop;
  }
  const database = `baton_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = withDatabase(adminUrl, database);
  const handle = await openDatabase({ url, poolSize: 10 });
  await migrateToLatest(handle.db);
  const scheduler = await JobScheduler.create(handle.pool);
  await scheduler.migrate();
  await scheduler.close();
  return {
    handle,
    url,
    async drop() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${database} with (force)`);
      await cleanup.end();
      await stop();
    },
  };
}
