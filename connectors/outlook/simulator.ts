import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LifecycleEventType, Message, Subscription } from '@microsoft/microsoft-graph-types';
import type { SimulatorHandle } from '../../src/connectors/kit/index.js';
import { createControls, type SimulatorControls } from './simulator-controls.js';
import { type Fault, param, parseJson, readBody, send, sendFault } from './simulator-http.js';
import {
  type Delivery,
  parseResource,
  type SimSubscription,
  SubscriptionBook,
} from './simulator-notifications.js';
import { type DeltaAnswer, SimulatorStore } from './simulator-store.js';
import { simulatorCertificate } from './simulator-tls.js';
import { graphError, type WireEvent, type WireMessage } from './simulator-wire.js';

export type { Fault } from './simulator-http.js';

/**
 * A loopback Microsoft Graph (v1.0) for Outlook: message and calendarView delta, /subscriptions
 * with the validation handshake and change notifications, sendMail. https with a self-signed
 * certificate (`caCertificate`); requests need `Authorization: Bearer <accessToken>`.
 */

export interface SeedMailbox {
  user: string;
  displayName?: string;
  /** Messages per folder (inbox, sentitems …) in Graph's wire format; missing fields are filled. */
  folders?: Record<string, Partial<WireMessage>[]>;
  events?: Partial<WireEvent>[];
}

export interface GraphSimulatorOptions {
  port?: number;
  tenantId?: string;
  accessToken?: string;
  /** Largest page the simulator serves, whatever `Prefer: odata.maxpagesize` asks. */
  pageSize?: number;
  now?: () => Date;
  seed?: { mailboxes: SeedMailbox[] };
  /** A subscription on every folder and calendar, created at start without the handshake. */
  webhook?: { url: string; clientState: string };
  serviceMailbox?: string;
}

export interface SentMail {
  from: string;
  message: Message;
  saveToSentItems: boolean;
}

export interface GraphSimulator extends SimulatorHandle, SimulatorControls {
  caCertificate: string;
  tenantId: string;
  accessToken: string;
  clientState: string;
  sentMail: SentMail[];
  deliveries: Delivery[];
  requests: { method: string; path: string; authorized: boolean }[];
  subscriptions(): SimSubscription[];
  lifecycle(event: LifecycleEventType, subscriptionId?: string): Promise<void>;
  /** The next `count` API calls fail with this fault. */
  failNext(count: number, fault: Fault): void;
  /** Every API call fails this way until called with null. */
  setFault(fault: Fault | null): void;
  /** Invalidates every delta token handed out so far (the next call with one answers 410). */
  expireDeltaTokens(): void;
}

const DEFAULT_FOLDERS = ['inbox', 'sentitems', 'drafts', 'deleteditems', 'archive'];

