import type { FastifyInstance } from 'fastify';

/**
 * Request hygiene and headers that depend on how the request arrived. Helmet sets Strict-Transport-Security on every
 * response; it is kept only when the request came over TLS (directly, or per X-Forwarded-Proto
 * from the proxy in front, which `trustProxy` makes Fastify read), so Baton served over plain http
 * on a private network never tells a browser to insist on https. No response names the server.
 */
export function installTransportSecurity(app: FastifyInstance): void {
  // Postgres text cannot hold NUL: a `%00` in a path or query would reach a query and fail as a 500.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.includes('%00') || request.url.includes(String.fromCharCode(0))) {
      return reply
        .code(400)
        .send({ error: { code: 'invalid_request', message: 'NUL bytes are not accepted' } });
    }
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.protocol !== 'https') reply.removeHeader('strict-transport-security');
    reply.removeHeader('x-powered-by');
    reply.removeHeader('server');
    done(null, payload);
  });
}

/** The path to return to after /login: only a path on this site (never `//host` or `/\host`). */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048 || !/^\/(?![/\\])/.test(value)) return undefined;
  for (const c of value) if (c <= ' ' || c === '\\' || c === '\u007f') return undefined;
  return value;
}
