import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Closed-loop load: `connections` keep-alive clients each sending the next request when the
 * previous answer is complete, for `seconds`. Records every latency (exact percentiles).
 */
export async function closedLoopLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: string;
  body?: () => { body: Buffer; headers: Record<string, string> };
  expectStatus?: number;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.seconds * 1000;

  const once = () =>
    new Promise<void>((resolve) => {
      const payload = options.body?.();
      const started = performance.now();
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: options.method ?? 'GET',
          headers: payload ? { ...payload.headers, 'content-length': String(payload.body.length) } : {},
        },
        (response) => {
          response.on('data', () => {});
          response.on('end', () => {
            latencies.push(performance.now() - started);
            if (response.statusCode !== (options.expectStatus ?? 200)) errors++;
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors++;
        resolve();
      });
      request.end(payload?.body);
    });

  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / elapsed),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
  };
}

/**
 * Measures Baton and its ceiling in alternating rounds, so a neighbour's burst of CPU on a shared
 * machine hits both sides alike. Returns the combined figures for each side.
 */
export async function alternatingLoad(
  baton: Parameters<typeof closedLoopLoad>[0],
  ceiling: Parameters<typeof closedLoopLoad>[0],
  rounds = 4,
): Promise<{ baton: LoadResult; ceiling: LoadResult }> {
  const batonRuns: LoadResult[] = [];
  const ceilingRuns: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    batonRuns.push(await closedLoopLoad({ ...baton, seconds: baton.seconds / rounds }));
    ceilingRuns.push(await closedLoopLoad({ ...ceiling, seconds: ceiling.seconds / rounds }));
  }
  return { baton: combine(batonRuns), ceiling: combine(ceilingRuns) };
}

function combine(runs: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  const requests = sum((r) => r.requests);
  const weighted = (f: (r: LoadResult) => number) =>
    Math.round((sum((r) => f(r) * r.requests) / Math.max(1, requests)) * 10) / 10;
  return {
    requests,
    errors: sum((r) => r.errors),
    rps: Math.round(sum((r) => r.rps) / runs.length),
    // Percentiles of the rounds, weighted by their requests: close to, not exactly, the pooled percentile.
    p50_ms: weighted((r) => r.p50_ms),
    p95_ms: weighted((r) => r.p95_ms),
    p99_ms: weighted((r) => r.p99_ms),
  };
}
