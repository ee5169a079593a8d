import { Logger, runOnce } from 'graphile-worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSoon, slaTasks } from '../../src/jobs/sla-tasks.js';
import { batonTasks } from '../../src/jobs/worker.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { alertRows, countingInbox, ingest, reviewRequest, slaPlan, slaServices } from './sla-support.js';

// Real time here (graphile-worker runs jobs by the database clock): a 24/7 calendar keeps the
// outcome independent of when the test runs.
const always = {
  timezone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as (
    | 'mon'
    | 'tue'
    | 'wed'
    | 'thu'
    | 'fri'
    | 'sat'
    | 'sun'
  )[],
  start: '00:00',
  end: '24:00',
  daysOff: [],
};
const base = slaPlan({ escalation: [{ level: 1, after: 1, notify: 'receiver', channel: 'tool' }] });
const plan = {
  ...base,
  workingHours: always,
  people: base.people.map((p) => ({ ...p, workingHours: always })),
};
const inbox = countingInbox('gh');
let database: DatabaseHandle;
let services: BatonServices;
const silent = new Logger(() => () => {});

beforeAll(async () => {
  database = await createTestDatabase();
  services = await slaServices(database, [plan], () => new Date());
});
afterAll(async () => {
  await services.scheduler.close();
  await database.close();
});

const queued = async (task: string) =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from graphile_worker.jobs where task_identifier = ${task}`.execute(database.db)
    ).rows[0].n,
  );

describe('the SLA jobs', () => {
  it('are part of the worker’s task list', () => {
    expect(Object.keys(batonTasks(services))).toEqual(
      expect.arrayContaining(['evaluate_slas', 'send_alert']),
    );
  });

  it('collapse a burst of evaluation requests into one queued pass', async () => {
    for (let i = 0; i < 5; i++) await evaluateSoon(services.scheduler);
    expect(await queued('evaluate_slas')).toBe(1);
  });

  it('evaluate, queue one send job per alert in the same transaction, and deliver through notify', async () => {
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await ingest(services, [reviewRequest(1, threeDaysAgo), reviewRequest(2, threeDaysAgo)]);
    await runOnce({ pgPool: database.pool, taskList: slaTasks(services), logger: silent });
    expect(inbox.calls.map((c) => c.target.externalId).sort()).toEqual([
      'acme/checkout#1',
      'acme/checkout#2',
    ]);
    expect((await alertRows(services)).map((a) => a.status)).toEqual(['sent', 'sent']);
  });
});
