import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatorHandle } from '../../src/connectors/kit/index.js';
import { IssueChanges, type NewIssue } from './sim-changes.js';
import { DEFAULT_GENERATED_END, generateIssues, SIM_USERS } from './sim-generate.js';
import { errorReply, type Reply, send } from './sim-http.js';
import { route, type SentComment } from './sim-routes.js';
import { IssueStore, type Row } from './sim-store.js';
import {
  deliver,
  type FailedDelivery,
  type SimDelivery,
  type WebhookEvent,
  webhookBody,
} from './sim-webhooks.js';
import type { SimUser, WireIssue } from './sim-wire.js';

export { generateIssues } from './sim-generate.js';
export type { SentComment } from './sim-routes.js';
export type { SimUser, WireIssue } from './sim-wire.js';

export type SimFault =
  | { kind: 'rate_limit'; retryAfterSeconds?: number; times?: number }
  | { kind: 'server_error'; status?: number; times?: number };

export interface JiraSimulatorOptions {
  port?: number;
  /** Credentials the simulator accepts; a fixed email + API token when left out. */
  auth?: { email: string; apiToken: string } | { bearerToken: string };
  /** The API user's zone: `/myself` reports it, JQL date literals and rendered times use it. */
  timeZone?: string;
  projects?: string[];
  /** Seed issues in Jira's wire format (as `/rest/api/3/issue/{key}?expand=changelog` returns them). */
  issues?: WireIssue[];
  /** Large-data mode: `count` issues generated deterministically from `seed`, built lazily. */
  generate?: { count: number; seed?: number; endAt?: Date };
  users?: SimUser[];
  /** Sign deliveries with `secret`, and post them to `url` when it is set. */
  webhook?: { url?: string; secret: string };
  now?: () => Date;
}

export interface JiraSimulator extends SimulatorHandle {
  readonly users: SimUser[];
  readonly apiUser: SimUser;
  /** Every signed delivery built, in order (sent or not). */
  readonly deliveries: SimDelivery[];
  /** Comments posted through the API (Baton's alerts). */
  readonly sentComments: SentComment[];
  /** Deliveries whose POST failed, as `/rest/api/3/webhook/failed` lists them. */
  readonly failedWebhooks: FailedDelivery[];
  readonly requests: { method: string; path: string }[];
  setTimeZone(timeZone: string): void;
  setFault(fault: SimFault | null): void;
  setWebhook(webhook: { url?: string; secret: string } | null): void;
  liveIds(): string[];
  issue(idOrKey: string): WireIssue | undefined;
  createIssue(input: NewIssue, actor?: string): Promise<WireIssue>;
  updateIssue(idOrKey: string, fields: Record<string, unknown>, actor?: string): Promise<WireIssue>;
  transition(idOrKey: string, status: string, actor?: string): Promise<WireIssue>;
  assign(idOrKey: string, accountId: string | null, actor?: string): Promise<WireIssue>;
  comment(idOrKey: string, body: string | Record<string, unknown>, actor?: string): Promise<WireIssue>;
  deleteIssue(idOrKey: string, actor?: string): Promise<void>;
}

const DEFAULT_AUTH = { email: 'baton@example.com', apiToken: 'sim-api-token' };

