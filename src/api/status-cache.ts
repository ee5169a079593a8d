import type { Kysely } from 'kysely';
import type { PlanRegistry } from '../runtime/plan-registry.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { Database } from '../store/schema.js';
import { readPlanFacts } from '../store/status.repository.js';
import { assembleStatus, type PlanStatus } from './plan-status.js';

const DAY = 86_400_000;

export interface CachedStatus {
  status: PlanStatus;
  /** The status serialised once, sent as is to every API reader. */
  json: string;
}

interface Entry {
  value?: CachedStatus;
  computedAt: number;
  /** A change notice arrived: the next reader waits for a fresh computation. */
  dirty: boolean;
  computing?: Promise<CachedStatus>;
}

/**
 * Plan statuses, computed once and shared by every reader. A change notice from ingest (any
 * process, through Postgres NOTIFY) marks the plans reading that connection dirty: the next
 * reader gets a fresh computation. Without changes, a status older than the time-to-live is
 * served once more while it is recomputed in the background (time-driven changes, such as a
 * handoff crossing its SLA, show within ttl plus one computation).
 */
export class StatusCache {
  readonly #entries = new Map<string, Entry>();
  /** Without change notices the cache cannot know about changes: every read computes. */
  readonly #listening: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly plans: PlanRegistry,
    private readonly now: () => Date,
    feed: ChangeFeed | undefined,
    private readonly ttlMs = 5_000,
  ) {
    this.#listening = feed !== undefined;
    feed?.onChange((topic) => this.invalidate(topic));
  }

  invalidate(topic: string): void {
    const keys =
      topic === '*'
        ? [...this.#entries.keys()]
        : topic.startsWith('p:')
          ? [topic.slice(2)]
          : this.plans.readers(topic.slice(2)).map((p) => p.key);
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry) entry.dirty = true;
    }
  }

  /** The plan's status, or undefined for an unknown plan. */
  get(planKey: string): Promise<PlanStatus> | undefined {
    return this.getCached(planKey)?.then((c) => c.status);
  }

  getCached(planKey: string): Promise<CachedStatus> | undefined {
    if (!this.plans.get(planKey)) return undefined;
    let entry = this.#entries.get(planKey);
    if (!entry) {
      entry = { computedAt: 0, dirty: true };
      this.#entries.set(planKey, entry);
    }
    if (!this.#listening) entry.dirty = true;
    if (entry.value && !entry.dirty) {
      if (Date.now() - entry.computedAt >= this.ttlMs) this.#refresh(planKey, entry);
      return Promise.resolve(entry.value);
    }
    return this.#refresh(planKey, entry);
  }

  #refresh(planKey: string, entry: Entry): Promise<CachedStatus> {
    if (entry.computing) return entry.computing;
    const plan = this.plans.get(planKey);
    if (!plan) return Promise.reject(new Error(`plan ${planKey} is gone`));
    entry.dirty = false;
    const startedAt = Date.now();
    const now = this.now();
    const computing = readPlanFacts(this.db, planKey, now, new Date(now.getTime() - 7 * DAY)).then(
      (facts) => {
        const status = assembleStatus(plan, facts, now);
        return { status, json: JSON.stringify(status) };
      },
    );
    entry.computing = computing;
    computing.then(
      (value) => {
        entry.value = value;
        entry.computedAt = startedAt;
        entry.computing = undefined;
      },
      () => {
        entry.dirty = true;
        entry.computing = undefined;
      },
    );
    return computing;
  }
}
