import type { z } from 'zod';
import type { SourceRecord } from '../../domain/source-record.js';
import type { HttpPacer } from './pacing.js';

/** Anything JSON: cursors and subscription state are stored as jsonb. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ConnectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** What a connection reports about the tool's rate limit, shown in its health. */
export interface RateLimitState {
  limit?: number;
  remaining?: number;
  resetAt?: string;
}

export interface ConnectorContext<Config> {
  /** The connection's name in baton.yaml (`connections.<name>`). */
  connection: string;
  /** Settings after `${VAR}` resolution and validation by the connector's `config` schema. */
  config: Config;
  /** Per-connection pacing and the shared retry/backoff policy: wrap every HTTP call in `http.run`. */
  http: HttpPacer;
  log: ConnectorLogger;
  now(): Date;
  signal?: AbortSignal;
  /** Public base URL of this Baton (webhook and status-page links), e.g. `https://baton.example.com`. */
  publicUrl: string;
  reportRateLimit(state: RateLimitState): void;
  /**
   * External ids Baton holds (not deleted) for this connection. Reconciliation passes compare
   * them with what the tool still has in scope and yield a `tombstone` for each one gone.
   */
  knownExternalIds(): Promise<Set<string>>;
}

export interface PullPage {
  records: SourceRecord[];
  /** Resuming `pull` from this cursor yields exactly what follows this page. */
  cursor: Json;
}

/** The raw request as Baton received it; `rawBody` is the exact bytes (signatures are over them). */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

export type VerifyResult =
  | { ok: true; deliveryId: string; event: string }
  /** status 401 for a missing or wrong signature/secret, 400 for a request that cannot be a delivery. */
  | { ok: false; status: 400 | 401 | 403; code: string; message: string };

/** A synchronous answer given without storing anything (e.g. Graph's validationToken echo). */
export interface HandshakeReply {
  status: number;
  contentType: string;
  body: string;
}

export type ParseResult =
  | { kind: 'records'; records: SourceRecord[] }
  /**
   * The delivery only says that something changed (Graph, Drive): pull to fetch it. A lifecycle
   * notice may also ask to `renew` some subscriptions now (ids in `subscriptionIds`) or to
   * `recreate` what the tool dropped; the runtime passes that to the subscription manager.
   */
  | { kind: 'pull'; subscriptions?: { action: 'renew' | 'recreate'; subscriptionIds?: string[] } }
  | { kind: 'ignored'; reason: string }
  | { kind: 'error'; code: string; message: string };

export interface StoredDelivery {
  deliveryId: string;
  event: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  receivedAt: Date;
}

export interface WebhookHandler<Config> {
  /** Answer without storing (handshakes). Return null for an ordinary delivery. */
  handshake?(req: WebhookRequest, ctx: ConnectorContext<Config>): HandshakeReply | null;
  /** Authenticate the delivery before anything is stored. Must be constant-time for secrets. */
  verify(req: WebhookRequest, ctx: ConnectorContext<Config>): VerifyResult;
  /** Turn a stored, verified delivery into records. Runs later, in the inbox drain job. */
  parse(delivery: StoredDelivery, ctx: ConnectorContext<Config>): ParseResult | Promise<ParseResult>;
  /**
   * Deliveries the tool gave up sending, where it keeps such a list (Jira's webhook/failed). The
   * runtime asks hourly and stores them in the inbox under their own delivery ids (one already
   * received is dropped there as a duplicate). `state` is what the previous call returned (null
   * the first time); `supported: false` means the tool refuses the list to these credentials, and
   * the runtime stops asking.
   */
  recoverFailed?(ctx: ConnectorContext<Config>, state: Json): Promise<RecoveredDeliveries>;
}

export interface RecoveredDeliveries {
  deliveries: StoredDelivery[];
  /** Where the next call continues. */
  state: Json;
  supported: boolean;
}

export interface SubscriptionManager<Config> {
  /** Create what is missing (Graph subscriptions, Drive channels); returns state to keep. */
  ensure(ctx: ConnectorContext<Config>, state: Json, webhookUrl: string): Promise<Json>;
  /**
   * Renew what expires soon (the connector's horizon) — and, with `force`, these subscriptions
   * now whatever their expiry (a reauthorization request); returns the new state.
   */
  renew(
    ctx: ConnectorContext<Config>,
    state: Json,
    webhookUrl: string,
    force?: { subscriptionIds: string[] },
  ): Promise<Json>;
  remove(ctx: ConnectorContext<Config>, state: Json): Promise<void>;
}

/** Where an alert goes inside the tool: the item, and the person to address. */
export interface NotifyTarget {
  externalId: string;
  key?: string;
  url?: string;
  fields: Record<string, unknown>;
  /** Identities of the person to address (the handoff's receiver, or the escalation level's person). */
  person: { name: string; email?: string; identities: { tool: string; id: string }[] };
}

export interface AlertMessage {
  subject: string;
  /** Plain text, already phrased for people; connectors format it for their tool. */
  text: string;
  statusUrl: string;
}

export type NotifyResult =
  | { ok: true; ref?: string }
  | { ok: false; code: string; message: string; retry: boolean };

export interface SimulatorHandle {
  /** Base URL the connector's client should use. */
  baseUrl: string;
  /** Settings for a connection in baton.yaml that points at this simulator. */
  connectionSettings(): Record<string, unknown>;
  stop(): Promise<void>;
}

export interface Connector<Schema extends z.ZodType = z.ZodType> {
  kind: string;
  config: Schema;
  /** Incremental pull: an async iterable of pages, resumable from any yielded cursor. */
  pull(ctx: ConnectorContext<z.infer<Schema>>, cursor: Json): AsyncIterable<PullPage>;
  webhook: WebhookHandler<z.infer<Schema>>;
  subscriptions?: SubscriptionManager<z.infer<Schema>>;
  notify?(
    ctx: ConnectorContext<z.infer<Schema>>,
    target: NotifyTarget,
    message: AlertMessage,
  ): Promise<NotifyResult>;
  /** Pace settings for this tool's API (the kit's defaults otherwise; `timeoutMs` per attempt, 60 s). */
  pacing?: { concurrency?: number; intervalCap?: number; intervalMs?: number; timeoutMs?: number };
}

export function defineConnector<Schema extends z.ZodType>(connector: Connector<Schema>): Connector<Schema> {
  return connector;
}
