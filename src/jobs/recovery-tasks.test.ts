import nock from 'nock';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerAllConnectors } from '../../connectors/index.js';
import jira from '../../connectors/jira/index.js';
import { type JiraSimulator, startJiraSimulator } from '../../connectors/jira/simulator.js';
import { createTestDatabase } from '../../test/support/test-database.js';
import { ConnectionRegistry } from '../runtime/connection-registry.js';
import { PlanRegistry } from '../runtime/plan-registry.js';
import { ensureConnection } from '../store/connections.repository.js';
import type { DatabaseHandle } from '../store/database.js';
import { drainInboxBatch } from './drain-inbox.js';
import { recoverFailedWebhooks } from './recovery-tasks.js';

let database: DatabaseHandle;
let sim: JiraSimulator | undefined;

beforeAll(async () => {
  registerAllConnectors();
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  for (const table of ['webhook_inbox', 'items', 'connections'] as const) {
    await database.db.deleteFrom(table).execute();
  }
});
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  nock.cleanAll();
  nock.enableNetConnect();
});

async function jiraConnection(settings: Record<string, unknown>) {
  await ensureConnection(database.db, 'jira', 'jira', {});
  return new ConnectionRegistry(database.db, pino({ level: 'silent' }), 'http://127.0.0.1').add({
    name: 'jira',
    kind: 'jira',
    pollIntervalSeconds: 300,
    enabled: true,
    settings: jira.config.parse({ jql: 'project = CHK', ...settings }),
    declared: {},
  });
}

const inbox = () =>
  database.db.selectFrom('webhook_inbox').select(['delivery_id', 'status']).orderBy('id').execute();

describe('recovering the deliveries a tool failed to send', () => {
  it('stores them in the inbox once, continues where it stopped, and the drain applies them', async () => {
    // Baton unreachable when Jira sent: both deliveries end up in Jira's failed list.
    sim = await startJiraSimulator({
      generate: { count: 3 },
      webhook: { url: 'http://127.0.0.1:9/webhooks/jira', secret: 'hook-secret' },
    });
    const [first, second] = sim.liveIds();
    await sim.updateIssue(first, { summary: 'Approve the rollout checklist' });
    await sim.updateIssue(second, { summary: 'Hand the runbook to on-call' });
    expect(sim.failedWebhooks).toHaveLength(2);
    const connection = await jiraConnection({ ...sim.connectionSettings(), webhookSecret: 'hook-secret' });

    expect(await recoverFailedWebhooks(database.db, connection)).toEqual({
      stored: 2,
      listed: 2,
      supported: true,
    });
    expect((await inbox()).map((d) => d.delivery_id)).toEqual(sim.failedWebhooks.map((f) => f.id));
    // Asked again: nothing new is listed after the saved position, nothing is stored twice.
    expect(await recoverFailedWebhooks(database.db, connection)).toMatchObject({ stored: 0, listed: 0 });

    await drainInboxBatch(database.db, new PlanRegistry([]), connection);
    expect((await inbox()).map((d) => d.status)).toEqual(['done', 'done']);
    const titles = await database.db.selectFrom('items').select('title').orderBy('title').execute();
    expect(titles.map((t) => t.title)).toEqual([
      'Approve the rollout checklist',
      'Hand the runbook to on-call',
    ]);
  });

  it('stops asking once Jira refuses the list to these credentials', async () => {
    const host = 'https://acme.atlassian.net';
    nock.disableNetConnect();
    const refused = nock(host)
      .get('/rest/api/3/webhook/failed')
      .query(true)
      .reply(403, { errorMessages: ['Only Connect apps can use this operation.'], errors: {} });
    const connection = await jiraConnection({ host, auth: { email: 'baton@acme.example', apiToken: 't' } });

    expect(await recoverFailedWebhooks(database.db, connection)).toMatchObject({
      stored: 0,
      supported: false,
    });
    expect(refused.isDone()).toBe(true);
    // No second request: nock would refuse it as unmatched.
    expect(await recoverFailedWebhooks(database.db, connection)).toMatchObject({ supported: false });
    const row = await database.db.selectFrom('connections').select('webhook_recovery').executeTakeFirst();
    expect(row?.webhook_recovery).toEqual({ unsupported: true });
  });
});
