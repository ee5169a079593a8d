import { readFileSync } from 'node:fs';
import { contextFor } from '../../src/connectors/kit/contract-suite.js';
import type { ConnectorContext, StoredDelivery } from '../../src/connectors/kit/index.js';
import type { GitHubConfig } from './config.js';
import { githubConnector } from './index.js';

/** Shared by this folder's tests: fixtures, a context, a stored delivery. Not used at runtime. */

export const SECRET = 'It’s a Secret to Everybody';

export function fixtureText(path: string): string {
  return readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are GitHub JSON, read loosely by tests
export function fixture<T = any>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

export function githubContext(settings: Record<string, unknown> = {}): ConnectorContext<GitHubConfig> {
  return contextFor(githubConnector, {
    repos: ['acme/checkout'],
    token: 'ghp_test',
    webhookSecret: SECRET,
    baseUrl: 'https://gh.example.test',
    ...settings,
  });
}

export function storedDelivery(
  event: string,
  body: string | Buffer,
  receivedAt = new Date(),
): StoredDelivery {
  return {
    deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    event,
    headers: { 'x-github-event': event },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    receivedAt,
  };
}
