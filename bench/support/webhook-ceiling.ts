import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

/**
 * The ceiling for `webhook-ingest`: bare Fastify doing the same signature check and one INSERT
 * per delivery (pool of 10), nothing else.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`create table if not exists ceiling_inbox (
  id bigint generated always as identity primary key,
  delivery_id text not null unique, event text not null, headers jsonb not null, body bytea not null,
  received_at timestamptz not null default now())`);
const secret = process.env.WEBHOOK_SECRET ?? '';
const app = Fastify();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
app.post('/webhooks/github', async (request, reply) => {
  const body = request.body as Buffer;
  const given = String(request.headers['x-hub-signature-256'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    return reply.code(401).send({ error: 'bad signature' });
  }
  await pool.query(
    'insert into ceiling_inbox (delivery_id, event, headers, body) values ($1, $2, $3, $4) on conflict do nothing',
    [
      request.headers['x-github-delivery'],
      request.headers['x-github-event'],
      JSON.stringify(request.headers),
      body,
    ],
  );
  return reply.code(202).send({ accepted: true });
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${url}`);
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
