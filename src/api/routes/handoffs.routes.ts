import { z } from 'zod';
import type { BatonApp } from '../app.js';
import { handoffActionRoutes } from './handoff-actions.routes.js';
import { HandoffDetails, handoffDetails } from './handoff-view.js';

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

const HandoffsQuery = z.object({
  plan: z.string().max(100).optional(),
  phase: z.string().max(100).optional(),
  person: z.string().max(200).optional().describe('Receiver: person key or name.'),
  stalled: booleanFlag
    .optional()
    .describe('true: only handoffs past their SLA; false: only those within it.'),
  level: z.coerce.number().int().min(0).max(9).optional().describe('Escalation level reached.'),
  open: booleanFlag.default(true).describe('false includes closed handoffs.'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export async function handoffRoutes(app: BatonApp): Promise<void> {
  app.get(
    '/api/handoffs',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Handoffs: who waits on whom since when',
        querystring: HandoffsQuery,
        response: { 200: z.object({ handoffs: z.array(HandoffDetails) }) },
      },
    },
    async (request) => {
      const { plan, phase, person, stalled, level, open, limit } = request.query;
      const now = app.services.now();
      let query = app.services.db
        .selectFrom('handoffs as h')
        .innerJoin('items as i', (join) =>
          join.onRef('i.connection', '=', 'h.connection').onRef('i.external_id', '=', 'h.external_id'),
        )
        .selectAll('h')
        .select([
          'i.key as item_key',
          'i.title as item_title',
          'i.url as item_url',
          'i.source',
          'i.fields as item_fields',
        ])
        .orderBy('h.opened_at')
        .limit(limit);
      if (open) query = query.where('h.closed_at', 'is', null);
      if (plan) query = query.where('h.plan_key', '=', plan);
      if (phase) query = query.where('h.phase_key', '=', phase);
      if (person)
        query = query.where((eb) => eb.or([eb('h.to_person', '=', person), eb('h.to_name', '=', person)]));
      if (level !== undefined) query = query.where('h.level', '>=', level);
      if (stalled === true) query = query.where('h.sla_due_at', '<=', now).where('h.closed_at', 'is', null);
      if (stalled === false)
        query = query.where((eb) => eb.or([eb('h.sla_due_at', '>', now), eb('h.sla_due_at', 'is', null)]));
      const rows = await query.execute();
      return { handoffs: rows.map((r) => handoffDetails(r, now)) };
    },
  );
  await handoffActionRoutes(app);
}
