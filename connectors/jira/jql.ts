import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns/format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Used when Jira does not tell us the user's zone: UTC-12 is the zone furthest behind, so a time
 * written in it denotes an instant no later than ours in any zone Jira may read it in — the search
 * may read more than it needs, never less.
 */
export const FALLBACK_TIME_ZONE = 'Etc/GMT+12';

export function isKnownTimeZone(timeZone: string | undefined | null): timeZone is string {
  return !!timeZone && Number.isFinite(tzOffset(timeZone, new Date()));
}

/** `yyyy/MM/dd HH:mm` as the querying user's clock shows it: how JQL reads date literals. */
export function jqlTime(instantMs: number, timeZone: string): string {
  return format(new TZDate(instantMs, timeZone), 'yyyy/MM/dd HH:mm');
}

/**
 * The start of the re-read window for a high-water mark: `overlap` before it, floored to the
 * minute (JQL's precision). Returns the instant (to prune the dedupe set) and its JQL text.
 */
export function windowStart(
  highWater: string,
  overlapMinutes: number,
  timeZone: string,
): { atMs: number; text: string } {
  let atMs = Math.floor((Date.parse(highWater) - overlapMinutes * MINUTE) / MINUTE) * MINUTE;
  let text = jqlTime(atMs, timeZone);
  // When clocks go back, a wall time occurs twice; if ours is the first occurrence, Jira might
  // read the second and skip an hour. Step back before the repeated hour instead.
  if (jqlTime(atMs + HOUR, timeZone) === text) {
    atMs -= HOUR;
    text = jqlTime(atMs, timeZone);
  }
  return { atMs, text };
}

/** The incremental search: scope, optional lower bound, a total order so paging is stable. */
export function changedIssuesJql(scope: string, boundText?: string): string {
  const where = boundText ? `(${scope}) AND updated >= "${boundText}"` : `(${scope})`;
  return `${where} ORDER BY updated ASC, key ASC`;
}

/** The reconciliation listing: every issue in scope, in an order updates cannot reshuffle. */
export function scopeListingJql(scope: string): string {
  return `(${scope}) ORDER BY key ASC`;
}