/** A loopback Jira Cloud speaking REST v3 and sending signed webhooks, for tests, demo and benchmarks. */
export async function startJiraSimulator(options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const auth = options.auth ?? DEFAULT_AUTH;
  const now = options.now ?? (() => new Date());
  const projects = options.projects ?? ['CHK', 'OPS'];
  const users = options.users ?? SIM_USERS;
  let timeZone = options.timeZone ?? 'UTC';
  let fault: (SimFault & { left: number }) | null = null;
  let webhook = options.webhook ?? null;
  const apiUser: SimUser = {
    accountId: '712020:0ba70000-api0-4c1e-9d2a-000000000001',
    displayName: 'Baton integration',
    ...('email' in auth ? { emailAddress: auth.email } : {}),
  };
  const deliveries: SimDelivery[] = [];
  const failedWebhooks: FailedDelivery[] = [];
  const sentComments: SentComment[] = [];
  const requests: { method: string; path: string }[] = [];
  const store = new IssueStore();
  let base = '';

  const server = createServer((req, res) => {
    handle(req).then(
      (reply) => send(res, reply),
      (error) => send(res, errorReply(500, String(error?.message ?? error))),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  if (options.generate) {
    const { spec, rows } = generateIssues(
      options.generate.count,
      options.generate.seed ?? 1,
      projects,
      options.generate.endAt?.getTime() ?? DEFAULT_GENERATED_END,
    );
    store.load(
      rows.map(
        (g): Row => ({
          id: g.id,
          project: g.project,
          num: g.num,
          updatedMs: g.updatedMs,
          wire: null,
          generated: g,
        }),
      ),
      spec,
    );
  }
  if (options.issues?.length) store.load(options.issues.map(seedRow), null);

  const emit = async (event: Omit<WebhookEvent, 'timestampMs'>) => {
    if (!webhook) return;
    const body = webhookBody({ ...event, timestampMs: now().getTime() }, base);
    deliveries.push(await deliver(body, webhook, failedWebhooks, () => now().getTime()));
  };
  const changes = new IssueChanges({
    store,
    users: [...users, apiUser],
    apiUser,
    base: () => base,
    timeZone: () => timeZone,
    now,
    emit,
    projects,
  });

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname });
    if (fault && fault.left > 0) {
      fault.left--;
      if (fault.kind === 'rate_limit') {
        return {
          ...errorReply(429, 'Rate limit exceeded.'),
          headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
        };
      }
      return errorReply(fault.status ?? 503, 'Service unavailable.');
    }
    if (!authorised(req.headers.authorization)) {
      return {
        status: 401,
        body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} },
      };
    }
    return route(req, url, {
      store,
      changes,
      apiUser,
      sentComments,
      failedWebhooks,
      base,
      timeZone,
      nowMs: now().getTime(),
    });
  }

  function authorised(header: string | undefined): boolean {
    if ('bearerToken' in auth) return header === `Bearer ${auth.bearerToken}`;
    return header === `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}`;
  }

  const found = (idOrKey: string) => {
    const row = store.find(idOrKey);
    if (!row) throw new Error(`no issue ${idOrKey} in the simulator`);
    return row;
  };

  return {
    get baseUrl() {
      return base;
    },
    users,
    apiUser,
    deliveries,
    sentComments,
    failedWebhooks,
    requests,
    connectionSettings: () => ({
      host: base,
      auth:
        'bearerToken' in auth
          ? { bearerToken: auth.bearerToken }
          : { email: auth.email, apiToken: auth.apiToken },
      jql: projects.length === 1 ? `project = ${projects[0]}` : `project in (${projects.join(', ')})`,
      ...(webhook ? { webhookSecret: webhook.secret } : {}),
    }),
    stop: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
    setTimeZone: (zone) => {
      timeZone = zone;
    },
    setFault: (next) => {
      fault = next ? { ...next, left: next.times ?? Number.POSITIVE_INFINITY } : null;
    },
    setWebhook: (next) => {
      webhook = next;
    },
    liveIds: () => store.liveIds(),
    issue: (idOrKey) => {
      const row = store.find(idOrKey);
      return row ? store.wire(row, base, timeZone) : undefined;
    },
    createIssue: (input, actor) => changes.create(input, actor),
    updateIssue: (idOrKey, fields, actor) => changes.update(found(idOrKey), fields, actor),
    transition: (idOrKey, status, actor) => changes.transition(found(idOrKey), status, actor),
    assign: (idOrKey, accountId, actor) => changes.assign(found(idOrKey), accountId, actor),
    comment: async (idOrKey, body, actor) => {
      const row = found(idOrKey);
      await changes.comment(row, body, actor);
      return store.wire(row, base, timeZone);
    },
    deleteIssue: (idOrKey, actor) => changes.remove(found(idOrKey), actor),
  };
}

function seedRow(issue: WireIssue): Row {
  const [project, num] = issue.key.split('-');
  const updatedMs = Date.parse(issue.fields.updated);
  if (!Number.isFinite(updatedMs)) throw new Error(`seed issue ${issue.key} has no valid fields.updated`);
  return {
    id: Number(issue.id),
    project,
    num: Number(num),
    updatedMs,
    wire: structuredClone(issue),
    generated: null,
  };
}
