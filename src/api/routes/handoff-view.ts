import { z } from 'zod';
import type { HandoffWithItem } from '../../store/handoffs.repository.js';
import { HandoffView } from '../schemas.js';

/** A handoff in the handoffs API: the status page's view plus escalation state. */
export const HandoffDetails = HandoffView.extend({
  plan: z.string(),
  phase: z.string(),
  stalled: z.boolean(),
  closedAt: z.string().nullable(),
  stalledAt: z.string().nullable().describe('When it passed its SLA (set by the evaluation pass).'),
  snoozedUntil: z.string().nullable(),
  ackedAt: z.string().nullable(),
  nextCheckAt: z.string().nullable().describe('When the escalation ladder looks at it next.'),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function handoffDetails(r: HandoffWithItem, now: Date): z.infer<typeof HandoffDetails> {
  return {
    id: r.id,
    plan: r.plan_key,
    phase: r.phase_key,
    item: {
      connection: r.connection,
      externalId: r.external_id,
      key: r.item_key,
      title: r.item_title ?? r.external_id,
      url: r.item_url,
      source: r.source ?? r.connection,
    },
    kind: r.kind,
    from: r.from_name,
    to: { person: r.to_person, name: r.to_name },
    since: r.opened_at.toISOString(),
    slaDueAt: iso(r.sla_due_at),
    ageHours: Math.round(((now.getTime() - r.opened_at.getTime()) / 3_600_000) * 10) / 10,
    level: r.level,
    stalled: r.closed_at === null && r.sla_due_at !== null && r.sla_due_at <= now,
    closedAt: iso(r.closed_at),
    stalledAt: iso(r.stalled_at),
    snoozedUntil: iso(r.snoozed_until),
    ackedAt: iso(r.acked_at),
    nextCheckAt: iso(r.next_check_at),
  };
}
