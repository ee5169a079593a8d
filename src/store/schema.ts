import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Row types for every table (migrations/ is the source of truth; this mirrors it). */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface PlansTable {
  key: string;
  title: string;
  doc: Json;
  source_file: string;
  hash: string;
  loaded_at: DefaultedTimestamp;
}

export interface PhasesTable {
  plan_key: string;
  key: string;
  position: number;
  name: string;
  owner: string;
  depends_on: string[];
  starts_on: ColumnType<string | null, string | null | undefined, string | null>;
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  doc: Json;
}

export interface PeopleTable {
  plan_key: string;
  key: string;
  name: string;
  email: string | null;
  working_hours: Json | null;
}

export interface PersonIdentitiesTable {
  plan_key: string;
  tool: string;
  identity: string;
  person_key: string;
}

export interface ConnectionsTable {
  name: string;
  kind: string;
  settings: Json;
  cursor: Json | null;
  subscription: Json | null;
  /** Where recovering the tool's failed deliveries continues; `{ unsupported: true }` once refused. */
  webhook_recovery: Json | null;
  health: Generated<string>;
  last_sync_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_at: Timestamp | null;
  rate_limit: Json | null;
  updated_at: DefaultedTimestamp;
}

export interface ItemsTable {
  connection: string;
  external_id: string;
  source: string;
  kind: string;
  key: string | null;
  title: string;
  url: string | null;
  raw_state: string;
  state_category: string;
  author: Json | null;
  assignees: Json;
  reviewers: Json;
  labels: string[];
  container: string | null;
  parent: string | null;
  refs: string[];
  fields: Json;
  activity: Json;
  created_at: Timestamp;
  source_updated_at: Timestamp;
  due_at: Timestamp | null;
  deleted: boolean;
  /** Set once the item has been compared with a newer version; null for an item first stored. */
  content_hash: string | null;
  /** The tool's payload as JSON text, kept for audit; never read back by ingest. */
  raw: string | null;
  first_seen_at: DefaultedTimestamp;
  last_changed_at: DefaultedTimestamp;
}

export interface ItemEventsTable {
  connection: string;
  id: Generated<string>;
  external_id: string;
  kind: string;
  origin: string;
  source_updated_at: Timestamp;
  changes: Json;
  at: DefaultedTimestamp;
}

export interface PlacementsTable {
  connection: string;
  external_id: string;
  plan_key: string;
  phase_key: string;
  state: string;
  owner_person: string | null;
  owner_name: string | null;
  blocked_reason: string | null;
  updated_at: DefaultedTimestamp;
}

export interface ApprovalsTable {
  connection: string;
  id: string;
  external_id: string;
  plan_key: string;
  phase_key: string;
  requester_person: string | null;
  requester_name: string | null;
  approver_person: string | null;
  approver_name: string;
  status: string;
  requested_at: Timestamp;
  decided_at: Timestamp | null;
  evidence_url: string | null;
  updated_at: DefaultedTimestamp;
}

export interface HandoffsTable {
  connection: string;
  id: string;
  external_id: string;
  plan_key: string;
  phase_key: string;
  kind: string;
  from_person: string | null;
  from_name: string | null;
  to_person: string | null;
  to_name: string;
  to_identity: Json;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
  close_reason: string | null;
  sla_due_at: Timestamp | null;
  next_check_at: Timestamp | null;
  stalled_at: Timestamp | null;
  level: Generated<number>;
  snoozed_until: Timestamp | null;
  acked_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface AlertsTable {
  id: Generated<string>;
  /** 'handoff' (one handoff, one level) or 'digest' (one person, one day: no connection, no handoff). */
  kind: Generated<string>;
  connection: string | null;
  handoff_id: string | null;
  plan_key: string;
  level: number;
  channel: string;
  /** Person key, or `tool:id` for someone the plan does not list. */
  recipient: string;
  recipient_name: string | null;
  dedupe_key: string;
  /** pending | sending | sent | failed | dead | withdrawn | digested */
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  not_before: DefaultedTimestamp;
  /** While status is 'sending': after this, a crashed sender's claim may be taken over. */
  lease_until: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  sent_at: Timestamp | null;
  ref: string | null;
}

export interface WebhookInboxTable {
  connection: string;
  id: Generated<string>;
  delivery_id: string;
  event: string;
  headers: Json;
  body: Buffer;
  received_at: DefaultedTimestamp;
  status: Generated<string>;
  attempts: Generated<number>;
  processed_at: Timestamp | null;
  error: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  role: 'admin' | 'viewer';
  token_hash: string;
  prefix: string;
  created_at: DefaultedTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface InstanceSettingsTable {
  key: string;
  value: string;
  created_at: DefaultedTimestamp;
}

export interface Database {
  api_tokens: ApiTokensTable;
  instance_settings: InstanceSettingsTable;
  plans: PlansTable;
  phases: PhasesTable;
  people: PeopleTable;
  person_identities: PersonIdentitiesTable;
  connections: ConnectionsTable;
  items: ItemsTable;
  item_events: ItemEventsTable;
  placements: PlacementsTable;
  approvals: ApprovalsTable;
  handoffs: HandoffsTable;
  alerts: AlertsTable;
  webhook_inbox: WebhookInboxTable;
}

export type ItemRow = Selectable<ItemsTable>;
export type NewItem = Insertable<ItemsTable>;
export type HandoffRow = Selectable<HandoffsTable>;
export type NewHandoff = Insertable<HandoffsTable>;
export type HandoffUpdate = Updateable<HandoffsTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type NewApproval = Insertable<ApprovalsTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type AlertRow = Selectable<AlertsTable>;
export type NewAlert = Insertable<AlertsTable>;
export type InboxRow = Selectable<WebhookInboxTable>;
