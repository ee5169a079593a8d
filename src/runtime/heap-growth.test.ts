import { describe, expect, it } from 'vitest';
import { growHeapForSyncs } from './heap-growth.js';

describe('growing a syncing process’s heap in larger steps', () => {
  it('sets the growing factor when the process was started without one', () => {
    expect(growHeapForSyncs(['--max-old-space-size=256', '--max-semi-space-size=16'])).toBe(true);
  });

  it('keeps a growing factor the process was started with, in either spelling', () => {
    expect(growHeapForSyncs(['--heap-growing-percent=50'])).toBe(false);
    expect(growHeapForSyncs(['--heap_growing_percent=300'])).toBe(false);
  });
});
