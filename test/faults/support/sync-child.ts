/**
 * A process that syncs one GitHub connection to the end, so a test can SIGKILL it anywhere.
 * `node --import tsx sync-child.ts` with FAULT_DB_URL and FAULT_SIM_SETTINGS (JSON) in the
 * environment. Prints `start` once connected, `page <n>` after each committed page and `done <records>` at the end.
 */
import { syncConnection } from '../../../src/jobs/sync-connection.js';
import { openDatabase } from '../../../src/store/database.js';
import { githubServices } from './github-services.js';

const url = process.env.FAULT_DB_URL;
const settings = process.env.FAULT_SIM_SETTINGS;
if (!url || !settings) throw new Error('FAULT_DB_URL and FAULT_SIM_SETTINGS are required');

const database = await openDatabase({ url, poolSize: 4 });
const services = await githubServices(database, [{ name: 'github', settings: JSON.parse(settings) }]);
const connection = services.connections.get('github')!;
console.log('start');
for (let attempt = 1; ; attempt++) {
  const outcome = await syncConnection(services.db, services.plans, connection, {
    onPage: (progress) => console.log(`page ${progress.pages}`),
  });
  if (outcome.ok) {
    console.log(`done ${outcome.records}`);
    break;
  }
  console.error(`sync failed (${outcome.code}): ${outcome.message}`);
  if (attempt >= 5) process.exit(1);
}
await services.scheduler.close();
await database.close();
process.exit(0);
