import type { FastifyInstance, FastifyReply } from 'fastify';
import { readConnectionHealth } from '../../store/connection-health.repository.js';
import {
  recentItemsOfConnection,
  uncaughtItemsOfConnection,
} from '../../store/connection-items.repository.js';
import type { PlanStatus } from '../plan-status.js';
import { connectionPage } from './connection.page.js';
import type { Html } from './html.js';
import { notFoundPage } from './not-found.page.js';
import { planPage } from './plan.page.js';
import { portfolioPage } from './portfolio.page.js';

function sendPage(reply: FastifyReply, page: Html, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(page.value);
}

// Readers of plans (viewer role, or a share link for one plan page) — see src/api/auth/access.ts.
const viewerPage = { schema: { hide: true }, config: { access: 'viewer' as const } };

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', viewerPage, async (_request, reply) => {
    const [statuses, connections] = await Promise.all([
      Promise.all(app.services.plans.all().map((plan) => app.statusCache.get(plan.key))),
      readConnectionHealth(app.services.db),
    ]);
    const known = statuses.filter((s): s is PlanStatus => s !== undefined);
    return sendPage(reply, portfolioPage(known, connections, app.services.now()));
  });

  app.get<{ Params: { key: string } }>('/plans/:key', viewerPage, async (request, reply) => {
    const { key } = request.params;
    const plan = app.services.plans.get(key);
    const status = plan && (await app.statusCache.get(key));
    if (!plan || !status) return sendPage(reply, notFoundPage('plan', key), 404);
    return sendPage(reply, planPage(status, plan));
  });

  app.get<{ Params: { name: string } }>('/connections/:name', viewerPage, async (request, reply) => {
    const { name } = request.params;
    const { db } = app.services;
    const [health] = await readConnectionHealth(db, name);
    if (!health) return sendPage(reply, notFoundPage('connection', name), 404);
    const [recent, uncaught] = await Promise.all([
      recentItemsOfConnection(db, name, 50),
      uncaughtItemsOfConnection(db, name, 100),
    ]);
    return sendPage(reply, connectionPage({ health, recent, uncaught, now: app.services.now() }));
  });
}
