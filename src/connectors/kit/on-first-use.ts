import { createRequire } from 'node:module';

/**
 * A tool's SDK, loaded the first time a connection of that kind calls it rather than when Baton
 * starts. Every process registers all four connectors, and their SDKs together hold about 100 MB
 * resident (measured) — a worker syncing only Jira has no use for Google's, Microsoft's or
 * GitHub's. `from` is the caller's `import.meta.url`, so the package resolves from the connector's
 * folder. Loading is synchronous (`require`, which Node 24 also serves for ES-module packages).
 */
export function onFirstUse<T>(from: string, specifier: string): () => T {
  const require = createRequire(from);
  let loaded: T | undefined;
  return () => {
    loaded ??= require(specifier) as T;
    return loaded;
  };
}
