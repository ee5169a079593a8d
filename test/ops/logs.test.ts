import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonApp, buildApp } from '../../src/api/app.js';
import { ConnectionRegistry } from '../../src/runtime/connection-registry.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { registerFakeConnector } from '../support/fake-connector.js';
import { createTestDatabase } from '../support/test-database.js';
import { testServices } from '../support/test-services.js';

const TOKEN = 'ghp_secretTokenValue123456';
const BEARER = 'bearer-secret-4f9c2e';
const SIGNATURE = 'sha256=0123456789abcdef0123456789abcdef';
const SECRETS = [TOKEN, BEARER, SIGNATURE, 'webhook-secret-77'];

let database: DatabaseHandle;
let services: BatonServices;
let app: BatonApp;
let captured = '';
const lines = () =>
  captured
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** A client error as axios/gaxios and octokit shape them: the request's headers ride along. */
function clientError(): Error {
  return Object.assign(new Error('request failed with status 500'), {
    config: { headers: { Authorization: `Bearer ${TOKEN}` } },
    request: { headers: { authorization: `token ${TOKEN}` } },
  });
}

/** Routes that log what careless code might: headers, a whole connection, a client's error. */
async function loggingRoutes(instance: BatonApp): Promise<void> {
  instance.get('/ops-test/log', { config: { access: 'public' } }, async (request) => {
    const connection = instance.services.connections.get('github')!;
    const ctx = connection.context();
    request.log.info({ req: { headers: request.headers } }, 'incoming headers');
    request.log.info({ connection: connection.config }, 'the connection');
    ctx.log.info({ config: ctx.config }, 'the settings a connector sees');
    request.log.warn({ err: clientError() }, 'a client failed');
    return { ok: true };
  });
  instance.get('/ops-test/fail', { config: { access: 'public' } }, async () => {
    throw clientError();
  });
}

beforeAll(async () => {
  registerFakeConnector();
  database = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      captured += chunk;
      done();
    },
  });
  const log = createLogger('trace', sink);
  services = { ...(await testServices(database)), log };
  services.connections = new ConnectionRegistry(database.db, log, 'http://baton.test');
  services.connections.add({
    name: 'github',
    kind: 'fake',
    pollIntervalSeconds: 300,
    enabled: true,
    settings: { secret: 'fake-secret', token: TOKEN, webhookSecret: 'webhook-secret-77' },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: baton.yaml's own ${VAR} syntax
    declared: { token: '${GITHUB_TOKEN}', webhookSecret: '${GITHUB_WEBHOOK_SECRET}' },
  });
  app = await buildApp({ services, logger: log, plugins: [loggingRoutes] });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await services.scheduler.close();
  await database.close();
});

describe('logs', () => {
  it('never contain a secret from headers, connection settings or client errors', async () => {
    const headers = { authorization: `Bearer ${BEARER}`, 'x-hub-signature-256': SIGNATURE };
    const refused = await app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: '{}',
      headers: { ...headers, 'content-type': 'application/json', 'x-request-id': 'delivery-trace-1' },
    });
    expect(refused.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/ops-test/log', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/ops-test/fail', headers })).statusCode).toBe(500);

    const messages = lines().map((l) => l.msg);
    for (const expected of ['webhook refused', 'incoming headers', 'the connection', 'a client failed'])
      expect(messages).toContain(expected);
    expect(messages).toContain('request failed');
    for (const secret of SECRETS) expect(captured).not.toContain(secret);
    // The secrets were there and were blanked, not merely absent.
    expect(captured.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it("carries the request's id on every line a request logs, honouring x-request-id", () => {
    const requestLines = lines().filter((l) => l.msg !== 'the settings a connector sees');
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line.reqId, String(line.msg)).toEqual(expect.any(String));
    expect(lines().find((l) => l.msg === 'webhook refused')?.reqId).toBe('delivery-trace-1');
  });

  it('is pretty only on a terminal: with a destination, lines are JSON', () => {
    expect(() => lines()).not.toThrow();
  });
});

describe('x-request-id', () => {
  it('echoes the incoming id in the response', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(response.headers['x-request-id']).toBe('abc-123');
  });

  it('gives a request without one a fresh id, different each time', async () => {
    const first = await app.inject({ method: 'GET', url: '/healthz' });
    const second = await app.inject({ method: 'GET', url: '/healthz' });
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('replaces an id that is not a plain token rather than copying it into logs', async () => {
    for (const bad of ['a b', 'x'.repeat(200), '{"json":1}']) {
      const response = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
