import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredDelivery, WebhookRequest } from '../../src/connectors/kit/index.js';
import notification from './fixtures/change-notification.json' with { type: 'json' };
import lifecycle from './fixtures/lifecycle-notification.json' with { type: 'json' };
import { lifecycleAction, lifecycleActions, outlookConnector } from './index.js';
import { testContext } from './test-support.js';

const CLIENT_STATE = 'secretClientValue-0123456789';
const ctx = testContext({
  accessToken: 't',
  tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
  clientState: CLIENT_STATE,
  mailboxes: [{ user: 'pm@contoso.com' }],
});
const { webhook } = outlookConnector;

function request(body: unknown, query: Record<string, string> = {}): WebhookRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return { headers: { 'content-type': 'application/json; charset=utf-8' }, query, rawBody };
}

function stored(req: WebhookRequest, event: string): StoredDelivery {
  return { deliveryId: 'd', event, headers: req.headers, body: req.rawBody, receivedAt: new Date() };
}

describe('outlook webhook handshake', () => {
  it('echoes the validation token as text/plain for the notification URL and the lifecycle URL', () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 8c4a1e2b';
    for (const query of [{ validationToken: token }, { lifecycle: '1', validationToken: token }]) {
      const reply = webhook.handshake?.({ headers: {}, query, rawBody: Buffer.alloc(0) }, ctx);
      expect(reply).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: token });
    }
  });

  it('leaves ordinary deliveries to verify', () => {
    expect(webhook.handshake?.(request(notification), ctx)).toBeNull();
  });
});

describe('outlook webhook verify', () => {
  it('accepts a notification carrying the configured clientState; the delivery id is the body hash', () => {
    const req = request(notification);
    const verdict = webhook.verify(req, ctx);
    expect(verdict).toEqual({
      ok: true,
      event: 'notification',
      deliveryId: createHash('sha256').update(req.rawBody).digest('hex'),
    });
    expect(webhook.verify(request(notification), ctx)).toEqual(verdict);
  });

  it('refuses a notification whose clientState does not match, before anything is stored', () => {
    const forged = { value: [{ ...notification.value[0], clientState: 'secretClientValue-0123456780' }] };
    expect(webhook.verify(request(forged), ctx)).toMatchObject({
      ok: false,
      status: 401,
      code: 'bad_client_state',
    });
  });

  it('lets through a body changed outside clientState: Graph signs nothing, and parse only ever pulls', async () => {
    const altered = { value: [{ ...notification.value[0], resource: 'Users/attacker/Messages/forged' }] };
    const req = request(altered);
    expect(webhook.verify(req, ctx)).toMatchObject({ ok: true });
    expect(await webhook.parse(stored(req, 'notification'), ctx)).toEqual({ kind: 'pull' });
  });

  it('refuses a batch in which any one notification has the wrong or no clientState', () => {
    const { clientState: _omitted, ...bare } = notification.value[0];
    expect(webhook.verify(request({ value: [notification.value[0], bare] }), ctx)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a notification for another tenant', () => {
    const other = { value: [{ ...notification.value[0], tenantId: '00000000-0000-0000-0000-000000000000' }] };
    expect(webhook.verify(request(other), ctx)).toMatchObject({
      ok: false,
      status: 401,
      code: 'wrong_tenant',
    });
  });

  it('refuses what cannot be a notification collection with 400', () => {
    expect(webhook.verify(request(Buffer.from('{"value": [')), ctx)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(webhook.verify(request({ value: [] }), ctx)).toMatchObject({ ok: false, status: 400 });
    expect(webhook.verify(request({ hello: 'world' }), ctx)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses everything when the connection has no clientState', () => {
    const bare = testContext({ accessToken: 't', mailboxes: [{ user: 'pm@contoso.com' }] });
    expect(webhook.verify(request(notification), bare)).toMatchObject({
      ok: false,
      status: 401,
      code: 'not_configured',
    });
  });
});

describe('outlook webhook parse and lifecycle events', () => {
  it('turns a change notification into a pull, never into records from the body', async () => {
    const req = request(notification);
    expect(await webhook.parse(stored(req, 'notification'), ctx)).toEqual({ kind: 'pull' });
    expect(lifecycleAction(stored(req, 'notification'))).toBeNull();
  });

  it.each([
    ['reauthorizationRequired', 'renew'],
    ['subscriptionRemoved', 'recreate'],
    ['missed', 'resync'],
  ])('verifies a %s lifecycle event as "lifecycle", pulls, and asks to %s', async (event, action) => {
    const req = request({ value: [{ ...lifecycle.value[0], lifecycleEvent: event }] }, { lifecycle: '1' });
    const verdict = webhook.verify(req, ctx);
    expect(verdict).toMatchObject({ ok: true, event: 'lifecycle' });
    const expected = {
      renew: {
        kind: 'pull',
        subscriptions: { action: 'renew', subscriptionIds: ['7f105c7d-2dc5-4530-97cd-4e7ae6534c07'] },
      },
      recreate: { kind: 'pull', subscriptions: { action: 'recreate' } },
      resync: { kind: 'pull' },
    }[action];
    expect(await webhook.parse(stored(req, 'lifecycle'), ctx)).toEqual(expected);
    expect(lifecycleAction(stored(req, 'lifecycle'))).toBe(action);
    expect(lifecycleActions(stored(req, 'lifecycle'))).toEqual([
      { subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07', action },
    ]);
  });

  it('refuses a lifecycle event with the wrong clientState', () => {
    const req = request({ value: [{ ...lifecycle.value[0], clientState: 'nope' }] }, { lifecycle: '1' });
    expect(webhook.verify(req, ctx)).toMatchObject({ ok: false, status: 401 });
  });
});
