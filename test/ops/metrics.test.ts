import { readFile } from 'node:fs/promises';
import type { Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import { startWorker } from '../../src/jobs/worker.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { markHealthy } from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { registerFakeConnector, signFake } from '../support/fake-connector.js';
import { testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testServices } from '../support/test-services.js';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let accepting = true;
let scrape: string;
const now = new Date('2026-11-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

async function handoff(id: string, opened: Date, slaDue: Date, closed: Date | null = null) {
  await database.db
    .insertInto('handoffs')
    .values({
      connection: 'jira',
      id,
      external_id: id,
      plan_key: 'checkout',
      phase_key: 'build',
      kind: 'review',
      to_name: 'Raj Patel',
      to_identity: JSON.stringify({ tool: 'jira', id: 'acc-raj' }),
      opened_at: opened,
      sla_due_at: slaDue,
      closed_at: closed,
    })
    .execute();
}

async function alert(id: string, channel: string, status: string) {
  await database.db
    .insertInto('alerts')
    .values({
      connection: 'jira',
      handoff_id: 'h-open-stalled',
      plan_key: 'checkout',
      level: 0,
      channel,
      recipient: 'raj@acme.test',
      dedupe_key: id,
      status,
    })
    .execute();
}

/** Runs one job that succeeds and one that fails for good, through Baton's own worker start. */
async function runJobs(): Promise<void> {
  const runner: Runner = await startWorker(services, {
    pool: database.pool,
    concurrency: 1,
    tasks: {
      ops_ok: async () => {},
      ops_broken: async () => {
        throw new Error('broken on purpose');
      },
    },
  });
  const done = new Set<string>();
  const finished = new Promise<void>((resolve) => {
    runner.events.on('job:complete', ({ job }) => {
      if (job.task_identifier.startsWith('ops_')) done.add(job.task_identifier);
      if (done.size === 2) resolve();
    });
  });
  await runner.addJob('ops_ok', {}, { maxAttempts: 1 });
  await runner.addJob('ops_broken', {}, { maxAttempts: 1 });
  await finished;
  await runner.stop();
}

const post = (connection: string, payload: string, headers: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/webhooks/${connection}`,
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });

beforeAll(async () => {
  registerFakeConnector();
  database = await createTestDatabase();
  services = await testServices(database, {
    plans: [testPlan()],
    connections: [connectionConfig('jira', 'fake', { secret: 'fake-secret' })],
    now: () => now,
  });
  app = await buildApp({
    services,
    logger: false,
    runtime: { workersRunning: () => true, acceptingWebhooks: () => accepting },
  });
  await app.ready();

  await runJobs(); // first: its worker would drain the deliveries below from the inbox

  // Traffic: every webhook outcome, a status read, a miss.
  const body = JSON.stringify({ records: [] });
  const signed = { 'x-fake-signature': signFake(body), 'x-fake-delivery': 'd-1' };
  await post('jira', body, signed); // accepted
  await post('jira', body, signed); // duplicate
  await post('jira', body, { ...signed, 'x-fake-signature': signFake('other'), 'x-fake-delivery': 'd-2' }); // refused
  await post('jira', '{"records": [', {
    'x-fake-signature': signFake('{"records": ['),
    'x-fake-delivery': 'd-3',
  });
  await post('nobody', body, signed); // refused, unknown connection
  accepting = false;
  await post('jira', body, { ...signed, 'x-fake-delivery': 'd-4' }); // unavailable
  accepting = true;
  await app.inject({ method: 'GET', url: '/api/plans/checkout/status' });
  await app.inject({ method: 'GET', url: '/no/such/route' });

  // Database state the scrape reads.
  await markHealthy(database.db, 'jira', new Date(now.getTime() - 90_000));
  await handoff('h-open-stalled', hoursAgo(30), hoursAgo(6));
  await handoff('h-open-fresh', hoursAgo(1), new Date(now.getTime() + 3_600_000));
  await handoff('h-closed', hoursAgo(50), hoursAgo(40), hoursAgo(45));
  await alert('a1', 'github', 'sent');
  await alert('a2', 'github', 'sent');
  await alert('a3', 'email', 'failed');

  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain');
  scrape = response.body;
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

/** The value of one sample, `name{labels} value`, or undefined when the series is absent. */
function sample(name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of scrape.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('exposes HTTP latency by route pattern, never by raw URL', () => {
    const webhook = { method: 'POST', route: '/webhooks/:connection' };
    expect(sample('baton_http_request_duration_seconds_count', { ...webhook, status_code: '202' })).toBe(2);
    expect(sample('baton_http_request_duration_seconds_count', { ...webhook, status_code: '401' })).toBe(1);
    expect(
      sample('baton_http_request_duration_seconds_count', {
        route: '/api/plans/:key/status',
        status_code: '200',
      }),
    ).toBe(1);
    expect(
      sample('baton_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }),
    ).toBe(1);
    expect(scrape).not.toContain('route="/webhooks/jira"');
    expect(scrape).not.toContain('/no/such/route');
  });

  it('counts webhook deliveries by connection and outcome', () => {
    const count = (connection: string, outcome: string) =>
      sample('baton_webhook_deliveries_total', { connection, outcome });
    expect(count('jira', 'accepted')).toBe(1);
    expect(count('jira', 'duplicate')).toBe(1);
    expect(count('jira', 'refused')).toBe(1);
    expect(count('jira', 'malformed')).toBe(1);
    expect(count('jira', 'unavailable')).toBe(1);
    expect(count('(unknown)', 'refused')).toBe(1);
    expect(scrape).not.toContain('connection="nobody"');
  });

  it('reads inbox depth and sync lag from the database at scrape time', () => {
    expect(sample('baton_inbox_pending', { connection: 'jira' })).toBe(1);
    expect(sample('baton_connection_sync_lag_seconds', { connection: 'jira' })).toBe(90);
    expect(sample('baton_connection_healthy', { connection: 'jira', kind: 'fake' })).toBe(1);
    expect(sample('baton_metrics_database_up')).toBe(1);
  });

  it('reports open and stalled handoffs per plan', () => {
    expect(sample('baton_handoffs_open', { plan: 'checkout' })).toBe(2);
    expect(sample('baton_handoffs_stalled', { plan: 'checkout' })).toBe(1);
  });

  it('reports alerts by channel and status', () => {
    expect(sample('baton_alerts', { channel: 'github', status: 'sent' })).toBe(2);
    expect(sample('baton_alerts', { channel: 'email', status: 'failed' })).toBe(1);
  });

  it("records job latency and failures by task from the worker's events", () => {
    expect(sample('baton_job_duration_seconds_count', { task: 'ops_ok', outcome: 'success' })).toBe(1);
    expect(sample('baton_job_duration_seconds_count', { task: 'ops_broken', outcome: 'error' })).toBe(1);
    expect(sample('baton_job_wait_seconds_count', { task: 'ops_ok' })).toBe(1);
    expect(sample('baton_job_errors_total', { task: 'ops_broken' })).toBe(1);
    expect(sample('baton_job_failed_total', { task: 'ops_broken' })).toBe(1);
    expect(sample('baton_job_failed_total', { task: 'ops_ok' })).toBeUndefined();
  });

  it("includes the process's own metrics", () => {
    expect(sample('process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(sample('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('documents every Baton metric family in docs/metrics.md', async () => {
    const doc = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const families = [...scrape.matchAll(/^# TYPE (baton_\w+) /gm)].map((m) => m[1]);
    expect(families.length).toBeGreaterThanOrEqual(13);
    for (const family of families) expect(doc, family).toContain(`\`${family}\``);
  });
});
