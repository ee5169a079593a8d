import { fillPlaceholders, placeholderRoots, type TimelineStep } from './timeline.js';
import type { DemoWorld } from './world.js';

export interface DriverOptions {
  /** Loops started in earlier runs: `{n}` carries on after them. */
  loopsDone: number;
  /** One line per action (and per step that could not run). */
  log(line: string, step: TimelineStep): void;
  /** Called when a loop of the script starts. */
  onLoop?(loop: number): void;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Plays `timeline.yaml` against the simulators: each step calls one control by name, waits its
 * `after` seconds first, and prints its `say` line. At the end the script starts over with the
 * next loop number, so the items a loop creates get fresh titles.
 */
export class ScenarioDriver {
  #index = 0;
  #loop: number;
  #vars: Record<string, unknown> = {};
  /** Results a loop could not produce (their step was skipped): steps needing them skip too. */
  #missing = new Set<string>();
  #abort = new AbortController();
  #running: Promise<void> | undefined;

  constructor(
    private readonly steps: TimelineStep[],
    private readonly world: DemoWorld,
    private readonly options: DriverOptions,
  ) {
    this.#loop = options.loopsDone + 1;
    this.#vars = { n: this.#loop };
  }

  get loop(): number {
    return this.#loop;
  }

  /** The results kept (`as`) by the steps of the current loop so far. */
  get kept(): Readonly<Record<string, unknown>> {
    return this.#vars;
  }

  /** Runs the script in the background until `stop()`. */
  start(): void {
    this.#running ??= (async () => {
      const wait = this.options.sleep ?? sleep;
      this.options.onLoop?.(this.#loop);
      while (!this.#abort.signal.aborted) {
        await wait(this.steps[this.#index].after * 1000, this.#abort.signal);
        if (this.#abort.signal.aborted) break;
        await this.next();
      }
    })();
  }

  /** Runs the next step now, whatever its `after` says (tests, and the loop above). */
  async next(): Promise<string | undefined> {
    const step = this.steps[this.#index];
    const line = await this.run(step);
    this.#index += 1;
    if (this.#index === this.steps.length) {
      this.#index = 0;
      this.#loop += 1;
      this.#vars = { n: this.#loop };
      this.#missing.clear();
      this.options.onLoop?.(this.#loop);
    }
    return line;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
  }

  private async run(step: TimelineStep): Promise<string | undefined> {
    const skip = (why: string) => {
      if (step.as) this.#missing.add(step.as);
      this.options.log(`skipped (${why}): ${step.tool}.${step.control}`, step);
      return undefined;
    };
    const control = this.world.control(step.tool, step.control);
    if (!this.world.tools.includes(step.tool)) return skip(`${step.tool} is not simulated`);
    if (!control) return skip(`${step.tool} has no control "${step.control}"`);
    const needs = placeholderRoots(step.args).filter((name) => this.#missing.has(name));
    if (needs.length > 0) return skip(`needs {${needs[0]}} from a skipped step`);
    try {
      const result = await control(...(fillPlaceholders(step.args, this.#vars) as unknown[]));
      if (step.as) this.#vars[step.as] = result;
      const line = String(fillPlaceholders(step.say, this.#vars));
      this.options.log(line, step);
      return line;
    } catch (error) {
      return skip(`failed: ${(error as Error).message}`);
    }
  }
}
