import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { RouteOptions } from 'fastify';

/**
 * The Content-Security-Policy: scripts and styles only from Baton itself, never inline, so
 * even a title that slipped past escaping could not run. Written out in full (useDefaults off)
 * so nothing is added silently, e.g. upgrade-insecure-requests, which would break Baton served
 * over plain http on a private network.
 */
const directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const securityHeaders: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives },
  frameguard: { action: 'deny' },
};

const DOCS_PREFIX = '/docs';

/**
 * Swagger UI (at /docs) loads its scripts from files, which the policy allows, but sets inline
 * styles while rendering. Its routes get the same policy with inline styles allowed; scripts
 * stay 'self' only. Helmet reads the route's `config.helmet` on every request.
 */
export function relaxStylesForDocs(route: RouteOptions): void {
  if (route.url !== DOCS_PREFIX && !route.url.startsWith(`${DOCS_PREFIX}/`)) return;
  const helmet = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] },
    },
  };
  route.config = Object.assign(route.config ?? {}, { helmet });
}
