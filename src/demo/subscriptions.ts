import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { DemoClock } from './clock.js';
import type { DemoSecrets, DemoWorld } from './world.js';

const DAY_MS = 86_400_000;
/** Ask for six days (Graph allows up to seven, Drive's changes channels one week). */
const LIFETIME_MS = 6 * DAY_MS;
/** Renew once less than two days are left: at 120× that is still 24 real minutes ahead. */
const MARGIN_MS = 2 * DAY_MS;
const CHECK_EVERY_MS = 5_000;

/**
 * Keeps the push side of Outlook and Drive open for as long as the demo runs.
 *
 * Baton's runtime does not run the connectors' subscription managers yet (no job calls
 * `subscriptions.ensure`/`renew`), so the demo points the simulators at Baton itself, through
 * the tools' own APIs: Graph subscriptions come from the simulator's `webhook` option and are
 * renewed here with `PATCH /subscriptions/{id}`; the Drive channel is opened here with
 * `changes.watch` (a new channel id each run: Drive's delivery id is channel id + message
 * number, and a reused id would be taken for a redelivery) and replaced before it expires.
 * On the demo's fast clock a subscription would otherwise run out within minutes.
 */
export class SubscriptionKeeper {
  #timer: NodeJS.Timeout | undefined;
  #channel: { id: string; resourceId: string; expiration: number } | undefined;
  #busy = false;

  constructor(
    private readonly world: DemoWorld,
    private readonly clock: DemoClock,
    private readonly secrets: DemoSecrets,
    private readonly batonUrl: string,
    private readonly warn: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    await this.keepOpen();
    this.#timer = setInterval(() => void this.keepOpen(), CHECK_EVERY_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The Drive channel open now, if any (tests look at it). */
  get driveChannel() {
    return this.#channel;
  }

  /** Renews what expires within two days of demo time, opens what is missing. */
  async keepOpen(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.renewGraph();
      await this.keepDriveChannel();
    } catch (error) {
      this.warn(`could not keep webhooks open: ${(error as Error).message}`);
    } finally {
      this.#busy = false;
    }
  }

  private async renewGraph(): Promise<void> {
    const sim = this.world.outlook;
    if (!sim) return;
    const now = this.clock.ms();
    for (const subscription of sim.subscriptions()) {
      if (Date.parse(subscription.expirationDateTime) - now > MARGIN_MS) continue;
      const body = { expirationDateTime: new Date(now + LIFETIME_MS).toISOString() };
      const status = await graphRequest(sim, 'PATCH', `/subscriptions/${subscription.id}`, body);
      if (status !== 200) this.warn(`Graph subscription ${subscription.id} was not renewed (${status})`);
    }
  }

  private async keepDriveChannel(): Promise<void> {
    const sim = this.world.drive;
    if (!sim) return;
    const now = this.clock.ms();
    const old = this.#channel;
    if (old && old.expiration - now > MARGIN_MS) return;
    const headers = {
      authorization: `Bearer ${this.secrets.driveAccessToken}`,
      'content-type': 'application/json',
    };
    const start = (await (
      await fetch(`${sim.baseUrl}drive/v3/changes/startPageToken`, { headers })
    ).json()) as { startPageToken: string };
    const response = await fetch(`${sim.baseUrl}drive/v3/changes/watch?pageToken=${start.startPageToken}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id: `baton-demo-${randomUUID()}`,
        type: 'web_hook',
        address: `${this.batonUrl}/webhooks/drive`,
        token: this.secrets.driveChannelToken,
        expiration: String(now + LIFETIME_MS),
      }),
    });
    if (!response.ok) throw new Error(`Drive changes.watch answered ${response.status}`);
    const channel = (await response.json()) as { id: string; resourceId: string; expiration: string };
    this.#channel = {
      id: channel.id,
      resourceId: channel.resourceId,
      expiration: Number(channel.expiration),
    };
    // The new channel first, then the old one stops: no change falls between the two.
    if (old) {
      await fetch(`${sim.baseUrl}drive/v3/channels/stop`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: old.id, resourceId: old.resourceId }),
      });
    }
  }
}

/** One Graph call over the simulator's https, trusting its self-signed certificate only here. */
function graphRequest(
  sim: NonNullable<DemoWorld['outlook']>,
  method: string,
  path: string,
  body: unknown,
): Promise<number> {
  const url = new URL(`${sim.baseUrl}${path}`);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method,
        ca: sim.caCertificate,
        headers: {
          authorization: `Bearer ${sim.accessToken}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}
