import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatorHandle } from '../../src/connectors/kit/index.js';
import { FOLDER_MIME } from './folder-tree.js';
import { ChannelHub, type SimChannel, type SimNotification } from './sim-channels.js';
import { DriveData, type DriveSeed } from './sim-data.js';
import { applyFields, parseFields } from './sim-fields.js';
import { type Answer, driveRoutes, type RouteDeps } from './sim-routes.js';
import { googleError, type Person } from './sim-wire.js';

export type { SimChannel, SimNotification } from './sim-channels.js';
export type { DriveSeed } from './sim-data.js';

export interface DriveSimulatorOptions {
  port?: number;
  seed?: DriveSeed;
  /** Folder ids `connectionSettings()` puts in scope; default: seeded folders without a parent. */
  scope?: string[];
  /** The bearer token the simulator accepts (default `sim-access-token`). */
  accessToken?: string;
  /** The channelToken `connectionSettings()` hands out. */
  channelToken?: string;
  /** A channel open from the start, as if Baton had already called changes.watch. */
  webhook?: { url: string; token: string };
  /** Largest page files.list and changes.list answer, whatever pageSize asks. */
  pageSize?: number;
  now?: () => number;
  /** The authenticated user (author of the comments Baton posts). */
  me?: Person;
}

/** A fault answers the next `times` requests whose path contains `path` (default: all, forever). */
export type DriveFault =
  | {
      kind: 'rateLimit';
      reason?: 'userRateLimitExceeded' | 'rateLimitExceeded';
      status?: 403 | 429;
      times?: number;
      path?: string;
    }
  | { kind: 'serverError'; status?: 500 | 502 | 503; times?: number; path?: string };

type Controls = Pick<
  DriveData,
  | 'createFile'
  | 'createFolder'
  | 'modifyFile'
  | 'moveFile'
  | 'trashFile'
  | 'untrashFile'
  | 'deleteFile'
  | 'addComment'
  | 'reply'
  | 'resolveComment'
  | 'startApproval'
  | 'respondToApproval'
  | 'cancelApproval'
  | 'share'
>;

export interface DriveSimulator extends SimulatorHandle, Controls {
  data: DriveData;
  channels: Map<string, SimChannel>;
  /** Comments created through the API: Baton's alerts. */
  postedComments: RouteDeps['postedComments'];
  notifications: SimNotification[];
  requests: { method: string; path: string; query: Record<string, string> }[];
  setFault(fault: DriveFault | null): void;
  /** Off: approvals.list answers 403, as on a Workspace edition without approvals. */
  setApprovalsAvailable(available: boolean): void;
  /** Resolves when every notification sent so far has been answered. */
  flush(): Promise<void>;
}

/** The changes a person can make through the simulator (each also notifies open channels). */
export const DRIVE_CONTROLS = [
  'createFile',
  'createFolder',
  'modifyFile',
  'moveFile',
  'trashFile',
  'untrashFile',
  'deleteFile',
  'addComment',
  'reply',
  'resolveComment',
  'startApproval',
  'respondToApproval',
  'cancelApproval',
  'share',
] as const;

/**
 * Google Drive v3 on loopback: files, the changes feed, comments, approvals, permissions and
 * push channels, in Drive's wire format. Data changes only through the controls, which also
 * announce them to the open channels.
 */
export async function startDriveSimulator(options: DriveSimulatorOptions = {}): Promise<DriveSimulator> {
  const now = options.now ?? Date.now;
  const accessToken = options.accessToken ?? 'sim-access-token';
  const hub = new ChannelHub(now);
  const data = new DriveData(
    options.seed ?? {},
    now,
    () => hub.announceChange(),
    options.me ?? {
      email: 'baton@example.com',
      name: 'Baton',
    },
  );
  const requests: DriveSimulator['requests'] = [];
  const postedComments: DriveSimulator['postedComments'] = [];
  let fault: (DriveFault & { left: number }) | null = null;
  let approvalsAvailable = true;
  let baseUrl = '';
  const route = driveRoutes({
    data,
    hub,
    baseUrl: () => baseUrl,
    pageCap: options.pageSize ?? 100,
    approvalsAvailable: () => approvalsAvailable,
    postedComments,
  });

  function faultAnswer(path: string): Answer | undefined {
    if (!fault || (fault.path && !path.includes(fault.path))) return undefined;
    const f = fault;
    f.left -= 1;
    if (f.left <= 0) fault = null;
    if (f.kind === 'serverError')
      return { status: f.status ?? 503, body: googleError(f.status ?? 503, 'backendError', 'Backend Error') };
    const reason = f.reason ?? 'userRateLimitExceeded';
    const message = reason === 'userRateLimitExceeded' ? 'User Rate Limit Exceeded' : 'Rate Limit Exceeded';
    return { status: f.status ?? 403, body: googleError(f.status ?? 403, reason, message, 'usageLimits') };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, query });
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return send(res, { status: 401, body: googleError(401, 'authError', 'Invalid Credentials') });
    }
    const failed = faultAnswer(url.pathname);
    if (failed) return send(res, failed);
    const body = method === 'POST' ? await readJson(req) : undefined;
    const answer = route(method, url.pathname.replace(/^\/drive\/v3/, ''), query, body);
    // Partial response: a successful answer holds only the fields asked for.
    if (answer.status < 400 && answer.body && query.fields) {
      answer.body = applyFields(answer.body, parseFields(query.fields));
    }
    send(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) =>
      send(res, { status: 500, body: googleError(500, 'backendError', error.message) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  if (options.webhook) {
    const token = data.startPageToken();
    hub.open(
      { id: 'sim-channel-1', address: options.webhook.url, token: options.webhook.token },
      `${baseUrl}drive/v3/changes?alt=json&pageToken=${token}`,
    );
  }
  const scope =
    options.scope ??
    [...data.files.values()]
      .filter((f) => f.mimeType === FOLDER_MIME && !f.parents?.length)
      .map((f) => f.id!);
  const controls = Object.fromEntries(
    DRIVE_CONTROLS.map((name) => [name, data[name].bind(data)]),
  ) as unknown as Controls;

  return {
    ...controls,
    baseUrl,
    data,
    channels: hub.channels,
    notifications: hub.notifications,
    postedComments,
    requests,
    connectionSettings: () => ({
      auth: { accessToken },
      rootUrl: baseUrl,
      folders: scope,
      channelToken: options.channelToken ?? 'sim-channel-token-0123456789',
    }),
    setFault(f) {
      fault = f ? { ...f, left: f.times ?? Number.POSITIVE_INFINITY } : null;
    },
    setApprovalsAvailable(available) {
      approvalsAvailable = available;
    },
    flush: () => hub.flush(),
    async stop() {
      await hub.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function send(res: ServerResponse, { status, body }: Answer): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}
