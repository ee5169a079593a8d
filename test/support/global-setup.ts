import { readdir, rm } from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { openDatabase, startEmbeddedPostgres } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

/**
 * One Postgres for the whole run: the server at DATABASE_URL, or an embedded one. Migrations
 * run once into a template database; each test file clones it (fast, isolated).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    // One embedded server per run: concurrent runs must not stop each other's database.
    await removeAbandonedRuns();
    const dir = `.baton/test-${process.pid}`;
    const server = await startEmbeddedPostgres(dir);
    adminUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const template = `baton_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const templateUrl = withDatabase(adminUrl, template);
  const handle = await openDatabase({ url: templateUrl, poolSize: 1 });
  await migrateToLatest(handle.db);
  const scheduler = await JobScheduler.create(handle.pool);
  await scheduler.migrate();
  await scheduler.close();
  await handle.close();

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', template);
  return async () => {
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
    await stopServer();
  };
}

/** Folders of earlier runs whose process is gone (killed before teardown). */
async function removeAbandonedRuns(): Promise<void> {
  const entries = await readdir('.baton').catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(/^test-(\d+)$/.exec(entry)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      await rm(`.baton/${entry}`, { recursive: true, force: true });
    }
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
