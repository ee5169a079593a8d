import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { assetRoutes } from './assets.js';
import { pageRoutes } from './pages.routes.js';
import { relaxStylesForDocs, securityHeaders } from './security-headers.js';

/**
 * The status pages: portfolio (/), one plan (/plans/:key), one connection (/connections/:name),
 * and their stylesheet and script (/assets/*).
 *
 * Not encapsulated on purpose: helmet lands in the app's own scope, so its headers (and the
 * strict CSP) cover every route registered after this plugin — pages, Swagger UI (inline
 * styles allowed there only), the JSON API.
 * The routes themselves live in an encapsulated child.
 */
export const pagesPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', relaxStylesForDocs);
    await app.register(helmet, securityHeaders);
    await app.register(async (pages) => {
      await assetRoutes(pages);
      await pageRoutes(pages);
    });
  },
  { name: 'baton-pages' },
);
