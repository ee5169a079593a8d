import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folder } from '../../connectors/drive/sim-wire.js';
import { type DriveSimulator, startDriveSimulator } from '../../connectors/drive/simulator.js';
import { type GraphSimulator, startOutlookSimulator } from '../../connectors/outlook/simulator.js';
import { DemoClock } from '../../src/demo/clock.js';
import { SubscriptionKeeper } from '../../src/demo/subscriptions.js';
import { type DemoWorld, newSecrets } from '../../src/demo/world.js';

const HOUR = 3_600_000;
// Nothing listens there: the simulators record the failed notifications and carry on.
const BATON = 'http://127.0.0.1:9';
const secrets = newSecrets();
let realNow = Date.parse('2026-11-16T08:00:00Z');
const clock = new DemoClock(new Date(realNow), 120, () => realNow);
let outlook: GraphSimulator;
let drive: DriveSimulator;
let keeper: SubscriptionKeeper;

beforeAll(async () => {
  outlook = await startOutlookSimulator({
    seed: { mailboxes: [{ user: 'lena.hoffmann@acme.example' }] },
    accessToken: secrets.graphAccessToken,
    webhook: { url: `${BATON}/webhooks/outlook`, clientState: secrets.graphClientState },
    now: clock.now,
  });
  drive = await startDriveSimulator({
    seed: { files: [folder('1CheckoutLaunchFolder', 'Checkout launch')] },
    accessToken: secrets.driveAccessToken,
    now: clock.ms,
  });
  const world = { outlook, drive, tools: ['outlook', 'drive'] } as unknown as DemoWorld;
  keeper = new SubscriptionKeeper(world, clock, secrets, BATON, (line) => {
    throw new Error(line);
  });
});

afterAll(async () => {
  await outlook?.stop();
  await drive?.stop();
});

describe('keeping the push side open on the fast clock', () => {
  it('opens a Drive channel to Baton with the channel token', async () => {
    await keeper.keepOpen();
    const channel = drive.channels.get(keeper.driveChannel!.id);
    expect(channel).toMatchObject({ address: `${BATON}/webhooks/drive`, token: secrets.driveChannelToken });
    expect(channel!.expiration).toBeGreaterThan(clock.ms() + 5 * 24 * HOUR);
  });

  it('renews the Graph subscriptions before the demo clock reaches their end', async () => {
    const before = outlook.subscriptions().map((s) => s.id);
    expect(before.length).toBeGreaterThan(0);
    // 50 demo hours later (25 real minutes at 120×): less than a day left of Graph's 70.5 hours.
    realNow += (50 * HOUR) / 120;
    await keeper.keepOpen();
    const after = outlook.subscriptions();
    expect(after.map((s) => s.id)).toEqual(before);
    for (const s of after)
      expect(Date.parse(s.expirationDateTime)).toBeGreaterThan(clock.ms() + 5 * 24 * HOUR);
  });

  it('replaces the Drive channel before it ends, opening the new one first', async () => {
    const first = keeper.driveChannel!.id;
    // Another 50 demo hours: less than two days left of the channel's six.
    realNow += (50 * HOUR) / 120;
    await keeper.keepOpen();
    expect(keeper.driveChannel!.id).not.toBe(first);
    expect(drive.channels.get(first)?.stopped).toBe(true);
    expect(drive.channels.get(keeper.driveChannel!.id)?.stopped).toBe(false);
  });
});
