import Fastify from 'fastify';

/** The ceiling: the same route shape returning a constant body, on bare Fastify. */
const body = process.env.CONSTANT_BODY ?? '{}';
const app = Fastify();
app.get('/api/plans/:key/status', async (_request, reply) => reply.type('application/json').send(body));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${url}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
