import type { Subscription } from '@microsoft/microsoft-graph-types';
import { z } from 'zod';
import type { ConnectorContext, Json, SubscriptionManager } from '../../src/connectors/kit/index.js';
import { graphCall, graphClient, userPath } from './client.js';
import type { OutlookConfig } from './config.js';

/**
 * Graph change-notification subscriptions: one per watched mail folder (`created,updated,deleted`
 * on `/users/{id}/mailFolders('{folder}')/messages`) and one per mailbox calendar
 * (`/users/{id}/events`). Lifetimes are `subscriptionLifetimeMinutes` (default 4,230; Outlook
 * allows up to 10,080) and `renew` extends those expiring within `renewBeforeMinutes`.
 */

type Ctx = ConnectorContext<OutlookConfig>;

const Kept = z.object({ id: z.string(), resource: z.string(), expirationDateTime: z.string() });
type Kept = z.infer<typeof Kept>;
const State = z.object({ subscriptions: z.array(Kept) });
type State = z.infer<typeof State>;

function readState(json: Json): State {
  const parsed = State.safeParse(json);
  return parsed.success ? parsed.data : { subscriptions: [] };
}

const toJson = (state: State): Json => JSON.parse(JSON.stringify(state)) as Json;

export function desiredResources(config: OutlookConfig): string[] {
  return config.mailboxes.flatMap((box) => {
    const user = userPath(box.user.toLowerCase());
    const folders = [...new Set(box.folders)].map((f) => `/users/${user}/mailFolders('${f}')/messages`);
    return box.calendars ? [...folders, `/users/${user}/events`] : folders;
  });
}

const sameResource = (a: string, b: string) =>
  a.replace(/^\/+/, '').toLowerCase() === b.replace(/^\/+/, '').toLowerCase();

function expiry(ctx: Ctx): string {
  return new Date(ctx.now().getTime() + ctx.config.subscriptionLifetimeMinutes * 60_000).toISOString();
}

function expiresSoon(ctx: Ctx, subscription: Kept): boolean {
  return (
    Date.parse(subscription.expirationDateTime) <=
    ctx.now().getTime() + ctx.config.renewBeforeMinutes * 60_000
  );
}

async function create(ctx: Ctx, resource: string, webhookUrl: string): Promise<Kept> {
  const clientState = ctx.config.clientState;
  if (!clientState) throw new Error('outlook subscriptions need clientState in the connection settings');
  const body = {
    changeType: 'created,updated,deleted',
    notificationUrl: webhookUrl,
    lifecycleNotificationUrl: withQuery(webhookUrl, 'lifecycle', '1'),
    resource,
    expirationDateTime: expiry(ctx),
    clientState,
  };
  const created = await ctx.http.run(() =>
    graphCall<Subscription>(() => graphClient(ctx.config).api('/subscriptions').post(body)),
  );
  return {
    id: created.id!,
    resource,
    expirationDateTime: created.expirationDateTime ?? body.expirationDateTime,
  };
}

/** Every subscription this app holds for this connection's URL, as Graph sees them now. */
async function listOurs(ctx: Ctx, webhookUrl: string): Promise<Subscription[]> {
  const client = graphClient(ctx.config);
  const out: Subscription[] = [];
  let link: string | undefined = '/subscriptions';
  while (link) {
    const current: string = link;
    const page = await ctx.http.run(() =>
      graphCall<{ value?: Subscription[]; '@odata.nextLink'?: string }>(() => client.api(current).get()),
    );
    out.push(...(page.value ?? []).filter((s) => s.notificationUrl === webhookUrl));
    link = page['@odata.nextLink'];
  }
  return out;
}

async function deleteSubscription(ctx: Ctx, id: string): Promise<void> {
  try {
    await ctx.http.run(() => graphCall(() => graphClient(ctx.config).api(`/subscriptions/${id}`).delete()));
  } catch (error) {
    if (!isGone(error)) throw error;
  }
}

