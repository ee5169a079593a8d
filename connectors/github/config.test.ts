import { describe, expect, it } from 'vitest';
import { GitHubConfig } from './config.js';
import { expiryAwareCache, RENEW_MARGIN_MS } from './installation-tokens.js';

const base = { repos: ['acme/checkout'], webhookSecret: 'shh' };
const app = {
  appId: '31337',
  privateKey: '-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----',
  installationId: '4242',
};

describe('GitHub connection settings', () => {
  it('fills the defaults', () => {
    expect(GitHubConfig.parse({ ...base, token: 'ghp_x' })).toEqual({
      ...base,
      token: 'ghp_x',
      baseUrl: 'https://api.github.com',
      reconcileEveryHours: 24,
      perPage: 100,
    });
  });

  it('takes an App instead of a token, repairing a PEM pasted with literal \\n and numbers given as text', () => {
    const parsed = GitHubConfig.parse({ ...base, app });
    expect(parsed.app).toEqual({
      appId: '31337',
      privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      installationId: 4242,
    });
  });

  it.each([
    ['neither a token nor an App', {}],
    ['both a token and an App', { token: 'ghp_x', app }],
  ])('refuses %s', (_, auth) => {
    const result = GitHubConfig.safeParse({ ...base, ...auth });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('set exactly one of token or app');
  });

  it('refuses a repository that is not owner/name, and an empty list', () => {
    expect(GitHubConfig.safeParse({ ...base, token: 'x', repos: ['checkout'] }).success).toBe(false);
    expect(GitHubConfig.safeParse({ ...base, token: 'x', repos: [] }).success).toBe(false);
  });

  it('drops a trailing slash from an Enterprise Server base URL', () => {
    expect(
      GitHubConfig.parse({ ...base, token: 'x', baseUrl: 'https://ghe.acme.example/api/v3/' }).baseUrl,
    ).toBe('https://ghe.acme.example/api/v3');
  });
});

describe('installation token cache', () => {
  const entry = (expiresAt: string) =>
    `ghs_abc|2024-06-01T12:00:00.000Z|${expiresAt}|selected|issues,metadata|`;

  it('serves a cached token until the renewal margin before it expires, then forgets it', () => {
    let now = Date.parse('2024-06-01T12:00:00Z');
    const cache = expiryAwareCache(() => now);
    cache.set('4242', entry('2024-06-01T13:00:00Z'));
    expect(cache.get('4242')).toMatch(/^ghs_abc\|/);
    now = Date.parse('2024-06-01T13:00:00Z') - RENEW_MARGIN_MS - 1;
    expect(cache.get('4242')).toMatch(/^ghs_abc\|/);
    now += 1;
    expect(cache.get('4242')).toBe('');
    expect(cache.get('4242')).toBe('');
  });

  it('does not trust a token whose expiry it cannot read', () => {
    const cache = expiryAwareCache(() => 0);
    cache.set('4242', 'ghs_abc|2024-06-01T12:00:00.000Z|not-a-date');
    expect(cache.get('4242')).toBe('');
  });
});
