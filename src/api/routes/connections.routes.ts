import { z } from 'zod';
import { readConnectionHealth } from '../../store/connection-health.repository.js';
import type { BatonApp } from '../app.js';

export async function connectionRoutes(app: BatonApp): Promise<void> {
  app.get(
    '/api/connections',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "Every connection's health: last sync, errors, rate limit, items, inbox depth",
        response: {
          200: z.object({
            connections: z.array(
              z.object({
                name: z.string(),
                kind: z.string(),
                health: z.string(),
                lastSyncAt: z.string().nullable(),
                lastSuccessAt: z.string().nullable(),
                lagSeconds: z.number().nullable(),
                lastError: z
                  .object({ code: z.string().nullable(), message: z.string(), at: z.string().nullable() })
                  .nullable(),
                rateLimit: z.unknown().nullable(),
                items: z.number(),
                inbox: z.object({ pending: z.number(), failed: z.number() }),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const now = app.services.now();
      const rows = await readConnectionHealth(app.services.db);
      return {
        connections: rows.map(({ connection: row, items, inbox }) => ({
          name: row.name,
          kind: row.kind,
          health: row.health,
          lastSyncAt: row.last_sync_at?.toISOString() ?? null,
          lastSuccessAt: row.last_success_at?.toISOString() ?? null,
          lagSeconds: row.last_success_at
            ? Math.round((now.getTime() - row.last_success_at.getTime()) / 1000)
            : null,
          lastError: row.last_error
            ? {
                code: row.last_error_code,
                message: row.last_error,
                at: row.last_error_at?.toISOString() ?? null,
              }
            : null,
          rateLimit: row.rate_limit ?? null,
          items,
          inbox,
        })),
      };
    },
  );
}
