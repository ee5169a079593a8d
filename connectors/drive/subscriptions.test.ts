import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folder } from './sim-wire.js';
import { type DriveSimulator, startDriveSimulator } from './simulator.js';
import { type ChannelState, driveSubscriptions } from './subscriptions.js';
import { startReceiver, type TestContext, testContext } from './test-support.js';
import { driveWebhook } from './webhook.js';

let sim: DriveSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let ctx: TestContext;

beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startDriveSimulator({ seed: { files: [folder('plan', 'Plan')] }, scope: ['plan'] });
  ctx = testContext(sim.connectionSettings());
  ctx.setNow(new Date());
});
afterEach(async () => {
  await sim.stop();
  await receiver.stop();
});

const HOUR = 3_600_000;
const watches = () => sim.requests.filter((r) => r.path === '/drive/v3/changes/watch');

describe('Drive push channels', () => {
  it('opens a channel on the changes feed that announces itself with sync, then each change', async () => {
    const state = (await driveSubscriptions.ensure(ctx, null, receiver.url)) as ChannelState;

    expect(state.address).toBe(receiver.url);
    expect(Date.parse(state.expiration)).toBe(ctx.now().getTime() + 24 * HOUR);
    sim.createFile({ name: 'New spec', parent: 'plan' });
    await sim.flush();
    const states = receiver.received.map((r) => r.headers['x-goog-resource-state']);
    expect(states).toEqual(['sync', 'change']);
    for (const delivery of receiver.received) {
      expect(driveWebhook.verify(delivery, ctx)).toMatchObject({ ok: true });
    }
    expect(receiver.received.map((r) => r.headers['x-goog-message-number'])).toEqual(['1', '2']);
  });

  it('keeps a channel that still has time left', async () => {
    const state = await driveSubscriptions.ensure(ctx, null, receiver.url);
    ctx.setNow(new Date(ctx.now().getTime() + 12 * HOUR));

    expect(await driveSubscriptions.renew(ctx, state, receiver.url)).toBe(state);
    expect(await driveSubscriptions.ensure(ctx, state, receiver.url)).toBe(state);
    expect(watches()).toHaveLength(1);
  });

  it('renews a channel close to its expiration: opens the new channel first, then stops the old one', async () => {
    const old = (await driveSubscriptions.ensure(ctx, null, receiver.url)) as ChannelState;
    ctx.setNow(new Date(Date.parse(old.expiration) - 2 * HOUR));

    const renewed = (await driveSubscriptions.renew(ctx, old, receiver.url)) as ChannelState;

    expect(renewed.channelId).not.toBe(old.channelId);
    expect(Date.parse(renewed.expiration)).toBe(ctx.now().getTime() + 24 * HOUR);
    expect(sim.channels.get(old.channelId)?.stopped).toBe(true);
    expect(sim.channels.get(renewed.channelId)?.stopped).toBe(false);
    const order = sim.requests.map((r) => r.path).filter((p) => p.endsWith('/watch') || p.endsWith('/stop'));
    expect(order).toEqual(['/drive/v3/changes/watch', '/drive/v3/changes/watch', '/drive/v3/channels/stop']);
  });

  it('moves the channel when the webhook URL changes', async () => {
    const old = (await driveSubscriptions.ensure(ctx, null, receiver.url)) as ChannelState;
    const moved = (await driveSubscriptions.ensure(ctx, old, `${receiver.url}?v=2`)) as ChannelState;
    expect(moved.address).toBe(`${receiver.url}?v=2`);
    expect(sim.channels.get(old.channelId)?.stopped).toBe(true);
  });

  it('stops the channel on remove, and a channel already gone is no error', async () => {
    const state = (await driveSubscriptions.ensure(ctx, null, receiver.url)) as ChannelState;
    await driveSubscriptions.remove(ctx, state);
    expect(sim.channels.get(state.channelId)?.stopped).toBe(true);
    await expect(driveSubscriptions.remove(ctx, state)).resolves.toBeUndefined();
  });

  it('refuses to open a channel without a channel token to check notifications against', async () => {
    const noToken = testContext({ ...sim.connectionSettings(), channelToken: undefined });
    await expect(driveSubscriptions.ensure(noToken, null, receiver.url)).rejects.toThrow(/channelToken/);
  });
});
