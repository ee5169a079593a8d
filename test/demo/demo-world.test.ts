import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../src/demo/demo.js';
import { readScenarioFrame } from '../../src/demo/scenario.js';
import { type DatabaseHandle, freePort } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';

let database: DatabaseHandle;
let demo: RunningDemo;
let dataDir: string;
const printed: string[] = [];

interface Status {
  totals: { items: number; approvalsWaiting: number; stalledHandoffs: number; openHandoffs: number };
}
interface Items {
  items: { source: string; key: string | null }[];
  nextCursor: string | null;
}

const get = async <T>(path: string): Promise<T> => (await fetch(`${demo.url}${path}`)).json() as Promise<T>;
const page = async (path: string) => (await fetch(`${demo.url}${path}`)).text();

/** Polls until `check` passes (bounded): Baton works in the background, nothing here waits blindly. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function itemsOf(plan: string): Promise<Items['items']> {
  const all: Items['items'] = [];
  let cursor: string | null = null;
  do {
    const answer: Items = await get(`/api/plans/${plan}/items?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...answer.items);
    cursor = answer.nextCursor;
  } while (cursor);
  return all;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'baton-demo-test-'));
  const { epoch } = await readScenarioFrame('demo/scenario');
  demo = await startDemo({
    dataDir,
    scenarioDir: 'demo/scenario',
    mappingsDir: 'mappings',
    databaseUrl: database.url,
    port: await freePort(),
    factor: 120,
    anchor: epoch,
    driver: false,
    logLevel: 'silent',
    initialPullTimeoutMs: 40_000,
    print: (line) => printed.push(line),
  });
});

afterAll(async () => {
  await demo?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the demo world, end to end', () => {
  it(`connects Baton to every simulated tool through a generated baton.yaml with \${VAR} secrets`, async () => {
    expect(demo.world.tools.length).toBeGreaterThanOrEqual(3);
    const config = await readFile(join(dataDir, 'baton.yaml'), 'utf8');
    for (const tool of demo.world.tools) expect(config).toContain(`kind: ${tool}`);
    expect(config).toContain(`\${BATON_DEMO_GITHUB_TOKEN}`);
    expect(config).not.toContain(String(process.env.BATON_DEMO_GITHUB_TOKEN));
    for (const tool of demo.world.tools) expect(demo.pulled[tool]).toBeGreaterThan(30);
  });

  it('shows both plans with items from every tool, approvals waiting and stalled handoffs', async () => {
    for (const plan of ['checkout-rollout', 'vendor-onboarding']) {
      const status = await eventually(async () => {
        const s = await get<Status>(`/api/plans/${plan}/status`);
        expect(s.totals.approvalsWaiting).toBeGreaterThan(0);
        expect(s.totals.stalledHandoffs).toBeGreaterThan(0);
        return s;
      });
      expect(status.totals.items).toBeGreaterThan(10);
    }
    const sources = new Set([
      ...(await itemsOf('checkout-rollout')).map((i) => i.source),
      ...(await itemsOf('vendor-onboarding')).map((i) => i.source),
    ]);
    expect([...sources].sort()).toEqual([...demo.world.tools].sort());
  });

  it('plays timeline steps that reach Baton as signed webhooks and change the plan page', async () => {
    const before = await page('/plans/checkout-rollout');
    const lines: (string | undefined)[] = [];
    // The build story's first steps: a Jira story, its assignment and pick-up, a pull request
    // with a review request, an approval mail, an assigned comment on a spec.
    for (let i = 0; i < 7; i++) lines.push(await demo.driver.next());
    expect(lines.filter((l) => l === undefined)).toEqual([]);
    const kept = demo.driver.kept as { story?: { key: string }; pr?: { number: number } };
    const story = kept.story?.key;
    const pr = `acme/checkout#${kept.pr?.number}`;
    expect(story).toMatch(/^CHK-\d+$/);

    const after = await eventually(async () => {
      const html = await page('/plans/checkout-rollout');
      expect(html).toContain(story);
      expect(html).toContain(pr);
      return html;
    });
    expect(after).not.toEqual(before);
    const keys = (await itemsOf('checkout-rollout')).map((i) => i.key);
    expect(keys).toContain(story);
    expect(keys).toContain(pr);

    // Every tool the steps touched delivered to Baton's webhook route, verified and stored.
    await eventually(async () => {
      const rows = await demo.baton.services.db
        .selectFrom('webhook_inbox')
        .select('connection')
        .distinct()
        .execute();
      expect(rows.map((r) => r.connection).sort()).toEqual([...demo.world.tools].sort());
    });
  });

  it('stops cleanly and keeps the clock for the next run', async () => {
    await demo.stop();
    await expect(fetch(`${demo.url}/api/plans`)).rejects.toThrow();
    const saved = JSON.parse(await readFile(join(dataDir, 'clock.json'), 'utf8'));
    const { epoch } = await readScenarioFrame('demo/scenario');
    expect(saved).toMatchObject({ anchor: epoch.toISOString(), runs: 1 });
    expect(saved.offsetMs).toBeGreaterThan(epoch.getTime() - Date.now());
  });
});
