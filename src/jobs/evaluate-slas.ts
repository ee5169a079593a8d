import type { Kysely, Transaction } from 'kysely';
import { evaluateHandoff } from '../domain/escalation.js';
import type { CompiledPlan } from '../domain/plan.js';
import { personCalendar } from '../domain/sla-clock.js';
import { enqueueSendJobs, insertAlertsWithJobs, strandedAlerts } from '../store/alerts.repository.js';
import {
  claimDueHandoffs,
  type DueHandoff,
  evaluationsUpdate,
  type HandoffEvaluation,
} from '../store/handoffs.repository.js';
import type { Database, NewAlert } from '../store/schema.js';
import { alertRows } from './alert-rows.js';

export interface EvaluateServices {
  db: Kysely<Database>;
  plans: { get(key: string): CompiledPlan | undefined };
  now(): Date;
}

export interface EvaluateOptions {
  batchSize?: number;
  /** Batches in flight at once (each its own transaction and connection). */
  concurrency?: number;
  /** Bounds one pass; what is left is due and the next pass takes it. */
  maxBatches?: number;
}

export interface EvaluateResult {
  checked: number;
  /** Alert rows created (digest entries included). */
  alerts: number;
  /** Alerts whose job was lost or whose sender died, queued again. */
  requeued: number;
}

/** Past this, a due alert without a sender counts as stranded. */
const STRANDED_GRACE_MS = 120_000;

/**
 * One evaluation pass: only handoffs due for a check (next_check_at ≤ now), in batches, each in
 * its own transaction with its rows locked (SKIP LOCKED: several workers share the work
 * without waiting on each other). Each batch stores the levels reached, creates the alerts —
 * unique per handoff, level and channel, so a replay or a race adds nothing — and their
 * send jobs, all in that transaction.
 */
export async function evaluateSlas(
  services: EvaluateServices,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  const now = services.now();
  // 500 a batch: measured on 1,000,000 handoffs with 10,000 due, a pass took 450–470 ms in
  // batches of 500 and 570–610 ms in batches of 2,000 (bench/sla-scan.ts). 200 batches bound a
  // pass at 100,000 handoffs, as before.
  const batchSize = options.batchSize ?? 500;
  let batchesLeft = options.maxBatches ?? 200;
  const result: EvaluateResult = { checked: 0, alerts: 0, requeued: 0 };
  // Parallel loops never take the same rows (SKIP LOCKED); each stops at a short batch.
  const loop = async () => {
    while (batchesLeft-- > 0) {
      const { checked, alerts } = await services.db
        .transaction()
        .execute((trx) => evaluateBatch(trx, services.plans, now, batchSize));
      result.checked += checked;
      result.alerts += alerts;
      if (checked < batchSize) return;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, loop));
  const stranded = await strandedAlerts(services.db, now, STRANDED_GRACE_MS, 1_000);
  await enqueueSendJobs(
    services.db,
    stranded.map((id) => ({ id, runAt: now })),
  );
  result.requeued = stranded.length;
  return result;
}

async function evaluateBatch(
  trx: Transaction<Database>,
  plans: EvaluateServices['plans'],
  now: Date,
  limit: number,
): Promise<{ checked: number; alerts: number }> {
  const rows = await claimDueHandoffs(trx, now, limit);
  const updates: HandoffEvaluation[] = [];
  const alerts = new Map<string, NewAlert>();
  for (const row of rows) {
    const plan = plans.get(row.plan_key);
    if (!plan || !row.sla_due_at) {
      // A plan no longer loaded, or a kind without SLA: nothing to chase.
      updates.push({ ...keyOf(row), level: row.level, stalledAt: row.stalled_at, nextCheckAt: null });
      continue;
    }
    const calendar = personCalendar(plan, row.to_person);
    const evaluation = evaluateHandoff(
      {
        openedAt: row.opened_at,
        slaDueAt: row.sla_due_at,
        level: row.level,
        stalledAt: row.stalled_at,
        snoozedUntil: row.snoozed_until,
        ackedAt: row.acked_at,
      },
      plan.handoffs.escalation,
      calendar,
      now,
      { digest: plan.handoffs.digest },
    );
    updates.push({ ...keyOf(row), ...evaluation });
    for (const alert of alertRows(plan, row, evaluation, now)) alerts.set(alert.dedupe_key, alert);
  }
  const created =
    updates.length === 0
      ? 0
      : await insertAlertsWithJobs(trx, [...alerts.values()], evaluationsUpdate(updates, now));
  return { checked: rows.length, alerts: created };
}

const keyOf = (row: DueHandoff) => ({ connection: row.connection, id: row.id });
