import { sql } from 'kysely';
import { z } from 'zod';
import { BatonState } from '../../domain/baton-state.js';
import type { BatonApp } from '../app.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { ErrorBody, ItemLink, PlanStatusBody } from '../schemas.js';

const PlanParams = z.object({ key: z.string().min(1).max(100) });

const ItemsQuery = z.object({
  phase: z.string().max(100).optional(),
  state: BatonState.optional(),
  owner: z.string().max(200).optional().describe('Person key or name holding the ball.'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});

const encodeCursor = (connection: string, externalId: string) =>
  Buffer.from(JSON.stringify([connection, externalId])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
  } catch {
    // fall through
  }
  throw new BadRequestError('invalid_cursor', 'cursor is not one this API handed out');
}

export async function planRoutes(app: BatonApp): Promise<void> {
  app.get(
    '/api/plans',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Every plan with its overall state and current phase',
        response: {
          200: z.object({
            plans: z.array(
              z.object({
                key: z.string(),
                title: z.string(),
                state: z.string(),
                reason: z.string(),
                currentPhase: z.string().nullable(),
                targetDate: z.string().nullable(),
                totals: PlanStatusBody.shape.totals,
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const plans = await Promise.all(
        app.services.plans.all().map(async (plan) => {
          const status = (await app.statusCache.get(plan.key))!;
          return {
            key: plan.key,
            title: plan.title,
            state: status.plan.state,
            reason: status.plan.reason,
            currentPhase: status.plan.currentPhase,
            targetDate: status.plan.targetDate,
            totals: status.totals,
          };
        }),
      );
      return { plans };
    },
  );

  app.get(
    '/api/plans/:key/status',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          "A plan's unified status: phases, progress, next owners, blocked items, approvals waiting, stalled handoffs",
        params: PlanParams,
        response: { 200: PlanStatusBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const cached = app.statusCache.getCached(request.params.key);
      if (!cached) throw new NotFoundError('plan', request.params.key);
      // Serialised once per computation and shared: the schema documents the shape.
      return reply
        .type('application/json; charset=utf-8')
        .serializer((body: unknown) => body as string)
        .send((await cached).json as never);
    },
  );

  app.get(
    '/api/plans/:key/items',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A plan's items, filtered and paged",
        params: PlanParams,
        querystring: ItemsQuery,
        response: {
          200: z.object({
            items: z.array(
              ItemLink.extend({
                phase: z.string(),
                state: z.string(),
                owner: z.string().nullable(),
                blockedReason: z.string().nullable(),
                updatedAt: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const { key } = request.params;
      if (!app.services.plans.get(key)) throw new NotFoundError('plan', key);
      const { phase, state, owner, limit, cursor } = request.query;
      let query = app.services.db
        .selectFrom('placements as p')
        .innerJoin('items as i', (join) =>
          join.onRef('i.connection', '=', 'p.connection').onRef('i.external_id', '=', 'p.external_id'),
        )
        .select([
          'p.connection',
          'p.external_id',
          'p.phase_key',
          'p.state',
          'p.owner_name',
          'p.blocked_reason',
          'i.key',
          'i.title',
          'i.url',
          'i.source',
          'i.source_updated_at',
        ])
        .where('p.plan_key', '=', key)
        .orderBy('p.connection')
        .orderBy('p.external_id')
        .limit(limit + 1);
      if (phase) query = query.where('p.phase_key', '=', phase);
      if (state) query = query.where('p.state', '=', state);
      if (owner)
        query = query.where((eb) =>
          eb.or([eb('p.owner_person', '=', owner), eb('p.owner_name', '=', owner)]),
        );
      if (cursor) {
        const [connection, externalId] = decodeCursor(cursor);
        query = query.where(sql<boolean>`(p.connection, p.external_id) > (${connection}, ${externalId})`);
      }
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          connection: r.connection,
          externalId: r.external_id,
          key: r.key,
          title: r.title,
          url: r.url,
          source: r.source,
          phase: r.phase_key,
          state: r.state,
          owner: r.owner_name,
          blockedReason: r.blocked_reason,
          updatedAt: r.source_updated_at.toISOString(),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.connection, last.external_id) : null,
      };
    },
  );
}