export async function startOutlookSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const { cert, key } = await simulatorCertificate();
  const clock = options.now ?? (() => new Date());
  const tenantId = options.tenantId ?? '84bd8158-6d4d-4958-8b9f-9d6445542f95';
  const accessToken = options.accessToken ?? `sim-${randomUUID()}`;
  const clientState = options.webhook?.clientState ?? 'baton-simulator-client-state';
  const pageSize = options.pageSize ?? 10;
  const store = new SimulatorStore(clock);
  const book = new SubscriptionBook(tenantId, randomUUID(), clock);
  const folders = new Map<string, Set<string>>();
  const sentMail: SentMail[] = [];
  const requests: GraphSimulator['requests'] = [];
  let failures = 0;
  let nextFault: Fault | null = null;
  let standingFault: Fault | null = null;

  const controls = createControls(store, book, folders, DEFAULT_FOLDERS);
  for (const mailbox of options.seed?.mailboxes ?? []) await controls.seedMailbox(mailbox);

  const server = https.createServer({ cert, key }, (req, res) => {
    handle(req, res).catch((error) => send(res, 500, graphError('InternalServerError', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = `${origin}/v1.0`;

  if (options.webhook) {
    const expirationDateTime = new Date(clock().getTime() + 4_230 * 60_000).toISOString();
    for (const [mailbox, names] of folders) {
      const resources = [...names].map((f) => `/users/${mailbox}/mailFolders('${f}')/messages`);
      for (const resource of [...resources, `/users/${mailbox}/events`]) {
        await book.create(
          {
            resource,
            changeType: 'created,updated,deleted',
            notificationUrl: options.webhook.url,
            clientState: options.webhook.clientState,
            expirationDateTime,
          },
          false,
        );
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = decodeURIComponent(url.pathname);
    const authorized = req.headers.authorization === `Bearer ${accessToken}`;
    requests.push({ method: req.method ?? 'GET', path, authorized });
    const body = await readBody(req);
    if (!authorized) {
      return send(res, 401, graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    }
    let fault = standingFault;
    if (failures > 0) {
      failures -= 1;
      fault = nextFault;
    }
    if (fault) return sendFault(res, fault);

    const user = "(?:\\('([^']+)'\\)|/([^/]+))";
    const mail = new RegExp(`^/v1\\.0/users${user}/mailfolders${user}/messages/delta$`, 'i').exec(path);
    if (mail && req.method === 'GET')
      return mailDelta(res, url, req, (mail[1] ?? mail[2]).toLowerCase(), (mail[3] ?? mail[4]).toLowerCase());
    const calendar = new RegExp(`^/v1\\.0/users${user}/calendarview/delta$`, 'i').exec(path);
    if (calendar && req.method === 'GET')
      return calendarDelta(res, url, req, (calendar[1] ?? calendar[2]).toLowerCase());
    const sendmail = new RegExp(`^/v1\\.0/users${user}/sendmail$`, 'i').exec(path);
    if (sendmail && req.method === 'POST')
      return sendMailRoute(res, (sendmail[1] ?? sendmail[2]).toLowerCase(), body);
    const subscription = /^\/v1\.0\/subscriptions(?:\/([^/]+))?$/i.exec(path);
    if (subscription) return subscriptionRoute(res, req.method ?? 'GET', subscription[1], body);
    return send(
      res,
      400,
      graphError('BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`),
    );
  }

  function mailDelta(res: ServerResponse, url: URL, req: IncomingMessage, mailbox: string, folder: string) {
    if (!store.mailboxes.has(mailbox))
      return send(res, 404, graphError('ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`));
    if (!folders.get(mailbox)?.has(folder))
      return send(
        res,
        404,
        graphError('ErrorItemNotFound', 'The specified object was not found in the store.'),
      );
    const size = pageSizeFor(req);
    const token = param(url, '$skiptoken') ?? param(url, '$deltatoken');
    const select = param(url, '$select')
      ?.split(',')
      .map((s) => s.trim());
    const filter = param(url, '$filter');
    const received = filter ? /^receivedDateTime (ge|gt) (\S+)$/i.exec(filter.trim()) : null;
    if (!token && filter && (!received || Number.isNaN(Date.parse(received[2])))) {
      // Message delta filters on the reception time only.
      return send(res, 400, graphError('BadRequest', `Unsupported filter on delta: '${filter}'.`));
    }
    const answer = store.messageDelta(
      mailbox,
      folder,
      token
        ? { kind: 'token', token }
        : {
            kind: 'initial',
            select,
            ...(received && { received: { op: received[1].toLowerCase() as 'ge' | 'gt', at: received[2] } }),
          },
      size,
    );
    return deltaAnswer(
      res,
      answer,
      `${baseUrl}/users/${mailbox}/mailFolders('${folder}')/messages/delta`,
      'message',
      size,
    );
  }

  function calendarDelta(res: ServerResponse, url: URL, req: IncomingMessage, mailbox: string) {
    if (!store.mailboxes.has(mailbox))
      return send(res, 404, graphError('ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`));
    const size = pageSizeFor(req);
    const token = param(url, '$skiptoken') ?? param(url, '$deltatoken');
    const start = param(url, 'startDateTime');
    const end = param(url, 'endDateTime');
    if (!token && (!start || !end || Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end)))) {
      return send(
        res,
        400,
        graphError(
          'ErrorInvalidParameter',
          'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
        ),
      );
    }
    const query = token ? { kind: 'token' as const, token } : { kind: 'initial' as const, start, end };
    const answer = store.eventDelta(mailbox, query, size);
    return deltaAnswer(res, answer, `${baseUrl}/users/${mailbox}/calendarView/delta`, 'event', size);
  }

  function deltaAnswer(res: ServerResponse, answer: DeltaAnswer, link: string, type: string, size: number) {
    if (answer.kind === 'expired') {
      return send(
        res,
        410,
        graphError(
          'syncStateNotFound',
          'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
        ),
      );
    }
    const body: Record<string, unknown> = { '@odata.context': `${baseUrl}/$metadata#Collection(${type})` };
    if (answer.skipToken) body['@odata.nextLink'] = `${link}?$skiptoken=${answer.skipToken}`;
    if (answer.deltaToken) body['@odata.deltaLink'] = `${link}?$deltatoken=${answer.deltaToken}`;
    body.value = answer.value;
    return send(res, 200, body, { 'preference-applied': `odata.maxpagesize=${size}` });
  }

  async function sendMailRoute(res: ServerResponse, mailbox: string, body: string) {
    if (!store.mailboxes.has(mailbox))
      return send(res, 404, graphError('ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`));
    const request = parseJson(body) as { message?: Message; saveToSentItems?: boolean } | undefined;
    const to = request?.message?.toRecipients ?? [];
    if (!request?.message || to.length === 0 || to.some((r) => !r.emailAddress?.address)) {
      return send(res, 400, graphError('ErrorInvalidRecipients', 'At least one recipient is not valid.'));
    }
    const saveToSentItems = request.saveToSentItems !== false;
    sentMail.push({ from: mailbox, message: request.message, saveToSentItems });
    await controls.deliver(mailbox, request.message, saveToSentItems);
    return send(res, 202, undefined);
  }

  async function subscriptionRoute(
    res: ServerResponse,
    method: string,
    id: string | undefined,
    body: string,
  ) {
    const context = { '@odata.context': `${baseUrl}/$metadata#subscriptions/$entity` };
    if (!id && method === 'GET') {
      return send(res, 200, { '@odata.context': `${baseUrl}/$metadata#subscriptions`, value: book.live() });
    }
    if (!id && method === 'POST') {
      const request = parseJson(body) as Subscription | undefined;
      const problem = subscriptionProblem(request);
      if (problem) return send(res, 400, graphError('InvalidRequest', problem));
      const created = await book.create(request!, true);
      if (!created) {
        return send(
          res,
          400,
          graphError(
            'InvalidRequest',
            'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
          ),
        );
      }
      return send(res, 201, { ...context, ...created });
    }
    const existing = id ? book.live().find((s) => s.id === id) : undefined;
    if (!existing) return send(res, 404, graphError('ResourceNotFound', 'The object was not found.'));
    if (method === 'GET') return send(res, 200, { ...context, ...existing });
    if (method === 'DELETE') {
      book.all.delete(existing.id);
      return send(res, 204, undefined);
    }
    if (method === 'PATCH') {
      const patch = parseJson(body) as Subscription | undefined;
      const problem = book.checkExpiration(patch?.expirationDateTime);
      if (problem) return send(res, 400, graphError('InvalidRequest', problem));
      existing.expirationDateTime = patch!.expirationDateTime!;
      return send(res, 200, { ...context, ...existing });
    }
    return send(res, 405, graphError('BadRequest', 'Method not allowed.'));
  }

  function subscriptionProblem(request: Subscription | undefined): string | undefined {
    if (!request?.notificationUrl || !request.resource || !request.changeType) {
      return 'changeType, notificationUrl and resource are required.';
    }
    if ((request.clientState ?? '').length > 128) return 'clientState must be at most 128 characters.';
    const target = parseResource(request.resource);
    if (!target || !store.mailboxes.has(target.mailbox))
      return `Resource '${request.resource}' is not supported.`;
    return book.checkExpiration(request.expirationDateTime);
  }

  function pageSizeFor(req: IncomingMessage): number {
    const asked = /odata\.maxpagesize=(\d+)/i.exec(String(req.headers.prefer ?? ''));
    return Math.max(1, Math.min(pageSize, asked ? Number(asked[1]) : pageSize));
  }

  return {
    baseUrl,
    caCertificate: cert,
    tenantId,
    accessToken,
    clientState,
    sentMail,
    deliveries: book.deliveries,
    requests,
    ...controls,
    subscriptions: () => book.live(),
    lifecycle: (event, subscriptionId) => book.lifecycle(event, subscriptionId),
    failNext(count, fault) {
      failures = count;
      nextFault = fault;
    },
    setFault(fault) {
      standingFault = fault;
    },
    expireDeltaTokens: () => store.expireTokens(),
    connectionSettings: () => ({
      tenantId,
      accessToken,
      baseUrl,
      tlsCaCertificate: cert,
      clientState,
      serviceMailbox: options.serviceMailbox ?? [...store.mailboxes.keys()][0],
      mailboxes: [...store.mailboxes.keys()].map((user) => ({
        user,
        folders: ['inbox', 'sentitems'],
        calendars: true,
      })),
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
