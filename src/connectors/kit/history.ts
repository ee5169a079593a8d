/**
 * The start of a first pull's history window, `days` before `now`, as ISO-8601 UTC to the second
 * (`2026-08-28T15:30:00Z`): the form the tools write their own times in, so it compares and
 * filters the same way on their side (GitHub's `since`, Graph's `receivedDateTime ge`).
 */
export function historyStart(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
