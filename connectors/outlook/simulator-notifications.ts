import { randomUUID } from 'node:crypto';
import type { ChangeNotification, LifecycleEventType, Subscription } from '@microsoft/microsoft-graph-types';
import type { Change, MailboxInfo } from './simulator-store.js';

/**
 * The simulator's /subscriptions and the change notifications they produce. Creating one runs
 * Graph's validation handshake against both URLs (POST `?validationToken=…`, echo expected as
 * text/plain within 10 s, else 400). Notifications are POSTed like Graph's: a
 * `{ value: [ChangeNotification] }` collection with the subscription's clientState; the sender
 * waits up to 3 s for the answer and records it. Unlike Graph, plain http:// URLs are accepted
 * (Baton listens on http locally) and failed deliveries are not retried.
 */

export type SimSubscription = Subscription & {
  id: string;
  expirationDateTime: string;
  notificationUrl: string;
};

export interface Delivery {
  url: string;
  body: string;
  status: number;
  kind: 'notification' | 'lifecycle';
}

const MAX_MINUTES = 10_080;

export class SubscriptionBook {
  readonly all = new Map<string, SimSubscription>();
  readonly deliveries: Delivery[] = [];

  constructor(
    private readonly tenantId: string,
    private readonly appId: string,
    private readonly clock: () => Date,
  ) {}

  live(): SimSubscription[] {
    const now = this.clock().getTime();
    for (const [id, s] of this.all) if (Date.parse(s.expirationDateTime) <= now) this.all.delete(id);
    return [...this.all.values()];
  }

  /** Checks a requested expiration the way Graph does; returns an error message or undefined. */
  checkExpiration(value: unknown): string | undefined {
    const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    const now = this.clock().getTime();
    if (Number.isNaN(at) || at <= now) return 'Subscription expiration must be in the future.';
    if (at > now + MAX_MINUTES * 60_000)
      return `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`;
    return undefined;
  }

  async create(request: Subscription, validate: boolean): Promise<SimSubscription | undefined> {
    if (validate) {
      for (const url of [request.notificationUrl, request.lifecycleNotificationUrl]) {
        if (url && !(await validationEchoes(url))) return undefined;
      }
    }
    const subscription: SimSubscription = {
      id: randomUUID(),
      resource: request.resource,
      applicationId: this.appId,
      changeType: request.changeType,
      clientState: request.clientState ?? null,
      notificationUrl: request.notificationUrl!,
      lifecycleNotificationUrl: request.lifecycleNotificationUrl ?? null,
      expirationDateTime: request.expirationDateTime!,
      creatorId: randomUUID(),
      latestSupportedTlsVersion: 'v1_2',
      notificationContentType: 'application/json',
    } as SimSubscription;
    this.all.set(subscription.id, subscription);
    return subscription;
  }

  /** POSTs a change notification to every live subscription covering the change. */
  async notify(change: Change, mailbox: MailboxInfo, etag: string): Promise<void> {
    for (const subscription of this.live()) {
      if (!covers(subscription, change)) continue;
      const resourceType = change.kind === 'message' ? 'Messages' : 'Events';
      const notification: ChangeNotification = {
        subscriptionId: subscription.id,
        subscriptionExpirationDateTime: subscription.expirationDateTime,
        changeType: change.changeType,
        resource: `Users/${mailbox.guid}/${resourceType}/${change.id}`,
        resourceData: {
          '@odata.type': change.kind === 'message' ? '#Microsoft.Graph.Message' : '#Microsoft.Graph.Event',
          '@odata.id': `Users/${mailbox.guid}/${resourceType}/${change.id}`,
          '@odata.etag': etag,
          id: change.id,
        } as ChangeNotification['resourceData'],
        clientState: subscription.clientState ?? null,
        tenantId: this.tenantId,
      };
      await this.post(subscription.notificationUrl, { value: [notification] }, 'notification');
    }
  }

  async lifecycle(event: LifecycleEventType, subscriptionId?: string): Promise<void> {
    const targets = this.live().filter((s) => !subscriptionId || s.id === subscriptionId);
    for (const subscription of targets) {
      if (event === 'subscriptionRemoved') this.all.delete(subscription.id);
      if (!subscription.lifecycleNotificationUrl) continue;
      const notification: ChangeNotification = {
        subscriptionId: subscription.id,
        subscriptionExpirationDateTime: subscription.expirationDateTime,
        tenantId: this.tenantId,
        clientState: subscription.clientState ?? null,
        lifecycleEvent: event,
      };
      await this.post(subscription.lifecycleNotificationUrl, { value: [notification] }, 'lifecycle');
    }
  }

  private async post(url: string, payload: object, kind: Delivery['kind']): Promise<void> {
    const body = JSON.stringify(payload);
    let status = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(3_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    this.deliveries.push({ url, body, status, kind });
  }
}

/** Graph's token reads like this; the receiver must echo it, URL-decoded, as text/plain. */
async function validationEchoes(url: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', token);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return (
      response.status === 200 &&
      (response.headers.get('content-type') ?? '').startsWith('text/plain') &&
      text === token
    );
  } catch {
    return false;
  }
}

/** `/users/{id}/mailFolders('{folder}')/messages` or `/users/{id}/events`, by the mailbox's address. */
export function parseResource(resource: string): { mailbox: string; folder?: string } | undefined {
  const path = decodeURIComponent(resource.replace(/^\/+/, ''));
  const mail = /^users(?:\('([^']+)'\)|\/([^/]+))\/mailfolders(?:\('([^']+)'\)|\/([^/]+))\/messages$/i.exec(
    path,
  );
  if (mail)
    return { mailbox: (mail[1] ?? mail[2]).toLowerCase(), folder: (mail[3] ?? mail[4]).toLowerCase() };
  const events = /^users(?:\('([^']+)'\)|\/([^/]+))\/events$/i.exec(path);
  if (events) return { mailbox: (events[1] ?? events[2]).toLowerCase() };
  return undefined;
}

function covers(subscription: SimSubscription, change: Change): boolean {
  const target = parseResource(subscription.resource ?? '');
  if (!target || target.mailbox !== change.mailbox) return false;
  if (!(subscription.changeType ?? '').split(',').includes(change.changeType)) return false;
  return change.kind === 'event' ? target.folder === undefined : target.folder === change.folder;
}
