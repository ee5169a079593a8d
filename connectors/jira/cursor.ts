import { z } from 'zod';
import type { Json } from '../../src/connectors/kit/index.js';

/** Jira says a page token lives 7 days; stop trusting it a little earlier. */
export const PAGE_TOKEN_TTL_MS = 6 * 24 * 3600_000;
/** How long the user's time zone is trusted before asking `/myself` again. */
export const TIME_ZONE_TTL_MS = 24 * 3600_000;

/**
 * Where a Jira pull stands. `since` and `seen` alone are enough to resume; `page` only saves
 * re-reading a window when the page token is still fresh.
 */
export const JiraCursor = z.object({
  v: z.literal(1),
  /** Highest `updated` among the issues read so far (ISO); null before anything was read. */
  since: z.string().nullable(),
  /** `id@updated` of versions already yielded that the next search window can return again. */
  seen: z.array(z.string()),
  /** The querying user's zone (JQL date literals are read in it) and when it was asked for. */
  zone: z.object({ id: z.string(), checkedAt: z.string() }).nullable(),
  /** An unfinished pass: the JQL it ran, its next page token and when the token was issued. */
  page: z.object({ jql: z.string(), token: z.string(), issuedAt: z.string() }).nullable(),
  /** When the last reconciliation (or a complete first pass) started. */
  reconciledAt: z.string().nullable(),
});
export type JiraCursor = z.infer<typeof JiraCursor>;

export const EMPTY_CURSOR: JiraCursor = {
  v: 1,
  since: null,
  seen: [],
  zone: null,
  page: null,
  reconciledAt: null,
};

/** A cursor Baton stored earlier; anything unreadable starts over (a full pass dedupes nothing away). */
export function readCursor(raw: Json): JiraCursor {
  const parsed = JiraCursor.safeParse(raw);
  return parsed.success ? parsed.data : EMPTY_CURSOR;
}

export const versionKey = (id: string, updatedAt: string) => `${id}@${updatedAt}`;

/** Keeps the versions whose `updated` the next window (starting at `fromMs`) can still return. */
export function pruneSeen(seen: Iterable<string>, fromMs: number): string[] {
  const kept: string[] = [];
  for (const key of seen) {
    const at = Date.parse(key.slice(key.indexOf('@') + 1));
    if (at >= fromMs) kept.push(key);
  }
  return kept;
}

export function maxIso(a: string | null, b: string): string {
  return a === null || Date.parse(b) > Date.parse(a) ? b : a;
}
