import { defineConnector } from '../../src/connectors/kit/index.js';
import { GitHubConfig } from './config.js';
import { notifyGitHub } from './notify.js';
import { pullGitHub } from './pull.js';
import { githubWebhook } from './webhook.js';

/**
 * GitHub issues and pull requests (github.com or Enterprise Server), pulled incrementally with
 * conditional requests and kept fresh by signed webhooks. Setup: docs/connectors/github.md.
 */
export const githubConnector = defineConnector({
  kind: 'github',
  config: GitHubConfig,
  pull: pullGitHub,
  webhook: githubWebhook,
  notify: notifyGitHub,
  // GitHub asks for few concurrent requests and caps one endpoint at 900 points a minute.
  pacing: { concurrency: 4, intervalCap: 900, intervalMs: 60_000 },
});

export default githubConnector;
