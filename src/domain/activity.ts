import type { Activity } from './source-record.js';

/** The same real-world activity seen by a poll and by a webhook must count once. */
function sameActivityKey(activity: Activity): string {
  const second = activity.at.slice(0, 19);
  return `${activity.kind}|${activity.actor?.id ?? ''}|${activity.target?.id ?? ''}|${second}`;
}

/**
 * Union of what Baton already knew about an item's activity and what a new record brings,
 * de-duplicated by id and by (kind, actor, target, second), in time order. Webhooks often carry
 * one activity; polls carry the whole history: the union makes their order irrelevant.
 * Runs for every record a sync ingests: each time is parsed once (not in the comparator), and a
 * list already in order — what connectors hand over — is not sorted again.
 */
export function mergeActivity(known: Activity[], incoming: Activity[]): Activity[] {
  const byId = new Map<string, Activity>();
  const byShape = new Set<string>();
  for (const list of [known, incoming]) {
    for (const activity of list) {
      if (byId.has(activity.id)) continue;
      const shape = sameActivityKey(activity);
      if (byShape.has(shape)) continue;
      byId.set(activity.id, activity);
      byShape.add(shape);
    }
  }
  const merged = [...byId.values()];
  const times = merged.map((activity) => Date.parse(activity.at));
  let ordered = true;
  for (let i = 1; i < merged.length && ordered; i++) ordered = inOrder(merged, times, i - 1, i) <= 0;
  if (ordered) return merged;
  return merged
    .map((_, i) => i)
    .sort((i, j) => inOrder(merged, times, i, j))
    .map((i) => merged[i]);
}

/** Negative when activity i comes before j: by instant, then by id. */
function inOrder(list: Activity[], times: number[], i: number, j: number): number {
  return times[i] - times[j] || list[i].id.localeCompare(list[j].id);
}
