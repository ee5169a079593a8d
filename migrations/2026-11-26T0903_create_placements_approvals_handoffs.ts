import { type Kysely, sql } from 'kysely';

// What the mapping derived from items: where each item sits in each plan, the approvals it
// carries and the handoffs (who waits on whom since when).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table placements (
      connection text not null,
      external_id text not null,
      plan_key text not null references plans(key) on delete cascade,
      phase_key text not null,
      state text not null,
      owner_person text,
      owner_name text,
      blocked_reason text,
      updated_at timestamptz not null default now(),
      primary key (connection, external_id, plan_key)
    );
    create index placements_plan_phase_state on placements (plan_key, phase_key, state);

    create table approvals (
      connection text not null,
      id text not null,
      external_id text not null,
      plan_key text not null references plans(key) on delete cascade,
      phase_key text not null,
      requester_person text,
      requester_name text,
      approver_person text,
      approver_name text not null,
      status text not null,
      requested_at timestamptz not null,
      decided_at timestamptz,
      evidence_url text,
      updated_at timestamptz not null default now(),
      primary key (connection, id)
    );
    create index approvals_plan_status on approvals (plan_key, status, requested_at);
    create index approvals_item on approvals (connection, external_id);

    create table handoffs (
      connection text not null,
      id text not null,
      external_id text not null,
      plan_key text not null references plans(key) on delete cascade,
      phase_key text not null,
      kind text not null,
      from_person text,
      from_name text,
      to_person text,
      to_name text not null,
      to_identity jsonb not null,
      opened_at timestamptz not null,
      closed_at timestamptz,
      close_reason text,
      sla_due_at timestamptz,
      next_check_at timestamptz,
      stalled_at timestamptz,
      level integer not null default 0,
      snoozed_until timestamptz,
      acked_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (connection, id)
    );
    create index handoffs_open_plan on handoffs (plan_key, phase_key) where closed_at is null;
    create index handoffs_due on handoffs (next_check_at) where closed_at is null and next_check_at is not null;
    create index handoffs_item on handoffs (connection, external_id);
    create index handoffs_receiver on handoffs (to_person) where closed_at is null;
  `.execute(db);
}
