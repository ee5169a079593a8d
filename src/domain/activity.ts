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
 */
export function mergeActivity(known: Activity[], incoming: Activity[]): Activity[] {
  const byId = new Map<string, Activity>();
  const byShape = new Set<string>();
  for (const activity of [...known, ...incoming]) {
    if (byId.has(activity.id)) continue;
    const shape = sameActivityKey(activity);
    if (byShape.has(shape)) continue;
    byId.set(activity.id, activity);
    byShape.add(shape);
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
}
