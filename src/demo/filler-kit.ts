/**
 * Deterministic randomness for the filler: the same spec always expands to the same items.
 * Each group draws from its own stream (seed + group name), so editing one group leaves the
 * items of every other group as they were.
 */

import { mulberry32 } from '../connectors/kit/seeded-random.js';

export type Rand = () => number;

/** A stream seeded by the spec's seed and a salt (the group's name). */
export function randomStream(seed: number, salt: string): Rand {
  let state = seed >>> 0;
  for (const ch of salt) state = Math.imul(state ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return mulberry32(state);
}

export function pick<T>(rand: Rand, list: readonly T[]): T {
  if (list.length === 0) throw new Error('demo filler: nothing to pick from (an empty list in filler.yaml)');
  return list[Math.floor(rand() * list.length)];
}

export function between(rand: Rand, low: number, high: number): number {
  return low + rand() * (high - low);
}

/** `{ Done: 3, "To Do": 1 }` → `Done` three times as often as `To Do`. */
export function weighted(rand: Rand, weights: Record<string, number>): string {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let at = rand() * total;
  for (const [name, weight] of entries) {
    at -= weight;
    if (at < 0) return name;
  }
  return entries[entries.length - 1][0];
}

/**
 * A title from a template: `{name}` takes a random entry of `words.name`; `values` (such as
 * `{n}`) are used as given. An unknown name is an error, so a typo in filler.yaml shows at once.
 */
export function fillTemplate(
  template: string,
  rand: Rand,
  words: Record<string, string[]>,
  values: Record<string, string> = {},
): string {
  return template.replace(/\{([A-Za-z][\w-]*)\}/g, (_, name: string) => {
    if (name in values) return values[name];
    const list = words[name];
    if (!list)
      throw new Error(
        `demo filler: template "${template}" names {${name}}, which filler.yaml does not define`,
      );
    return pick(rand, list);
  });
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A moment `days` before the epoch, moved into 08:00–17:00 UTC on a weekday. */
export function workingMoment(epoch: Date, days: number, rand: Rand): number {
  let at = epoch.getTime() - Math.floor(days) * DAY_MS;
  const weekday = new Date(at).getUTCDay();
  if (weekday === 0) at -= 2 * DAY_MS;
  if (weekday === 6) at -= DAY_MS;
  const midnight = Math.floor(at / DAY_MS) * DAY_MS;
  return midnight + 8 * HOUR_MS + Math.floor((rand() * 9 * HOUR_MS) / 60_000) * 60_000;
}

export const HOURS = HOUR_MS;
export const DAYS = DAY_MS;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
