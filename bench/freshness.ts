import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabase } from './support/bench-database.js';
import { startChild } from './support/child.js';

/**
 * `freshness`: a signed GitHub webhook changes a pull request's title; how long until the status
 * API shows it (in the plan's "what changed" list), with one worker. Real `baton serve`.
 */
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const SECRET = 'bench-webhook-secret';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function run() {
  const database = await benchDatabase('freshness');
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  const fixture = JSON.parse(
    await readFile(
      fileURLToPath(
        new URL('../connectors/github/fixtures/webhooks/pull_request.review_requested.json', import.meta.url),
      ),
      'utf8',
    ),
  );
  await writeFile(
    join(dir, 'baton.yaml'),
    `connections:\n  github:\n    kind: github\n    repos: [acme/checkout]\n    token: bench-token\n    webhookSecret: ${SECRET}\n    baseUrl: http://127.0.0.1:9\n    pollIntervalSeconds: 86400\n    enabled: false\n    webhookRateLimitPerMinute: 1000000\n`,
  );
  const env = {
    DATABASE_URL: database.url,
    BATON_CONFIG: join(dir, 'baton.yaml'),
    BATON_MAPPINGS: fileURLToPath(new URL('../mappings', import.meta.url)),
    BATON_AUTH: 'off',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const baton = await startChild(fileURLToPath(new URL('../src/cli.ts', import.meta.url)), ['serve'], env);
  const latencies: number[] = [];
  try {
    const base = Date.parse('2026-11-20T09:00:00Z');
    for (let i = 0; i < SAMPLES; i++) {
      const title = `Apple Pay button, revision ${i} ${randomUUID().slice(0, 8)}`;
      const payload = structuredClone(fixture);
      payload.pull_request.title = title;
      payload.pull_request.updated_at = new Date(base + i * 60_000).toISOString().replace('.000', '');
      const body = Buffer.from(JSON.stringify(payload));
      const started = performance.now();
      const response = await fetch(`${baton.url}/webhooks/github`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        },
      });
      if (response.status !== 202)
        throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
      for (;;) {
        const status = await fetch(`${baton.url}/api/plans/checkout-rollout/status`).then((r) => r.text());
        if (status.includes(title)) break;
        if (performance.now() - started > 30_000) throw new Error(`change ${i} not visible after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      latencies.push(performance.now() - started);
    }
  } finally {
    await baton.stop();
    await database.drop();
  }
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n);
  return {
    bench: 'freshness',
    samples: latencies.length,
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    max_ms: round(latencies[latencies.length - 1]),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
  process.exit(0);
}
