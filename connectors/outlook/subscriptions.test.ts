import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorHttpError, type Json } from '../../src/connectors/kit/index.js';
import { forceRenewal, lifecycleAction, outlookConnector } from './index.js';
import { type GraphSimulator, startOutlookSimulator } from './simulator.js';
import { type Receiver, startReceiver, type TestContext, testContext } from './test-support.js';

const subscriptions = outlookConnector.subscriptions!;
const MINUTE = 60_000;
type State = { subscriptions: { id: string; resource: string; expirationDateTime: string }[] };

let clock: Date;
let sim: GraphSimulator;
let ctx: TestContext;
let receiver: Receiver;

beforeEach(async () => {
  clock = new Date('2024-03-04T09:00:00Z');
  sim = await startOutlookSimulator({ now: () => clock, seed: { mailboxes: [{ user: 'pm@contoso.com' }] } });
  ctx = testContext({ ...sim.connectionSettings(), mailboxes: [{ user: 'pm@contoso.com' }] });
  ctx.setNow(clock);
  receiver = await startReceiver(ctx);
});

afterEach(async () => {
  await receiver.stop();
  await sim.stop();
});

function advance(minutes: number): void {
  clock = new Date(clock.getTime() + minutes * MINUTE);
  ctx.setNow(clock);
}

describe('outlook subscriptions', () => {
  it('creates one subscription per folder and per calendar after Graph validated both URLs', async () => {
    const state = (await subscriptions.ensure(ctx, null, receiver.url)) as State;
    expect(state.subscriptions.map((s) => s.resource)).toEqual([
      "/users/pm@contoso.com/mailFolders('inbox')/messages",
      "/users/pm@contoso.com/mailFolders('sentitems')/messages",
      '/users/pm@contoso.com/events',
    ]);
    for (const subscription of sim.subscriptions()) {
      expect(subscription).toMatchObject({
        changeType: 'created,updated,deleted',
        notificationUrl: receiver.url,
        lifecycleNotificationUrl: `${receiver.url}?lifecycle=1`,
        clientState: sim.clientState,
        expirationDateTime: new Date(clock.getTime() + 4_230 * MINUTE).toISOString(),
      });
    }
    expect(receiver.deliveries).toEqual([]); // handshakes are answered, not stored
  });

  it('fails when the notification URL does not answer the validation request, creating nothing', async () => {
    const error = await subscriptions
      .ensure(ctx, null, 'http://127.0.0.1:9/webhooks/nobody')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorHttpError);
    expect((error as ConnectorHttpError).status).toBe(400);
    expect(sim.subscriptions()).toEqual([]);
  });

  it('adopts live subscriptions instead of duplicating them, and deletes ones no longer configured', async () => {
    const first = (await subscriptions.ensure(ctx, null, receiver.url)) as State;
    const again = (await subscriptions.ensure(ctx, null, receiver.url)) as State;
    expect(again.subscriptions.map((s) => s.id).sort()).toEqual(first.subscriptions.map((s) => s.id).sort());
    const narrower = testContext({
      ...sim.connectionSettings(),
      mailboxes: [{ user: 'pm@contoso.com', folders: ['inbox'], calendars: false }],
    });
    narrower.setNow(clock);
    const state = (await subscriptions.ensure(narrower, again, receiver.url)) as State;
    expect(state.subscriptions).toHaveLength(1);
    expect(sim.subscriptions().map((s) => s.id)).toEqual(state.subscriptions.map((s) => s.id));
  });

  it('renews only what expires within renewBeforeMinutes, by the connection clock', async () => {
    const state = (await subscriptions.ensure(ctx, null, receiver.url)) as Json;
    advance(60);
    expect(await subscriptions.renew(ctx, state, receiver.url)).toEqual(state);
    expect(sim.requests.some((r) => r.method === 'PATCH')).toBe(false);

    advance(4_230 - 60 - 1_000); // 1,000 minutes before expiry, inside the 1,440-minute horizon
    const renewed = (await subscriptions.renew(ctx, state, receiver.url)) as State;
    const expected = new Date(clock.getTime() + 4_230 * MINUTE).toISOString();
    expect(renewed.subscriptions.map((s) => s.expirationDateTime)).toEqual([expected, expected, expected]);
    expect(sim.subscriptions().map((s) => s.expirationDateTime)).toEqual([expected, expected, expected]);
    expect(sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
  });

  it('answers reauthorizationRequired by renewing that subscription now', async () => {
    const state = (await subscriptions.ensure(ctx, null, receiver.url)) as State;
    const target = state.subscriptions[0].id;
    await sim.lifecycle('reauthorizationRequired', target);
    const delivery = receiver.deliveries.at(-1)!;
    expect(outlookConnector.webhook.verify(delivery, ctx)).toMatchObject({ ok: true, event: 'lifecycle' });
    expect(lifecycleAction({ body: delivery.rawBody })).toBe('renew');

    advance(10);
    const renewed = (await subscriptions.renew(ctx, forceRenewal(state, [target]), receiver.url)) as State;
    expect(renewed.subscriptions.find((s) => s.id === target)?.expirationDateTime).toBe(
      new Date(clock.getTime() + 4_230 * MINUTE).toISOString(),
    );
    expect(sim.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([
      `/v1.0/subscriptions/${target}`,
    ]);
  });

  it('recreates a subscription Graph removed (subscriptionRemoved)', async () => {
    const state = (await subscriptions.ensure(ctx, null, receiver.url)) as State;
    const removed = state.subscriptions[0];
    await sim.lifecycle('subscriptionRemoved', removed.id);
    expect(lifecycleAction({ body: receiver.deliveries.at(-1)!.rawBody })).toBe('recreate');

    const recreated = (await subscriptions.ensure(ctx, state, receiver.url)) as State;
    const replacement = recreated.subscriptions.find((s) => s.resource === removed.resource)!;
    expect(replacement.id).not.toBe(removed.id);
    expect(sim.subscriptions()).toHaveLength(3);
  });

  it('creates again a subscription that is gone when its renewal finds it missing', async () => {
    const state = (await subscriptions.ensure(ctx, null, receiver.url)) as State;
    advance(4_231); // every subscription lapsed at Graph
    const renewed = (await subscriptions.renew(ctx, state, receiver.url)) as State;
    expect(renewed.subscriptions.map((s) => s.id)).not.toContain(state.subscriptions[0].id);
    expect(sim.subscriptions()).toHaveLength(3);
  });

  it('removes every subscription when the connection goes away', async () => {
    const state = await subscriptions.ensure(ctx, null, receiver.url);
    await subscriptions.remove(ctx, state);
    expect(sim.subscriptions()).toEqual([]);
  });

  it('receives change notifications carrying the clientState, which verify and parse into a pull', async () => {
    await subscriptions.ensure(ctx, null, receiver.url);
    await sim.addMessage('pm@contoso.com', 'inbox', { subject: 'Status for CHK-1' });
    expect(receiver.deliveries).toHaveLength(1);
    const delivery = receiver.deliveries[0];
    const body = JSON.parse(delivery.rawBody.toString('utf8'));
    expect(body.value[0]).toMatchObject({
      changeType: 'created',
      clientState: sim.clientState,
      tenantId: sim.tenantId,
    });
    const verdict = outlookConnector.webhook.verify(delivery, ctx);
    expect(verdict).toMatchObject({ ok: true, event: 'notification' });
  });
});
