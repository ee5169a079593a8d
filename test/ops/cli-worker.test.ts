import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { REPO } from './support/run-cli.js';

let database: DatabaseHandle;
let dir: string;
let worker: ChildProcess;
const logs: Record<string, unknown>[] = [];
let metricsUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'baton-worker-'));
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  worker = spawn(process.execPath, ['bin/baton.js', 'worker', '--metrics-port', '0'], {
    cwd: REPO,
    env: {
      ...inherited,
      DATABASE_URL: database.url,
      BATON_CONFIG: join(dir, 'none.yaml'),
      BATON_MAPPINGS: dir,
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const served = new Promise<string>((resolve, reject) => {
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before serving metrics`)));
    createInterface({ input: worker.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'worker metrics are served') resolve(String(entry.url));
    });
  });
  metricsUrl = await served;
});
afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
  await database.close();
});

describe('baton worker --metrics-port', () => {
  it('serves the process metrics and a health check', async () => {
    const metrics = await fetch(metricsUrl);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('# TYPE baton_job_duration_seconds histogram');
    expect(text).toContain('# TYPE baton_job_failed_total counter');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect((await fetch(metricsUrl.replace(/\/metrics$/, '/healthz'))).status).toBe(200);
  });

  it('stops gracefully on SIGTERM and exits 0', async () => {
    const exited = once(worker, 'exit');
    worker.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(logs.map((l) => l.msg)).toContain('Graceful shutdown complete');
  });
});
