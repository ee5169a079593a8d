import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { benchDatabase } from './support/bench-database.js';
import { startChild } from './support/child.js';
import { deployedApiArgs } from './support/deployment.js';

/**
 * `webhook-ingest`: signed GitHub `issues` deliveries with distinct delivery ids, 50
 * connections, against the real Baton server as docker-compose.yml deploys its API
 * (`serve --no-worker`; workers run as their own service) and against a bare Fastify route doing
 * the same signature check and one INSERT, alternating rounds after an equal warm-up. The
 * one-process setup (`baton serve`, workers draining in the same process) is measured the same
 * way and reported beside it (`all_in_one`). Tables are truncated after the warm-up, so neither
 * server's measured rounds pay for the other's dead rows.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = 2;
/**
 * Load each server takes before the measured rounds. A server's throughput is its steady state:
 * Baton's deeper code reached it only after ~10 s of load (its CPU per request fell from ~700 to
 * ~240 µs over the first three 5-second rounds while the bare ceiling's stayed at ~180–260), so
 * a 1-second warm-up measured V8 warming up as much as the server. Both get the same warm-up,
 * and its ratio is reported too (`cold_ratio`).
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const SECRET = 'bench-webhook-secret';

async function load(url: string, body: Buffer, seconds: number) {
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  return autocannon({
    url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-hub-signature-256': signature,
        },
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          headers: { ...request.headers, 'x-github-delivery': randomUUID() },
        }),
      },
    ],
  });
}

type Run = autocannon.Result;
const sum = (runs: Run[], f: (r: Run) => number) => runs.reduce((n, r) => n + f(r), 0);
const avg = (runs: Run[], f: (r: Run) => number) => Math.round((sum(runs, f) / runs.length) * 10) / 10;

export async function run() {
  const database = await benchDatabase('webhook');
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  const body = await readFile(
    fileURLToPath(new URL('../connectors/github/fixtures/webhooks/issues.opened.json', import.meta.url)),
  );
  await writeFile(
    join(dir, 'baton.yaml'),
    `connections:\n  github:\n    kind: github\n    repos: [acme/checkout]\n    token: bench-token\n    webhookSecret: ${SECRET}\n    baseUrl: http://127.0.0.1:9\n    pollIntervalSeconds: 86400\n    enabled: false\n    webhookRateLimitPerMinute: 1000000\n`,
  );
  const env = {
    DATABASE_URL: database.url,
    BATON_CONFIG: join(dir, 'baton.yaml'),
    BATON_MAPPINGS: fileURLToPath(new URL('../mappings', import.meta.url)),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const ceiling = await startChild(
    fileURLToPath(new URL('./support/webhook-ceiling.ts', import.meta.url)),
    [],
    { DATABASE_URL: database.url, WEBHOOK_SECRET: SECRET },
  );

  /** One Baton configuration in its own process, in rounds alternating with the ceiling's. */
  async function measure(args: string[]) {
    const baton = await startChild(fileURLToPath(new URL('../src/cli.ts', import.meta.url)), args, env);
    try {
      const batonCold = await load(`${baton.url}/webhooks/github`, body, WARMUP_SECONDS);
      const ceilingCold = await load(`${ceiling.url}/webhooks/github`, body, WARMUP_SECONDS);
      await sql`truncate webhook_inbox`.execute(database.handle.db);
      await sql`truncate ceiling_inbox`.execute(database.handle.db);
      const batonRuns: Run[] = [];
      const ceilingRuns: Run[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        batonRuns.push(await load(`${baton.url}/webhooks/github`, body, SECONDS / ROUNDS));
        ceilingRuns.push(await load(`${ceiling.url}/webhooks/github`, body, SECONDS / ROUNDS));
      }
      const ok = sum(batonRuns, (r) => r['2xx']);
      const stored = Number(
        (await sql<{ n: string }>`select count(*) as n from webhook_inbox`.execute(database.handle.db))
          .rows[0].n,
      );
      const batonRps = Math.round(ok / SECONDS);
      const ceilingRps = Math.round(sum(ceilingRuns, (r) => r['2xx']) / SECONDS);
      return {
        baton_rps: batonRps,
        ceiling_rps: ceilingRps,
        ratio: Math.round((batonRps / ceilingRps) * 100) / 100,
        cold_ratio: Math.round((batonCold['2xx'] / ceilingCold['2xx']) * 100) / 100,
        p50_ms: avg(batonRuns, (r) => r.latency.p50),
        p99_ms: avg(batonRuns, (r) => r.latency.p99),
        ceiling_p99_ms: avg(ceilingRuns, (r) => r.latency.p99),
        sent: sum(batonRuns, (r) => r.requests.sent),
        answered_2xx: ok,
        non_2xx: sum(batonRuns, (r) => r.non2xx),
        errors: sum(batonRuns, (r) => r.errors),
        stored,
        lost: Math.max(0, ok - stored),
      };
    } finally {
      await baton.stop();
    }
  }

  try {
    const args = process.env.BENCH_BATON_ARGS?.split(' ') ?? deployedApiArgs();
    const deployed = await measure(args);
    // The same with the workers in the API's process (`baton serve`, the one-process setup).
    const allInOne = await measure(['serve']);
    return {
      bench: 'webhook-ingest',
      baton_args: args.join(' '),
      ...deployed,
      all_in_one: allInOne,
    };
  } finally {
    await ceiling.stop();
    await database.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
  process.exit(0);
}
