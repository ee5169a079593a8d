/** Polls `condition` until it returns a truthy value; fails after `timeoutMs` saying what it waited for. */
export async function waitUntil<T>(
  condition: () => Promise<T> | T,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<NonNullable<T>> {
  // performance.now(), not Date.now(): tests may stand the wall clock still.
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`waited ${timeoutMs} ms for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
