import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js';
import { withDatabase } from './global-setup.js';

/**
 * A fresh, migrated database for one test file (cloned from the run's template), dropped when
 * the file finishes.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const adminUrl = inject('adminUrl');
  const template = inject('templateDatabase');
  const name = `baton_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const handle = await openDatabase({ url: withDatabase(adminUrl, name), poolSize: 5 });
  const close = handle.close;
  handle.close = async () => {
    await close();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  };
  return handle;
}
