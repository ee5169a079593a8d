import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { ensureConnection } from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { savePlan } from '../../src/store/plans.repository.js';
import { record } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { opsMapping } from './support/ops-mapping.js';
import { type CliResult, runBaton } from './support/run-cli.js';

let database: DatabaseHandle;
let dir: string;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/** The plan from a mapping file, three Jira items in its build phase, a stalled review, an approval. */
async function seed(): Promise<void> {
  await writeFile(join(dir, 'ops-demo.yaml'), opsMapping);
  const loaded = await loadMappingFile(join(dir, 'ops-demo.yaml'));
  if (!loaded.ok) throw new Error(`test mapping is invalid: ${JSON.stringify(loaded.errors)}`);
  const plan = loaded.plan;
  await savePlan(database.db, plan);
  await ensureConnection(database.db, 'jira', 'jira', {});
  const issue = (id: string, category: 'done' | 'in_progress' | 'todo') =>
    record({
      externalId: id,
      key: `OPS-${id}`,
      labels: ['build'],
      state: { raw: category, category },
      updatedAt: hoursAgo(50).toISOString(),
    });
  await ingestBatch(
    database.db,
    [plan],
    'jira',
    [issue('1', 'done'), issue('2', 'in_progress'), issue('3', 'todo')],
    {
      origin: 'poll',
    },
  );
  await database.db
    .insertInto('handoffs')
    .values({
      connection: 'jira',
      id: 'review-2',
      external_id: '2',
      plan_key: 'ops-demo',
      phase_key: 'build',
      kind: 'review',
      from_name: 'Ana Lima',
      to_person: 'ben',
      to_name: 'Ben Ode',
      to_identity: JSON.stringify({ tool: 'jira', id: 'acc-ben' }),
      opened_at: hoursAgo(30),
      sla_due_at: hoursAgo(6),
    })
    .execute();
  await database.db
    .insertInto('approvals')
    .values({
      connection: 'jira',
      id: 'approval-3',
      external_id: '3',
      plan_key: 'ops-demo',
      phase_key: 'build',
      approver_person: 'ana',
      approver_name: 'Ana Lima',
      status: 'pending',
      requested_at: hoursAgo(20),
    })
    .execute();
}

const status = (args: string[]) =>
  runBaton(['status', ...args], {
    DATABASE_URL: database.url,
    BATON_MAPPINGS: dir,
    BATON_CONFIG: join(dir, 'none.yaml'),
  });

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'baton-status-'));
  await seed();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await database.close();
});

describe('baton status <plan>', () => {
  let result: CliResult;
  beforeAll(async () => {
    result = await status(['ops-demo']);
  });

  it('exits 0 and heads the table with the plan, its state and the reason', () => {
    expect(result.code, result.stderr).toBe(0);
    const [title, owner] = result.stdout.split('\n');
    expect(title).toMatch(/^Ops demo \(ops-demo\): at_risk: 1 handoff stalled past SLA$/);
    expect(owner).toMatch(/^owner Ana Lima, current phase build$/);
    expect(result.stderr).toBe('');
  });

  it('prints one row per phase: state, progress, owner, next owner, approvals waiting, stalled handoffs', () => {
    const lines = result.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('phase '));
    expect(lines[header].split(/\s{2,}/)).toEqual([
      'phase',
      'state',
      'progress',
      'owner',
      'next owner',
      'approvals waiting',
      'stalled handoffs',
    ]);
    const row = (key: string) =>
      lines
        .find((l) => l.startsWith(`${key} `))
        ?.split(/\s{2,}/)
        .map((cell) => cell.trim());
    expect(row('build')).toEqual([
      'build',
      expect.any(String),
      '33%',
      'Ana Lima',
      'Ben Ode (review, 30h)',
      '1',
      '1',
    ]);
    expect(row('launch')).toEqual(['launch', expect.any(String), '0%', 'Ben Ode', '-', '0', '0']);
  });

  it('ends with the totals', () => {
    expect(result.stdout).toMatch(/^3 items, 1 open handoffs, 1 stalled, 1 approvals waiting \(as of .+\)$/m);
  });

  it('prints the API status JSON with --json', async () => {
    const json = await status(['ops-demo', '--json']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.plan).toMatchObject({ key: 'ops-demo', state: 'at_risk' });
    expect(body.totals).toEqual({ items: 3, approvalsWaiting: 1, openHandoffs: 1, stalledHandoffs: 1 });
  });

  it('exits 2 for a plan no mapping file declares, naming the plans there are', async () => {
    const missing = await status(['no-such-plan']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no plan "no-such-plan"');
    expect(missing.stderr).toContain('plans: ops-demo');
  });
});
