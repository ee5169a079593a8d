import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { SYNC_HEAP_GROWING_PERCENT } from '../src/runtime/heap-growth.js';
import { benchDatabase } from './support/bench-database.js';
import { profileFlags } from './support/child.js';
import { deployedWorkerNodeOptions } from './support/deployment.js';

/**
 * `sync`: full sync of 100,000 Jira issues from the simulator (its own process) into mapped plan
 * state, against the ceiling of the same connector fetching and parsing the same pages and
 * storing nothing; then, in the same worker process, an incremental sync after 1% changed (its
 * next poll). Each full sync is its own process, so peak RSS is that run's. Baton's runs use the
 * Node options docker-compose.yml gives a worker (a heap cap) and grow the heap as a worker does
 * (growHeapForSyncs); one more full sync with Node's default heap sizing is reported beside.
 * The ceiling runs with Node's defaults, its fastest (a ×2 growing factor made it slower), once
 * before and once after Baton's sync; `ceiling_s` is their mean.
 */
const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);

const WORKER_NODE_OPTIONS = deployedWorkerNodeOptions();

function startSimulator(): Promise<{ child: ChildProcess; settings: Record<string, unknown> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./support/jira-sim-server.ts', import.meta.url))],
    {
      env: { ...process.env, ISSUES: String(ISSUES) },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/LISTENING (\S+) (\{.*\})/);
      if (match) resolve({ child, settings: JSON.parse(match[2]) });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
}

interface RunResult {
  seconds: number;
  records: number;
  baselineRssMb: number;
  peakRssMb: number;
  cpuSeconds: number;
}

/**
 * One measured process. With `beforeIncremental`, the process syncs again after the full sync,
 * once that callback (which changes the data) has finished: the worker's next poll.
 */
function measuredRun(
  mode: 'ceiling' | 'baton',
  settings: Record<string, unknown>,
  options: { databaseUrl?: string; nodeOptions?: string[]; beforeIncremental?: () => Promise<void> } = {},
) {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeOptions ?? []),
      ...profileFlags,
      '--import',
      'tsx',
      fileURLToPath(new URL('./support/jira-sync-run.ts', import.meta.url)),
    ],
    {
      env: {
        ...process.env,
        MODE: mode,
        SETTINGS: JSON.stringify(settings),
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit', ...(options.beforeIncremental ? (['ipc'] as const) : [])],
    },
  );
  const before = options.beforeIncremental;
  if (before) child.once('message', () => before().then(() => child.send('go')));
  return new Promise<{ full: RunResult; incremental?: RunResult }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => {
      const full = out.match(/RESULT (\{.*\})/);
      const incremental = out.match(/INCREMENTAL (\{.*\})/);
      if (code === 0 && full) {
        resolve({
          full: JSON.parse(full[1]),
          incremental: incremental ? JSON.parse(incremental[1]) : undefined,
        });
      } else reject(new Error(`${mode} run exited ${code}: ${out.slice(-1000)}`));
    });
  });
}

export async function run() {
  const database = await benchDatabase('sync');
  const sim = await startSimulator();
  try {
    const settings = { ...sim.settings, jql: 'project in (CHK, OPS)', reconcileEveryHours: 24 };
    // The ceiling runs just before and just after Baton's sync and counts as their mean: on a
    // shared machine one ceiling run alone moved ±20 % between benchmark runs, and the ratio
    // with it.
    const { full: ceilingBefore } = await measuredRun('ceiling', settings);
    // Each full sync starts from a checkpoint, so neither pays for the other's dirty pages.
    await sql`checkpoint`.execute(database.handle.db);
    const worker = await measuredRun('baton', settings, {
      databaseUrl: database.url,
      nodeOptions: WORKER_NODE_OPTIONS,
      beforeIncremental: async () => {
        sim.child.send({ change: Math.round(ISSUES / 100) });
        await new Promise((resolve) => sim.child.once('message', resolve));
      },
    });
    // The simulator now holds the 1% changed: the same number of issues, read the same way.
    const { full: ceilingAfter } = await measuredRun('ceiling', settings);
    const ceiling = {
      seconds: (ceilingBefore.seconds + ceilingAfter.seconds) / 2,
      peakRssMb: Math.max(ceilingBefore.peakRssMb, ceilingAfter.peakRssMb),
      cpuSeconds: (ceilingBefore.cpuSeconds + ceilingAfter.cpuSeconds) / 2,
    };
    // The same full sync with Node's default heap sizing, on emptied tables (the simulator's data
    // now includes the 1% changed, which a full sync reads the same way).
    await sql`truncate items, item_events, placements, handoffs, approvals, connections cascade`.execute(
      database.handle.db,
    );
    await sql`checkpoint`.execute(database.handle.db);
    const { full: defaultHeap } = await measuredRun('baton', settings, { databaseUrl: database.url });
    const full = worker.full;
    const incremental = worker.incremental!;
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    return {
      bench: 'sync',
      items: full.records,
      baton_s: round(full.seconds),
      ceiling_s: round(ceiling.seconds),
      ceiling_runs_s: [round(ceilingBefore.seconds), round(ceilingAfter.seconds)],
      ratio: round(ceiling.seconds / full.seconds),
      incremental_s: round(incremental.seconds),
      incremental_records: incremental.records,
      incremental_fraction: round(incremental.seconds / full.seconds, 4),
      peak_rss_mb: full.peakRssMb,
      node_options: WORKER_NODE_OPTIONS.join(' '),
      // Set by the sync process itself, as `baton worker` does (Node refuses it in NODE_OPTIONS).
      heap_growing_percent: SYNC_HEAP_GROWING_PERCENT,
      baseline_rss_mb: full.baselineRssMb,
      ceiling_peak_rss_mb: ceiling.peakRssMb,
      baton_cpu_s: round(full.cpuSeconds),
      ceiling_cpu_s: round(ceiling.cpuSeconds),
      default_heap_baton_s: round(defaultHeap.seconds),
      default_heap_peak_rss_mb: defaultHeap.peakRssMb,
    };
  } finally {
    sim.child.kill('SIGTERM');
    await database.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
  process.exit(0);
}
