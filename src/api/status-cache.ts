import type { Kysely } from 'kysely';
import type { PlanRegistry } from '../runtime/plan-registry.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { Database } from '../store/schema.js';
import { readPlanFacts } from '../store/status.repository.js';
import { assembleStatus, type PlanStatus } from './plan-status.js';

const DAY = 86_400_000;

interface Entry {
  status: Promise<PlanStatus>;
  computedAt: number;
}

/**
 * Plan statuses, computed once and shared by every reader until something changes. A change
 * notice from ingest (any process) drops the plans that read the changed connection; the
 * time-to-live bounds time-driven changes (a handoff crossing its SLA while nothing is ingested).
 */
export class StatusCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly plans: PlanRegistry,
    private readonly now: () => Date,
    feed: ChangeFeed | undefined,
    private readonly ttlMs = 5_000,
  ) {
    feed?.onChange((topic) => this.invalidate(topic));
  }

  invalidate(topic: string): void {
    if (topic === '*') {
      this.#entries.clear();
      return;
    }
    if (topic.startsWith('p:')) {
      this.#entries.delete(topic.slice(2));
      return;
    }
    const connection = topic.slice(2);
    for (const plan of this.plans.readers(connection)) this.#entries.delete(plan.key);
  }

  get(planKey: string): Promise<PlanStatus> | undefined {
    const plan = this.plans.get(planKey);
    if (!plan) return undefined;
    const cached = this.#entries.get(planKey);
    if (cached && Date.now() - cached.computedAt < this.ttlMs) return cached.status;
    const now = this.now();
    const status = readPlanFacts(this.db, planKey, now, new Date(now.getTime() - 7 * DAY)).then((facts) =>
      assembleStatus(plan, facts, now),
    );
    const entry = { status, computedAt: Date.now() };
    this.#entries.set(planKey, entry);
    status.catch(() => {
      if (this.#entries.get(planKey) === entry) this.#entries.delete(planKey);
    });
    return status;
  }
}
