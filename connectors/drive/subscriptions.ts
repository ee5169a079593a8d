import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ConnectorContext, Json, SubscriptionManager } from '../../src/connectors/kit/index.js';
import { ConnectorHttpError } from '../../src/connectors/kit/index.js';
import { driveClientFor } from './client.js';
import { type DriveConfig, usesSharedDrives } from './config.js';
import { driveCall } from './drive-call.js';

/** What Baton keeps about the push channel watching the changes feed. */
export const ChannelState = z.object({
  channelId: z.string(),
  resourceId: z.string(),
  /** ISO time Drive will stop sending. */
  expiration: z.string(),
  address: z.string(),
});
export type ChannelState = z.infer<typeof ChannelState>;

/** A channel is renewed once less than this share of its lifetime is left. */
const RENEW_WHEN_LEFT = 0.25;

/**
 * Drive push channels on the changes feed. Channels expire (at most a week for changes; Baton
 * asks for channelTtlHours) and cannot be extended: renewing opens a new channel first, then
 * stops the old one, so no change goes unannounced in between.
 */
export const driveSubscriptions: SubscriptionManager<DriveConfig> = {
  // Creating a missing channel and renewing an expiring one are the same decision.
  ensure: keepChannelOpen,
  renew: keepChannelOpen,
  async remove(ctx, state) {
    const current = readState(state);
    if (current) await stopChannel(ctx, current);
  },
};

/** Keeps the state when its channel points at `webhookUrl` and has time left; otherwise rotates. */
async function keepChannelOpen(
  ctx: ConnectorContext<DriveConfig>,
  state: Json,
  webhookUrl: string,
): Promise<Json> {
  const current = readState(state);
  if (current && current.address === webhookUrl && !expiringSoon(ctx, current)) return state;
  return rotate(ctx, current, webhookUrl);
}

function readState(state: Json): ChannelState | undefined {
  const parsed = ChannelState.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}

function expiringSoon(ctx: ConnectorContext<DriveConfig>, channel: ChannelState): boolean {
  const horizonMs = ctx.config.channelTtlHours * 3_600_000 * RENEW_WHEN_LEFT;
  return Date.parse(channel.expiration) - ctx.now().getTime() < horizonMs;
}

async function rotate(
  ctx: ConnectorContext<DriveConfig>,
  old: ChannelState | undefined,
  webhookUrl: string,
): Promise<Json> {
  const opened = await openChannel(ctx, webhookUrl);
  if (old) {
    try {
      await stopChannel(ctx, old);
    } catch (error) {
      // The old channel dies at its expiration anyway; its notifications still verify meanwhile.
      ctx.log.warn(
        { connection: ctx.connection, channelId: old.channelId, error: (error as Error).message },
        'could not stop the previous Drive channel',
      );
    }
  }
  return opened;
}

async function openChannel(ctx: ConnectorContext<DriveConfig>, address: string): Promise<ChannelState> {
  const token = ctx.config.channelToken;
  if (!token) throw new Error('set channelToken on the Drive connection to receive push notifications');
  const drive = driveClientFor(ctx.config);
  const start = await driveCall(ctx, () => drive.changes.getStartPageToken({ supportsAllDrives: true }));
  const expiration = ctx.now().getTime() + ctx.config.channelTtlHours * 3_600_000;
  const channel = await driveCall(ctx, () =>
    drive.changes.watch({
      pageToken: start.startPageToken ?? undefined,
      supportsAllDrives: true,
      includeItemsFromAllDrives: usesSharedDrives(ctx.config) || undefined,
      includeRemoved: true,
      spaces: 'drive',
      requestBody: { id: randomUUID(), type: 'web_hook', address, token, expiration: String(expiration) },
    }),
  );
  if (!channel.id || !channel.resourceId) throw new Error('changes.watch answered without a channel id');
  // Drive may shorten the lifetime asked for; its answer is the truth.
  const expiresMs = channel.expiration ? Number(channel.expiration) : expiration;
  return {
    channelId: channel.id,
    resourceId: channel.resourceId,
    expiration: new Date(expiresMs).toISOString(),
    address,
  };
}

async function stopChannel(ctx: ConnectorContext<DriveConfig>, channel: ChannelState): Promise<void> {
  const drive = driveClientFor(ctx.config);
  try {
    await driveCall(ctx, () =>
      drive.channels.stop({ requestBody: { id: channel.channelId, resourceId: channel.resourceId } }),
    );
  } catch (error) {
    // Already expired or stopped: nothing left to stop.
    if (error instanceof ConnectorHttpError && error.code === 'not_found') return;
    throw error;
  }
}
