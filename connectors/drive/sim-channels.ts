import { randomUUID } from 'node:crypto';
import type { drive_v3 } from '@googleapis/drive';

export interface SimChannel {
  id: string;
  resourceId: string;
  resourceUri: string;
  token?: string;
  address: string;
  /** Unix ms. */
  expiration: number;
  messageNumber: number;
  stopped: boolean;
}

export interface SimNotification {
  channelId: string;
  state: 'sync' | 'change';
  headers: Record<string, string>;
  status?: number;
  error?: string;
}

const ONE_HOUR_MS = 3_600_000;
/** Drive's longest lifetime for a channel on the changes feed. */
const ONE_WEEK_MS = 7 * 24 * ONE_HOUR_MS;

/**
 * Push channels as Drive runs them: a `sync` message when a channel opens, then a `change`
 * message to every open channel whenever data changes, with Drive's X-Goog headers and no body.
 */
export class ChannelHub {
  readonly channels = new Map<string, SimChannel>();
  readonly notifications: SimNotification[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly now: () => number) {}

  open(request: drive_v3.Schema$Channel, resourceUri: string): SimChannel {
    const asked = request.expiration ? Number(request.expiration) : this.now() + ONE_HOUR_MS;
    const channel: SimChannel = {
      id: request.id!,
      resourceId: randomUUID().replace(/-/g, '').slice(0, 27),
      resourceUri,
      token: request.token ?? undefined,
      address: request.address!,
      expiration: Math.min(asked, this.now() + ONE_WEEK_MS),
      messageNumber: 0,
      stopped: false,
    };
    this.channels.set(channel.id, channel);
    this.send(channel, 'sync');
    return channel;
  }

  /** channels.stop: false when Drive would answer 404. */
  stop(id: string | null | undefined, resourceId: string | null | undefined): boolean {
    const channel = id ? this.channels.get(id) : undefined;
    if (!channel || channel.resourceId !== resourceId || channel.stopped) return false;
    channel.stopped = true;
    return true;
  }

  announceChange(): void {
    for (const channel of this.channels.values()) this.send(channel, 'change');
  }

  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private send(channel: SimChannel, state: 'sync' | 'change'): void {
    if (channel.stopped || channel.expiration <= this.now()) return;
    channel.messageNumber += 1;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; utf-8',
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-URI': channel.resourceUri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(channel.messageNumber),
      ...(channel.token ? { 'X-Goog-Channel-Token': channel.token } : {}),
    };
    const note: SimNotification = { channelId: channel.id, state, headers };
    this.notifications.push(note);
    const sending: Promise<void> = fetch(channel.address, { method: 'POST', headers, body: '' })
      .then((res) => {
        note.status = res.status;
      })
      .catch((error: Error) => {
        note.error = error.message;
      })
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }
}
