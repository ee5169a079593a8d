import { createHmac } from 'node:crypto';
import { registerAllConnectors } from '../../../connectors/index.js';
import jira from '../../../connectors/jira/index.js';
import { type ConnectionConfig, parseBatonConfig } from '../../../src/config/baton-config.js';
import type { Connector } from '../../../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../../../src/connectors/kit/registry.js';

/** Test secrets of the four tools' connections below. */
export const SECRETS = {
  githubToken: 'ghp_github-token-never-shown-1',
  githubWebhook: 'github-webhook-secret-never-shown-2',
  jiraApiToken: 'jira-api-token-never-shown-3',
  jiraWebhook: 'jira-webhook-secret-never-shown-4',
  graphToken: 'graph-access-token-never-shown-5',
  clientState: 'outlook-client-state-never-shown-6',
  driveToken: 'drive-access-token-never-shown-7',
  channelToken: 'drive-channel-token-never-shown-8',
} as const;

/** baton.yaml with one connection per tool, every secret written in clear (the worst case). */
export const FOUR_TOOLS_YAML = `connections:
  github:
    kind: github
    repos: [acme/checkout]
    token: ${SECRETS.githubToken}
    webhookSecret: ${SECRETS.githubWebhook}
    baseUrl: http://127.0.0.1:9
    enabled: false
  jira:
    kind: jira
    host: http://127.0.0.1:9
    auth: { email: bot@acme.test, apiToken: ${SECRETS.jiraApiToken} }
    jql: project = CHK
    webhookSecret: ${SECRETS.jiraWebhook}
    enabled: false
  outlook:
    kind: outlook
    accessToken: ${SECRETS.graphToken}
    baseUrl: https://127.0.0.1:9/v1.0
    mailboxes: [{ user: pm@acme.test }]
    clientState: ${SECRETS.clientState}
    enabled: false
  drive:
    kind: drive
    auth: { accessToken: ${SECRETS.driveToken} }
    rootUrl: http://127.0.0.1:9/
    folders: [folder1]
    channelToken: ${SECRETS.channelToken}
    enabled: false
`;

/** Every connector, Jira included (connectors/index.ts registers it once its helper is done). */
export function registerFourTools(): void {
  registerAllConnectors();
  if (!findConnector('jira')) registerConnector(jira as Connector);
}

export function fourToolConnections(yaml = FOUR_TOOLS_YAML): ConnectionConfig[] {
  registerFourTools();
  return parseBatonConfig(yaml, 'baton.yaml', {}).connections;
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** Headers that authenticate `body` for each tool, as the tool itself would send them. */
export function signedHeaders(kind: string, body: string, deliveryId: string): Record<string, string> {
  switch (kind) {
    case 'github':
      return {
        'x-hub-signature-256': `sha256=${hmac(SECRETS.githubWebhook, body)}`,
        'x-github-delivery': deliveryId,
        'x-github-event': 'issues',
      };
    case 'jira':
      return {
        'x-hub-signature': `sha256=${hmac(SECRETS.jiraWebhook, body)}`,
        'x-atlassian-webhook-identifier': deliveryId,
      };
    case 'drive':
      return {
        'x-goog-channel-token': SECRETS.channelToken,
        'x-goog-channel-id': 'channel-1',
        'x-goog-resource-state': 'change',
        'x-goog-message-number': deliveryId.replace(/\D/g, '') || '1',
      };
    default:
      return {};
  }
}

/** A Graph change-notification body carrying the connection's clientState. */
export function graphNotification(subscriptionExpiration: Date, id = 'n-1'): string {
  return JSON.stringify({
    value: [
      {
        id,
        subscriptionId: 'sub-1',
        subscriptionExpirationDateTime: subscriptionExpiration.toISOString(),
        clientState: SECRETS.clientState,
        changeType: 'created',
        resource: 'Users/pm@acme.test/Messages/AAMk=',
      },
    ],
  });
}
