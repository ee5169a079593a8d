import { fileURLToPath } from 'node:url';
import pino from 'pino';
import githubConnector from '../../../connectors/github/index.js';
import type { Connector } from '../../../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../../../src/connectors/kit/registry.js';
import type { CompiledPlan } from '../../../src/domain/plan.js';
import { JobScheduler } from '../../../src/jobs/scheduler.js';
import { loadMappingFile } from '../../../src/mapping/load-mapping.js';
import { ConnectionRegistry } from '../../../src/runtime/connection-registry.js';
import { PlanRegistry } from '../../../src/runtime/plan-registry.js';
import type { BatonServices } from '../../../src/runtime/services.js';
import { ensureConnection } from '../../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../../src/store/database.js';
import { savePlan } from '../../../src/store/plans.repository.js';

export const WEBHOOK_SECRET = 'faults-webhook-secret';
export const PLAN_FILE = fileURLToPath(new URL('../../../mappings/checkout-rollout.yaml', import.meta.url));

/**
 * The GitHub connector with GitHub's concurrency (4) but without its 900-a-minute client-side cap:
 * against a loopback simulator that cap only turns a 10,000-item sync into a 14-minute one.
 * Registered once per process (each test file is one) under kind `github`; `timeoutMs` shortens
 * the per-call timeout for tests that stall the tool.
 */
export function registerGitHub(pacing: { timeoutMs?: number } = {}): void {
  if (findConnector('github')) return;
  registerConnector({ ...githubConnector, pacing: { concurrency: 4, ...pacing } } as Connector);
}

export async function checkoutPlan(): Promise<CompiledPlan> {
  const loaded = await loadMappingFile(PLAN_FILE);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.plan;
}

export interface GitHubConnection {
  name: string;
  /** What `simulator.connectionSettings()` returns, or equivalent. */
  settings: Record<string, unknown>;
  pollIntervalSeconds?: number;
  webhookRateLimitPerMinute?: number;
}

/** Real services (registries, scheduler) over a database, with GitHub connections and the checkout plan. */
export async function githubServices(
  database: DatabaseHandle,
  connections: GitHubConnection[],
  options: { plans?: CompiledPlan[]; publicUrl?: string } = {},
): Promise<BatonServices> {
  registerGitHub();
  const log = pino({ level: process.env.FAULTS_LOG ?? 'silent' });
  const plans = options.plans ?? [await checkoutPlan()];
  for (const plan of plans) await savePlan(database.db, plan);
  const publicUrl = options.publicUrl ?? 'http://baton.test';
  const registry = new ConnectionRegistry(database.db, log, publicUrl);
  for (const connection of connections) {
    const settings = githubConnector.config.parse({ webhookSecret: WEBHOOK_SECRET, ...connection.settings });
    await ensureConnection(database.db, connection.name, 'github', {});
    registry.add({
      name: connection.name,
      kind: 'github',
      pollIntervalSeconds: connection.pollIntervalSeconds ?? 300,
      webhookRateLimitPerMinute: connection.webhookRateLimitPerMinute,
      enabled: true,
      settings,
      declared: {},
    });
  }
  const scheduler = await JobScheduler.create(database.pool);
  return {
    db: database.db,
    plans: new PlanRegistry(plans),
    connections: registry,
    scheduler,
    log,
    publicUrl,
    now: () => new Date(),
  };
}
