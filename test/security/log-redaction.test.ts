import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { secretValues } from '../../src/config/secret-box.js';
import { createLogger } from '../../src/runtime/logger.js';
import { FOUR_TOOLS_YAML, registerFourTools } from './support/four-tools.js';

/** Every credential shape each connector accepts, beyond the four-tools file's. */
const VARIANTS = `
  gh-app:
    kind: github
    repos: [acme/checkout]
    app: { appId: 1, installationId: 2, privateKey: "-----BEGIN RSA PRIVATE KEY-----\\nprivate-key-body-never-shown\\n-----END RSA PRIVATE KEY-----" }
    webhookSecret: gh-app-webhook-secret-never-shown
    previousWebhookSecret: gh-previous-webhook-secret-never-shown
  jira-oauth:
    kind: jira
    host: https://api.atlassian.com/ex/jira/cloud-1
    auth: { bearerToken: jira-bearer-token-never-shown }
    jql: project = CHK
  drive-oauth:
    kind: drive
    auth: { oauth: { clientId: c, clientSecret: drive-client-secret-never-shown, refreshToken: drive-refresh-token-never-shown } }
    folders: [f1]
  drive-sa:
    kind: drive
    auth: { serviceAccount: { keyJson: '{"private_key":"sa-key-never-shown"}', subject: pm@acme.test } }
    folders: [f1]
  outlook-secret:
    kind: outlook
    tenantId: t
    clientId: c
    clientSecret: outlook-client-secret-never-shown
    mailboxes: [{ user: pm@acme.test }]
  outlook-cert:
    kind: outlook
    tenantId: t
    clientId: c
    certificate: { pem: "-----BEGIN PRIVATE KEY-----\\ncertificate-key-never-shown\\n-----END PRIVATE KEY-----" }
    mailboxes: [{ user: pm@acme.test }]
`;

describe('logs of connection settings', () => {
  it('blank every secret setting of every connector, however the settings are logged', () => {
    registerFourTools();
    const { connections } = parseBatonConfig(`${FOUR_TOOLS_YAML}${VARIANTS}`, 'baton.yaml', {});
    let captured = '';
    const log = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          captured += chunk.toString();
          done();
        },
      }),
    );
    const secrets: string[] = [];
    for (const { name, kind, settings } of connections) {
      secrets.push(...secretValues(settings));
      log.info({ settings }, 'settings');
      log.info({ connection: { name, kind, settings } }, 'the connection');
      log.child({ connection: name }).warn({ config: { name, settings } }, 'a connection config');
    }
    expect(secrets).toHaveLength(17); // every credential above
    expect(captured.split('\n').filter(Boolean)).toHaveLength(connections.length * 3);
    for (const secret of secrets) expect(captured, secret).not.toContain(secret);
    // Blanked, not dropped: the lines still say which settings there were.
    expect(captured.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(secrets.length * 3);
  });
});
