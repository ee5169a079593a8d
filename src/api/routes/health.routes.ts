import { sql } from 'kysely';
import { z } from 'zod';
import { migrationsCurrent } from '../../store/migrate.js';
import type { BatonApp } from '../app.js';

export async function healthRoutes(app: BatonApp): Promise<void> {
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.string(), checks: z.record(z.string(), z.boolean()) }),
          503: z.object({ status: z.string(), checks: z.record(z.string(), z.boolean()) }),
        },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, boolean> = {
        database: false,
        migrations: false,
        workers: app.runtime.workersRunning(),
      };
      try {
        await sql`select 1`.execute(app.services.db);
        checks.database = true;
        checks.migrations = await migrationsCurrent(app.services.db);
      } catch {
        // reported through the checks
      }
      const ready = Object.values(checks).every(Boolean);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
}
