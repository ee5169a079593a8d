import type { CompiledPlan } from '../domain/plan.js';
import { duplicatePlanError, loadMappingDir } from './load-mapping.js';
import type { MappingError } from './mapping-error.js';

export interface ReloadResult {
  /** Keys of plans that are new or whose file changed (by hash or path): re-derive these. */
  changed: string[];
  /** Keys of plans no longer in force (their file was deleted or now holds another plan). */
  removed: string[];
  /** Files whose last good version stays in force because the current one is refused. */
  stale: string[];
  errors: MappingError[];
}

/**
 * The plans in force. A file that fails to load keeps its last good version in force (same
 * file), with the errors kept for display; a file that is deleted takes its plan with it.
 */
export class MappingSet {
  /** file → the plan last loaded from it without errors. */
  private good = new Map<string, CompiledPlan>();
  private lastErrors: MappingError[] = [];
  private staleFiles: string[] = [];

  async reload(dir: string): Promise<ReloadResult> {
    const before = this.byKey();
    const result = await loadMappingDir(dir);
    if (result.files.length === 0 && result.errors.length > 0) {
      // The directory itself is unreadable: nothing is known to be gone, so everything stays.
      this.lastErrors = result.errors;
      this.staleFiles = [...this.good.keys()];
      return { changed: [], removed: [], stale: [...this.staleFiles], errors: result.errors };
    }
    const next = new Map<string, CompiledPlan>();
    const stale: string[] = [];
    for (const file of result.files) {
      const previous = this.good.get(file.file);
      if (!file.plan && previous) {
        next.set(file.file, previous);
        stale.push(file.file);
      }
    }
    const errors: MappingError[] = [];
    const taken = new Map([...next.values()].map((plan) => [plan.key, plan.sourceFile]));
    for (const file of result.files) {
      errors.push(...file.errors);
      if (!file.plan) continue;
      // A plan kept in force from a broken file still owns its key.
      const holder = taken.get(file.plan.key);
      if (holder !== undefined && holder !== file.file) {
        errors.push(duplicatePlanError(file, holder));
        const previous = this.good.get(file.file);
        if (previous && !taken.has(previous.key)) {
          next.set(file.file, previous);
          stale.push(file.file);
        }
        continue;
      }
      next.set(file.file, file.plan);
      taken.set(file.plan.key, file.file);
    }
    this.good = next;
    this.lastErrors = errors;
    this.staleFiles = stale;
    const after = this.byKey();
    const changed = [...after.values()]
      .filter((plan) => {
        const old = before.get(plan.key);
        return !old || old.hash !== plan.hash || old.sourceFile !== plan.sourceFile;
      })
      .map((plan) => plan.key);
    const removed = [...before.keys()].filter((key) => !after.has(key));
    return { changed, removed, stale: [...stale], errors };
  }

  /** The plans in force, by key. */
  plans(): CompiledPlan[] {
    return [...this.good.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  plan(key: string): CompiledPlan | undefined {
    return this.byKey().get(key);
  }

  /** The errors of the last reload, every file's. */
  errors(): MappingError[] {
    return [...this.lastErrors];
  }

  /** Files refused at the last reload whose previous version is still in force. */
  staleFilesInForce(): string[] {
    return [...this.staleFiles];
  }

  private byKey(): Map<string, CompiledPlan> {
    return new Map([...this.good.values()].map((plan) => [plan.key, plan]));
  }
}
