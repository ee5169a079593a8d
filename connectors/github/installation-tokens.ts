/**
 * The cache @octokit/auth-app keeps installation tokens in. Its own cache trusts every token for
 * 59 minutes whatever `expires_at` says (toad-cache TTL), which is only right for github.com's
 * one-hour tokens; this one reads the token's `expires_at` and forgets it a margin before, so a
 * token is always renewed before it expires. One cache per App installation lives for the
 * process, so successive pulls reuse a token instead of minting one per pull.
 */

/** auth-app's cache interface; an empty string means "not cached". */
export interface TokenCache {
  get(key: string): string;
  set(key: string, value: string): void;
}

/** Renew this long before expiry: covers clock skew and a slow page walk. */
export const RENEW_MARGIN_MS = 5 * 60_000;

const caches = new Map<string, TokenCache>();

export function installationTokenCache(scope: string, now: () => number = Date.now): TokenCache {
  let cache = caches.get(scope);
  if (!cache) {
    cache = expiryAwareCache(now);
    caches.set(scope, cache);
  }
  return cache;
}

export function expiryAwareCache(now: () => number): TokenCache {
  const entries = new Map<string, string>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return '';
      // auth-app stores `token|createdAt|expiresAt|…`.
      const expiresAt = Date.parse(value.split('|')[2] ?? '');
      if (Number.isNaN(expiresAt) || expiresAt - RENEW_MARGIN_MS <= now()) {
        entries.delete(key);
        return '';
      }
      return value;
    },
    set(key, value) {
      entries.set(key, value);
    },
  };
}
