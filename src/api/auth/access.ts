import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { type Role, roleOfToken } from '../../store/tokens.repository.js';
import { verifyShareLink } from './share-link.js';
import { installTransportSecurity } from './transport-security.js';

/**
 * Who may call a route. Every route states it in `config.access`; a route that states nothing is
 * treated as `admin` (closed by default).
 * - public: health checks, webhooks (they authenticate by signature), static assets
 * - viewer: status, plans, handoffs, connections, pages (or a plan page with a valid share link)
 * - admin: changes (snooze, ack, tokens)
 */
export type Access = 'public' | 'viewer' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface AuthOptions {
  /** `required` in production; `off` only where explicitly configured (local demo, tests). */
  mode: 'required' | 'off';
  db: Kysely<Database>;
  shareSecret?: () => Promise<string>;
  now?: () => Date;
}

const CACHE_MS = 10_000;

export const SESSION_COOKIE = 'baton_session';

/** The token from `Authorization: Bearer …`, else from the page's session cookie (set by /login). */
function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

const allows = (role: Role, access: Access) =>
  access === 'public' || role === 'admin' || (role === 'viewer' && access === 'viewer');

/** A browser asking for a page (not the JSON API): it is sent to /login instead of a JSON 401. */
const wantsPage = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  !request.url.startsWith('/api/') &&
  /\btext\/html\b/i.test(request.headers.accept ?? '');

function unauthenticated(request: FastifyRequest, reply: FastifyReply, message: string) {
  if (wantsPage(request)) {
    if (request.headers.cookie?.includes(`${SESSION_COOKIE}=`)) {
      // A session whose token was revoked: forget it, or the browser keeps sending it.
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    }
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="baton"')
    .send({ error: { code: 'unauthenticated', message } });
}

/** The onRequest check; revoked tokens stop working within CACHE_MS (10 s). */
export function installAccessControl(app: FastifyInstance, options: AuthOptions): void {
  installTransportSecurity(app);
  if (options.mode === 'off') return;
  const cache = new Map<string, { role: Role | undefined; at: number }>();
  const now = options.now ?? (() => new Date());

  app.addHook('onRequest', async (request, reply) => {
    const access: Access = request.routeOptions.config?.access ?? 'admin';
    if (access === 'public') return;
    const token = bearer(request);
    if (token) {
      let entry = cache.get(token);
      if (!entry || Date.now() - entry.at > CACHE_MS) {
        entry = { role: await roleOfToken(options.db, token), at: Date.now() };
        if (cache.size > 10_000) cache.clear();
        cache.set(token, entry);
      }
      if (entry.role && allows(entry.role, access)) return;
      if (entry.role) {
        return reply
          .code(403)
          .send({ error: { code: 'forbidden', message: `this route needs the ${access} role` } });
      }
      return unauthenticated(request, reply, 'unknown or revoked token');
    }
    const share = (request.query as Record<string, unknown> | undefined)?.share;
    const planKey = (request.params as Record<string, unknown> | undefined)?.key;
    if (
      access === 'viewer' &&
      typeof share === 'string' &&
      typeof planKey === 'string' &&
      options.shareSecret &&
      request.url.startsWith('/plans/')
    ) {
      if (verifyShareLink(planKey, share, await options.shareSecret(), now())) return;
    }
    return unauthenticated(request, reply, 'send a bearer token (baton tokens create) or use a share link');
  });
}