/** 404 arrives as the pacer's ConnectorHttpError('not_found') or, outside it, as a GraphHttpError. */
const isGone = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { status?: number }).status === 404;

/**
 * Creates what is missing. Graph's own list is the truth (a crash between POST and storing the
 * state, or a `subscriptionRemoved`, leaves the stored state wrong): live ones for our URL are
 * adopted, duplicates and ones for resources no longer configured are deleted.
 */
async function ensure(ctx: Ctx, _state: Json, webhookUrl: string): Promise<Json> {
  const existing = await listOurs(ctx, webhookUrl);
  const lifecycleUrl = withQuery(webhookUrl, 'lifecycle', '1');
  // Adoptable: same resource, lifecycle URL set (it cannot be added later), and not carrying
  // another clientState (a rotated secret would make every notification fail verification).
  const adoptable = (s: Subscription, resource: string) =>
    s.id !== undefined &&
    s.expirationDateTime !== undefined &&
    sameResource(s.resource ?? '', resource) &&
    s.lifecycleNotificationUrl === lifecycleUrl &&
    (s.clientState == null || s.clientState === ctx.config.clientState);
  const kept: Kept[] = [];
  const claimed = new Set<string>();
  for (const resource of desiredResources(ctx.config)) {
    const live = existing.find((s) => !claimed.has(s.id ?? '') && adoptable(s, resource));
    if (live) {
      claimed.add(live.id!);
      kept.push({ id: live.id!, resource, expirationDateTime: live.expirationDateTime! });
    } else {
      kept.push(await create(ctx, resource, webhookUrl));
    }
  }
  for (const extra of existing)
    if (extra.id && !claimed.has(extra.id)) await deleteSubscription(ctx, extra.id);
  return renewDue(ctx, { subscriptions: kept }, webhookUrl);
}

async function renewDue(ctx: Ctx, state: State, webhookUrl: string): Promise<Json> {
  const out: Kept[] = [];
  for (const subscription of state.subscriptions) {
    if (!expiresSoon(ctx, subscription)) {
      out.push(subscription);
      continue;
    }
    const expirationDateTime = expiry(ctx);
    try {
      const renewed = await ctx.http.run(() =>
        graphCall<Subscription>(() =>
          graphClient(ctx.config).api(`/subscriptions/${subscription.id}`).patch({ expirationDateTime }),
        ),
      );
      out.push({ ...subscription, expirationDateTime: renewed?.expirationDateTime ?? expirationDateTime });
    } catch (error) {
      // Graph already dropped it (expired, or removed after a lifecycle event): create it again.
      if (!isGone(error)) throw error;
      out.push(await create(ctx, subscription.resource, webhookUrl));
    }
  }
  return toJson({ subscriptions: out });
}

async function renew(
  ctx: Ctx,
  stored: Json,
  webhookUrl: string,
  force?: { subscriptionIds: string[] },
): Promise<Json> {
  // A reauthorization request: renewing (a PATCH) is what reauthorizes, whatever the expiry.
  const state = force ? forceRenewal(stored, force.subscriptionIds) : stored;
  return renewDue(ctx, readState(state), webhookUrl);
}

async function remove(ctx: Ctx, state: Json): Promise<void> {
  for (const subscription of readState(state).subscriptions) await deleteSubscription(ctx, subscription.id);
}

export const outlookSubscriptions: SubscriptionManager<OutlookConfig> = { ensure, renew, remove };

/**
 * Marks subscriptions as due, so the next `renew` PATCHes them now: the answer to a
 * `reauthorizationRequired` lifecycle event (see `lifecycleActions` in webhook.ts).
 */
export function forceRenewal(state: Json, subscriptionIds: string[]): Json {
  const ids = new Set(subscriptionIds);
  const current = readState(state);
  return toJson({
    subscriptions: current.subscriptions.map((s) =>
      ids.has(s.id) ? { ...s, expirationDateTime: new Date(0).toISOString() } : s,
    ),
  });
}

function withQuery(url: string, key: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(key, value);
  return parsed.toString();
}
