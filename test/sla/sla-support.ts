import { z } from 'zod';
import {
  type AlertMessage,
  defineConnector,
  type NotifyResult,
  type NotifyTarget,
} from '../../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import type { CompiledPlan, EscalationLevel, HandoffPolicy } from '../../src/domain/plan.js';
import type { Activity, SourceRecord } from '../../src/domain/source-record.js';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import { evaluateSlas } from '../../src/jobs/evaluate-slas.js';
import { sendAlert } from '../../src/jobs/send-alerts.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { gh, record, testPlan } from '../support/plan-fixture.js';
import { connectionConfig, testServices } from '../support/test-services.js';

/** Every alert a connector was asked to post, in order. */
export interface Notified {
  connection: string;
  target: NotifyTarget;
  message: AlertMessage;
}

/**
 * A connector whose notify counts calls (and fails, or stalls like a tool that stopped answering,
 * on demand). The kind is shared by every test file in one process, so the calls land in the
 * context's per-connection inbox.
 */
const inboxes = new Map<string, { calls: Notified[]; failures: NotifyResult[]; stalls: boolean }>();

export const countingConnector = defineConnector({
  kind: 'sla-counting',
  config: z.object({}),
  async *pull() {},
  webhook: {
    verify: () => ({ ok: false, status: 401, code: 'unused', message: 'not used in these tests' }),
    parse: () => ({ kind: 'ignored', reason: 'not used' }),
  },
  async notify(ctx, target, message) {
    const inbox = inboxes.get(ctx.connection)!;
    if (inbox.stalls) await ctx.http.run(() => new Promise<never>(() => {}));
    const failure = inbox.failures.shift();
    if (failure) return failure;
    inbox.calls.push({ connection: ctx.connection, target, message });
    return { ok: true, ref: `comment-${inbox.calls.length}` };
  },
});

export function countingInbox(connection: string) {
  if (!findConnector(countingConnector.kind)) registerConnector(countingConnector);
  const inbox = { calls: [] as Notified[], failures: [] as NotifyResult[], stalls: false };
  inboxes.set(connection, inbox);
  return inbox;
}

export const LADDER: EscalationLevel[] = [
  { level: 1, after: 1, notify: 'receiver', channel: 'tool' },
  { level: 2, after: 2, notify: 'phase_owner', channel: 'tool' },
  { level: 3, after: 3, notify: 'decision_maker', channel: 'tool' },
];

/** The test plan reading one connection `gh`, every record in phase build (owner raj). */
export function slaPlan(
  policy: Partial<HandoffPolicy> = {},
  overrides: Partial<CompiledPlan> = {},
): CompiledPlan {
  return testPlan({
    connections: ['gh'],
    selectors: [{ connection: 'gh', phase: 'build', matches: () => true }],
    followReferences: [],
    handoffs: {
      slaMinutes: { review: 480 },
      slaDays: {},
      escalation: LADDER,
      quietOutsideWorkingHours: false,
      digest: false,
      ...policy,
    },
    ...overrides,
  });
}

/** A settable clock. */
export function testClock(start: string) {
  let current = new Date(start);
  return {
    now: () => current,
    set(iso: string) {
      current = new Date(iso);
    },
  };
}

export async function slaServices(
  database: DatabaseHandle,
  plans: CompiledPlan[],
  now: () => Date,
): Promise<BatonServices> {
  return testServices(database, { plans, now, connections: [connectionConfig('gh', 'sla-counting')] });
}

/** A pull request on `gh` whose author asked someone (olivia by default) for a review. */
export function reviewRequest(
  n: number,
  requestedAt: string,
  options: { reviewer?: string; extra?: Activity[] } = {},
): SourceRecord {
  const activity: Activity[] = [
    {
      id: `rr${n}`,
      kind: 'review_requested',
      actor: gh('mayachen'),
      target: gh(options.reviewer ?? 'obrown'),
      at: requestedAt,
    },
    ...(options.extra ?? []),
  ];
  const updatedAt = activity
    .map((a) => a.at)
    .sort()
    .at(-1)!;
  return record({
    externalId: `acme/checkout#${n}`,
    key: `acme/checkout#${n}`,
    source: 'github',
    kind: 'pull_request',
    title: `Pull request ${n}`,
    url: `https://github.example/acme/checkout/pull/${n}`,
    author: gh('mayachen'),
    state: { raw: 'open', category: 'in_progress' },
    createdAt: requestedAt,
    updatedAt,
    activity,
  });
}

export async function ingest(services: BatonServices, records: SourceRecord[]): Promise<void> {
  await ingestBatch(services.db, services.plans.all(), 'gh', records, {
    origin: 'poll',
    now: services.now(),
  });
}

/** What a worker does: one evaluation pass, then every alert that is due. */
export async function evaluateAndSend(services: BatonServices, fetchImpl?: typeof fetch) {
  await evaluateSlas(services);
  const due = await services.db
    .selectFrom('alerts')
    .select('id')
    .where('status', 'in', ['pending', 'failed'])
    .where('not_before', '<=', services.now())
    .orderBy('id')
    .execute();
  const outcomes = [];
  for (const { id } of due) outcomes.push(await sendAlert({ ...services, fetch: fetchImpl }, id));
  return outcomes;
}

export async function alertRows(services: BatonServices) {
  return services.db.selectFrom('alerts').selectAll().orderBy('id').execute();
}
