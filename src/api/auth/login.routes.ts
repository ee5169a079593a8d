import { roleOfToken } from '../../store/tokens.repository.js';
import type { BatonApp } from '../app.js';
import { escapeHtml } from '../pages/html.js';
import { SESSION_COOKIE } from './access.js';
import { localPath } from './transport-security.js';

function loginPage(next: string | undefined, message?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in — Baton</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>Sign in to Baton</h1>${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login">${next ? `<input type="hidden" name="next" value="${escapeHtml(next)}">` : ''}<label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<p>Ask an admin for a viewer token (<code>baton tokens create NAME --role viewer</code>) or a share link.</p>
</main></body></html>`;
}

/**
 * Browsers cannot send bearer tokens: /login exchanges a token for an HttpOnly session cookie
 * (SameSite=Lax, Secure behind TLS) that the access check reads.
 */
export async function loginRoutes(app: BatonApp): Promise<void> {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_r, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get('/login', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(loginPage(localPath((request.query as Record<string, unknown> | undefined)?.next))),
  );

  app.post('/login', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof form.token === 'string' ? form.token : '';
    const next = localPath(form.next);
    const role = token ? await roleOfToken(app.services.db, token) : undefined;
    if (!role)
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(loginPage(next, 'That token is unknown or revoked.'));
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return reply
      .header(
        'set-cookie',
        `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000${secure}`,
      )
      .redirect(next ?? '/', 303);
  });

  app.post('/logout', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`)
      .redirect('/login', 303),
  );
}
