import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onFirstUse } from './on-first-use.js';

describe('an SDK loaded on first use', () => {
  it('is not loaded until called, then loaded once and shared', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-first-use-'));
    writeFileSync(
      join(dir, 'sdk.cjs'),
      'globalThis.sdkLoads = (globalThis.sdkLoads ?? 0) + 1; module.exports = { Client: class {} };',
    );
    const counter = globalThis as { sdkLoads?: number };
    const sdk = onFirstUse<{ Client: new () => object }>(
      pathToFileURL(join(dir, 'caller.js')).href,
      './sdk.cjs',
    );
    expect(counter.sdkLoads).toBeUndefined();
    const first = sdk();
    expect(sdk()).toBe(first);
    expect(counter.sdkLoads).toBe(1);
    expect(new first.Client()).toBeInstanceOf(first.Client);
  });

  it('names the package when it cannot be found', () => {
    const sdk = onFirstUse(import.meta.url, '@baton/not-installed');
    expect(() => sdk()).toThrow(/@baton\/not-installed/);
  });
});
