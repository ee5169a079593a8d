import { watch } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { JobScheduler } from '../jobs/scheduler.js';
import { formatMappingError } from '../mapping/mapping-error.js';
import { MappingSet } from '../mapping/mapping-set.js';
import { removePlansExcept, savePlan, storedPlanHashes } from '../store/plans.repository.js';
import type { Database } from '../store/schema.js';
import type { PlanRegistry } from './plan-registry.js';

/**
 * Loads mappings/*.yaml into the registry and the database. Changed plans are re-derived from
 * stored items by a job; a broken file keeps its last good version in force.
 */
export class PlanLoader {
  readonly #set = new MappingSet();
  #watcher?: ReturnType<typeof watch>;
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly db: Kysely<Database>,
    private readonly registry: PlanRegistry,
    private readonly log: Logger,
  ) {}

  /** Loads and stores the plans; returns the keys whose stored version changed (to re-derive). */
  async load(): Promise<string[]> {
    const result = await this.#set.reload(this.dir);
    const plans = this.#set.plans();
    const errors = result.errors.map(formatMappingError);
    for (const error of errors)
      this.log.error({ mapping: error }, 'mapping file refused; its last good version stays in force');
    const stored = await storedPlanHashes(this.db);
    const changed: string[] = [];
    for (const plan of plans) {
      if (stored.get(plan.key) !== plan.hash) {
        await savePlan(this.db, plan);
        changed.push(plan.key);
      }
    }
    // A plan whose file is gone goes; with every file refused, nothing is removed.
    if (plans.length > 0 || result.errors.length === 0) {
      const removed = await removePlansExcept(
        this.db,
        plans.map((p) => p.key),
      );
      if (removed.length > 0) this.log.info({ removed }, 'plans removed with their files');
    }
    this.registry.replace(plans, errors);
    return changed;
  }

  /** Reloads when a file in the folder changes, then schedules re-derivation of what changed. */
  watch(scheduler: JobScheduler): void {
    try {
      this.#watcher = watch(this.dir, () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(async () => {
          try {
            const changed = await this.load();
            for (const key of changed) await scheduler.rederive(key);
            if (changed.length > 0) this.log.info({ changed }, 'mapping files reloaded');
          } catch (error) {
            this.log.error({ err: error }, 'could not reload mapping files');
          }
        }, 200);
      });
    } catch (error) {
      this.log.warn(
        { err: error, dir: this.dir },
        'cannot watch the mappings folder; restart to pick up changes',
      );
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
  }
}
