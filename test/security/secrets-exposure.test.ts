import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { scrubSecrets, secretValues } from '../../src/config/secret-box.js';
import { syncConnection } from '../../src/jobs/sync-connection.js';
import { ConnectionRegistry } from '../../src/runtime/connection-registry.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { BatonServices } from '../../src/runtime/services.js';
import { ensureConnection } from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createToken } from '../../src/store/tokens.repository.js';
import { testPlan } from '../support/plan-fixture.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';
import { FOUR_TOOLS_YAML, registerFourTools, SECRETS } from './support/four-tools.js';

const TOKEN = 'ghp_known-token-that-must-never-appear-0042';
const WEBHOOK_SECRET = 'known-webhook-secret-that-must-never-appear';

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let tool: Server;
let admin: string;
let captured = '';
const sink = new Writable({
  write(chunk, _encoding, done) {
    captured += chunk.toString();
    done();
  },
});

beforeAll(async () => {
  registerFourTools();
  // A GitHub that refuses the token, the way the real one answers a revoked token.
  tool = createServer((_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Bad credentials', status: '401' }));
  });
  await new Promise<void>((resolve) => tool.listen(0, '127.0.0.1', resolve));
  const port = (tool.address() as AddressInfo).port;
  const yaml = `${FOUR_TOOLS_YAML}  failing:\n    kind: github\n    repos: [acme/checkout]\n    token: ${TOKEN}\n    webhookSecret: \${HOOK}\n    baseUrl: http://127.0.0.1:${port}\n`;
  const { connections } = parseBatonConfig(yaml, 'baton.yaml', { HOOK: WEBHOOK_SECRET });

  database = await createTestDatabase();
  const log = createLogger('trace', sink);
  services = { ...(await testServices(database, { plans: [testPlan()] })), log };
  services.connections = new ConnectionRegistry(database.db, log, 'http://baton.test');
  for (const connection of connections) {
    await ensureConnection(database.db, connection.name, connection.kind, connection.declared);
    services.connections.add(connection);
  }
  app = await buildApp({ services, logger: log, auth: { mode: 'required', shareSecret: async () => 's' } });
  await app.ready();
  admin = (await createToken(database.db, 'ops', 'admin')).token;
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
  await new Promise((resolve) => tool.close(resolve));
});

const ALL_SECRETS = [TOKEN, WEBHOOK_SECRET, ...Object.values(SECRETS)];

describe('connector secrets', () => {
  it('never reach the log lines of a failing sync', async () => {
    const connection = services.connections.get('failing');
    if (!connection) throw new Error('no failing connection');
    const outcome = await syncConnection(database.db, services.plans, connection);
    expect(outcome.ok).toBe(false);
    expect(captured).toContain('sync failed'); // the failure was logged …
    for (const secret of ALL_SECRETS) expect(captured).not.toContain(secret); // … without a secret
  });

  it('are stored in connections.settings only as references, never as values', async () => {
    const rows = await database.db.selectFrom('connections').select(['name', 'settings']).execute();
    expect(rows.map((r) => r.name).sort()).toEqual(['drive', 'failing', 'github', 'jira', 'outlook']);
    const stored = JSON.stringify(rows);
    for (const secret of ALL_SECRETS) expect(stored).not.toContain(secret);
    expect(stored).toContain(`\${HOOK}`);
  });

  it('never appear in an API answer or a page, even to an admin', async () => {
    const urls = [
      '/api/connections',
      '/connections/failing',
      '/connections/github',
      '/',
      '/api/plans',
      '/api/plans/checkout/status',
      '/api/handoffs',
      '/metrics',
      '/docs/json',
    ];
    const headers = { authorization: `Bearer ${admin}` };
    const connections = await app.inject({ url: '/api/connections', headers });
    expect(connections.json().connections.map((c: { name: string }) => c.name)).toContain('failing');
    for (const url of urls) {
      const response = await app.inject({ url, headers });
      expect(response.statusCode, url).toBeLessThan(500);
      for (const secret of ALL_SECRETS) expect(response.body, `${url} shows a secret`).not.toContain(secret);
      expect(response.body, url).not.toMatch(/"settings"/);
    }
  });

  it('can be blanked from an error text that echoes them (for sync-connection.ts to apply)', () => {
    const settings = services.connections.get('failing')?.config.settings;
    const echoed = `401: Bad credentials for "token ${TOKEN}" (hook ${WEBHOOK_SECRET})`;
    const scrubbed = scrubSecrets(echoed, secretValues(settings));
    expect(scrubbed).toBe('401: Bad credentials for "token [redacted]" (hook [redacted])');
  });
});
