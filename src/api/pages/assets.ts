import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

interface Asset {
  body: string;
  type: string;
  version: string;
}

const TYPES = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;

function load(name: 'baton.css' | 'baton.js'): Asset {
  const body = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  const ext = name.endsWith('.css') ? 'css' : 'js';
  return { body, type: TYPES[ext], version: createHash('sha256').update(body).digest('hex').slice(0, 10) };
}

// Read once at start: the files are part of the code, not data.
const ASSETS = new Map<string, Asset>([
  ['baton.css', load('baton.css')],
  ['baton.js', load('baton.js')],
]);

/** The URL carries a content hash, so a year-long cache never serves a stale file. */
export function assetUrl(name: 'baton.css' | 'baton.js'): string {
  return `/assets/${name}?v=${ASSETS.get(name)!.version}`;
}

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    // Public: a share-link reader has no token, and the files hold no data.
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const asset = ASSETS.get(request.params.name);
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('no such asset');
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', `"${asset.version}"`)
        .send(asset.body);
    },
  );
}
