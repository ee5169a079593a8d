import { setFlagsFromString } from 'node:v8';

/** The growing factor a syncing process's old generation gets: ×2 after each full collection. */
export const SYNC_HEAP_GROWING_PERCENT = 100;

/**
 * Lets a process that syncs grow its old generation in larger steps between full collections.
 * A sync holds ~1,300 records in its pipeline, so they outlive the young generation and are
 * promoted, then die there. Under a heap cap (docker-compose gives workers 256 MB) V8 treats
 * the process as memory-constrained and grows the old generation by only ~1.3× after each full
 * collection, so a mark-compact came every 15–30 MB promoted: a 100,000-issue sync spent a
 * third of its CPU marking. ×2 keeps the same cap (peak RSS 255–266 MB instead of ~225 MB) and
 * took the sync from 39.7–43.7 s to 31.2–35.1 s on the same machine (docs/performance.md,
 * fifth session). Node refuses this V8 flag in NODE_OPTIONS, hence this call; a process
 * started with its own `--heap-growing-percent` keeps it. V8 reads the flag each time it sizes
 * the heap, so setting it at startup is enough.
 */
export function growHeapForSyncs(execArgv: readonly string[] = process.execArgv): boolean {
  if (
    execArgv.some(
      (arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent'),
    )
  ) {
    return false;
  }
  setFlagsFromString(`--heap-growing-percent=${SYNC_HEAP_GROWING_PERCENT}`);
  return true;
}
