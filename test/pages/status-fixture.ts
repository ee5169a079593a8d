import type { CompiledPlan } from '../../src/domain/plan.js';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import { loadMappingFile } from '../../src/mapping/index.js';
import type { BatonServices } from '../../src/runtime/services.js';
import {
  ensureConnection,
  markHealthy,
  markUnhealthy,
  saveRateLimit,
} from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';
import { driveRecords, githubRecords, jiraRecords, outlookRecords } from './fixture-records.js';

/** Thursday afternoon in the build phase: Sam's review and Marcus's approval are past their SLA. */
export const FIXTURE_NOW = new Date('2026-11-05T15:00:00Z');
const minutesBefore = (minutes: number) => new Date(FIXTURE_NOW.getTime() - minutes * 60_000);

export interface StatusFixture {
  database: DatabaseHandle;
  services: BatonServices;
  plan: CompiledPlan;
  close(): Promise<void>;
}

async function checkoutPlan(): Promise<CompiledPlan> {
  const loaded = await loadMappingFile('mappings/checkout-rollout.yaml');
  if (!loaded.ok) {
    throw new Error(`mappings/checkout-rollout.yaml does not load: ${JSON.stringify(loaded.errors)}`);
  }
  return loaded.plan;
}

/**
 * The example plan (mappings/checkout-rollout.yaml) over a fresh database, with records from
 * all four tools ingested through the real ingest path.
 */
export async function statusFixture(): Promise<StatusFixture> {
  const plan = await checkoutPlan();
  const database = await createTestDatabase();
  const services = await testServices(database, { plans: [plan], now: () => FIXTURE_NOW });
  const { db } = database;
  const ingest = (connection: string, records: Parameters<typeof ingestBatch>[3], now = FIXTURE_NOW) =>
    ingestBatch(db, [plan], connection, records, { origin: 'poll', now });

  for (const kind of ['jira', 'github', 'outlook', 'drive']) await ensureConnection(db, kind, kind, {});
  await ingest('jira', jiraRecords('In Progress'), minutesBefore(24 * 60));
  await ingest('jira', jiraRecords('In Review'));
  await ingest('github', githubRecords());
  await ingest('outlook', outlookRecords());
  await ingest('drive', driveRecords());
  // What the SLA clock would have done by now: the unanswered approval mail escalated twice.
  await db.updateTable('handoffs').set({ level: 2 }).where('kind', '=', 'approval').execute();

  await markHealthy(db, 'jira', minutesBefore(2));
  await markHealthy(db, 'github', minutesBefore(1));
  await saveRateLimit(db, 'github', { limit: 5000, remaining: 4870, resetAt: '2026-11-05T15:40:00Z' });
  await markHealthy(db, 'drive', minutesBefore(5));
  await markUnhealthy(db, 'outlook', 'auth_failed', 'the client secret has expired', minutesBefore(60));

  return {
    database,
    services,
    plan,
    async close() {
      await services.scheduler.close();
      await database.close();
    },
  };
}
