import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

const WEEK_MS = 7 * 86_400_000;

/** What the demo keeps between runs in `.baton/demo/clock.json`. */
const DemoState = z.object({
  /** The moment the scenario's epoch stands for; seeds are shifted by `anchor - epoch` in every run. */
  anchor: z.iso.datetime(),
  /** Demo time minus real time when the demo last saved: the demo clock carries on from there. */
  offsetMs: z.number(),
  /** Timeline loops started so far, so the items each loop creates get fresh titles across runs. */
  loops: z.number().int().min(0),
  runs: z.number().int().min(0),
});
export type DemoState = z.infer<typeof DemoState>;

/**
 * The first run opens on the scenario's epoch moved forward by whole weeks to the latest such
 * moment not after now: the story always starts on the weekday and hour it was written for.
 */
export function anchorFor(epoch: Date, realNow: Date): Date {
  const weeks = Math.floor((realNow.getTime() - epoch.getTime()) / WEEK_MS);
  return new Date(epoch.getTime() + weeks * WEEK_MS);
}

export async function loadDemoState(file: string): Promise<DemoState | undefined> {
  if (!existsSync(file)) return undefined;
  const parsed = DemoState.safeParse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

export async function saveDemoState(file: string, state: DemoState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Written aside and renamed: a Ctrl-C mid-write must not leave half a file.
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/**
 * One clock for the whole demo world: every simulator and Baton (`startBaton`'s `now`) read it.
 * It starts at `start` and runs `factor` times faster than real time.
 */
export class DemoClock {
  readonly #startMs: number;
  readonly #realStartMs: number;

  constructor(
    start: Date,
    readonly factor = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    this.#startMs = start.getTime();
    this.#realStartMs = realNow();
  }

  ms = (): number => this.#startMs + Math.round((this.realNow() - this.#realStartMs) * this.factor);

  now = (): Date => new Date(this.ms());

  /** Demo time minus real time, as `clock.json` keeps it. */
  offsetMs(): number {
    return this.ms() - this.realNow();
  }
}
