import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockCheck, credentialsCheck, webhookCheck } from '../../src/cli/doctor-connection.js';
import { checkPublicUrl } from '../../src/cli/doctor-public-url.js';
import { readEnv } from '../../src/config/env.js';
import { defineConnector } from '../../src/connectors/kit/contract.js';
import { ConnectorHttpError } from '../../src/connectors/kit/pacing.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import { ConnectionRegistry, type RuntimeConnection } from '../../src/runtime/connection-registry.js';
import { ensureConnection, saveSubscription } from '../../src/store/connections.repository.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { storeDelivery } from '../../src/store/inbox.repository.js';
import { createTestDatabase } from '../support/test-database.js';
import { probeConnector } from './support/probe-connector.js';

/** Like the probe, but subscribing itself (as Graph and Drive connectors do). */
const subscribing = defineConnector({
  ...probeConnector,
  kind: 'probe-subscribing',
  subscriptions: {
    ensure: async (_ctx, state) => state,
    renew: async (_ctx, state) => state,
    remove: async () => {},
  },
});

let database: DatabaseHandle;
let registry: ConnectionRegistry;
const now = new Date('2026-11-10T12:00:00Z');
const connection = (name: string, kind: string, settings: unknown = {}): RuntimeConnection =>
  registry.add({
    name,
    kind,
    pollIntervalSeconds: 300,
    enabled: true,
    settings,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: baton.yaml's own ${VAR} syntax
    declared: { token: '${T}' },
  });

beforeAll(async () => {
  for (const c of [probeConnector, subscribing]) if (!findConnector(c.kind)) registerConnector(c);
  database = await createTestDatabase();
  registry = new ConnectionRegistry(database.db, pino({ level: 'silent' }), 'http://baton.test');
});
afterAll(async () => {
  await database.close();
});

describe('doctor: webhooks', () => {
  const url = 'https://baton.example/webhooks/mail';

  it('fails a subscribing connection with no subscription stored', async () => {
    const mail = connection('mail', 'probe-subscribing');
    await ensureConnection(database.db, 'mail', 'probe-subscribing', {});
    expect(await webhookCheck(database.db, mail, url, now)).toMatchObject({
      status: 'fail',
      detail: 'no subscription registered',
    });
  });

  it('fails a subscription whose expiry has passed, and passes one still valid', async () => {
    const mail = connection('mail', 'probe-subscribing');
    await saveSubscription(database.db, 'mail', {
      subscriptions: [{ id: 's1', expirationDateTime: '2026-11-09T00:00:00Z' }],
    });
    expect((await webhookCheck(database.db, mail, url, now)).status).toBe('fail');
    await saveSubscription(database.db, 'mail', {
      subscriptions: [{ id: 's1', expirationDateTime: '2026-11-12T00:00:00Z' }],
    });
    expect(await webhookCheck(database.db, mail, url, now)).toMatchObject({ status: 'ok' });
  });

  it('reports the last delivery of a connection whose webhook is registered by hand', async () => {
    const hooks = connection('hooks', 'probe', { webhookSecret: 's' });
    expect((await webhookCheck(database.db, hooks, url, now)).status).toBe('warn');
    await storeDelivery(database.db, {
      connection: 'hooks',
      deliveryId: 'd1',
      event: 'e',
      headers: {},
      body: Buffer.from('{}'),
    });
    expect(await webhookCheck(database.db, hooks, url, now)).toMatchObject({ status: 'ok' });
  });
});

describe('doctor: credentials and clock', () => {
  const github = () => connection('github', 'probe');
  const failed = (code: ConnectorHttpError['code']) =>
    credentialsCheck(
      github(),
      { ok: false, error: new ConnectorHttpError(code, `${code} happened`) },
      20_000,
    );

  it('fails refused, forbidden and unreachable; only warns when rate limited or slow', () => {
    expect(failed('auth_failed').status).toBe('fail');
    expect(failed('forbidden').detail).toMatch(/^credentials accepted but access denied/);
    expect(failed('unavailable').status).toBe('fail');
    expect(failed('rate_limited').status).toBe('warn');
    expect(credentialsCheck(github(), { ok: false, timedOut: true }, 20_000).status).toBe('warn');
  });

  it('names where the credentials come from, never their values', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: baton.yaml's own ${VAR} syntax
    expect(failed('auth_failed').fix).toContain('connections.github in baton.yaml (${T})');
  });

  it('grades clock skew: ok to 30 s, warning to 5 min, failure beyond; skipped without a Date', () => {
    const grade = (skewSeconds?: number) => clockCheck(github(), { ok: true, skewSeconds }).status;
    expect([grade(2), grade(-45), grade(400), grade(undefined)]).toEqual(['ok', 'warn', 'fail', 'skip']);
  });
});

describe('doctor: public URL', () => {
  const env = (url?: string) => readEnv({ ...(url ? { BATON_PUBLIC_URL: url } : {}) });

  it('fails when unset or a loopback address', async () => {
    expect((await checkPublicUrl(env(), 1000))[0].status).toBe('fail');
    for (const url of ['http://localhost:8080', 'http://127.0.0.1', 'https://[::1]:8443'])
      expect((await checkPublicUrl(env(url), 1000))[0], url).toMatchObject({ status: 'fail' });
  });

  it('warns when a public URL is plain http or does not answer from here', async () => {
    const checks = await checkPublicUrl(env('http://baton.invalid'), 1000);
    expect(checks.map((c) => c.status)).toEqual(['warn', 'warn']);
    expect(checks[0].detail).toContain('not https');
  });
});
