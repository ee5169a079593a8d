import { resolve } from 'node:path';
import type { Runner } from 'graphile-worker';
import type { Logger } from 'pino';
import { registerAllConnectors } from '../connectors/index.js';
import { type BatonApp, buildApp } from './api/app.js';
import { loadBatonConfig } from './config/baton-config.js';
import { type Env, publicUrl } from './config/env.js';
import { JobScheduler } from './jobs/scheduler.js';
import { startWorker } from './jobs/worker.js';
import { ConnectionRegistry } from './runtime/connection-registry.js';
import { PlanLoader } from './runtime/plan-loader.js';
import { PlanRegistry } from './runtime/plan-registry.js';
import type { BatonServices } from './runtime/services.js';
import { ChangeFeed } from './store/change-feed.js';
import { ensureConnection } from './store/connections.repository.js';
import { type DatabaseHandle, openDatabase } from './store/database.js';
import { migrateToLatest } from './store/migrate.js';
import { instanceSecret } from './store/tokens.repository.js';

export interface StartOptions {
  env: Env;
  log: Logger;
  /** Serve the API and page (default true). */
  api?: boolean;
  /** Run background jobs in this process (default true). */
  worker?: boolean;
  workerConcurrency?: number;
  now?: () => Date;
  /** Extra plugins for the app (status page, auth). */
  plugins?: Parameters<typeof buildApp>[0]['plugins'];
}

export interface RunningBaton {
  services: BatonServices;
  database: DatabaseHandle;
  app?: BatonApp;
  /** Where the API listens, when it does. */
  url?: string;
  stop(): Promise<void>;
}

/** Opens the database (embedded when DATABASE_URL is unset), migrates, and prepares the registries. */
export async function prepareBaton(env: Env, log: Logger, now: () => Date = () => new Date()) {
  registerAllConnectors();
  const config = loadBatonConfig(resolve(env.BATON_CONFIG));
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.BATON_DATA_DIR,
    log: (m) => log.debug({ postgres: m.trim() }),
  });
  try {
    await migrateToLatest(database.db);
    const scheduler = await JobScheduler.create(database.pool);
    await scheduler.migrate();
    const plans = new PlanRegistry();
    const connections = new ConnectionRegistry(database.db, log, publicUrl(env), now);
    for (const connection of config.connections) {
      await ensureConnection(database.db, connection.name, connection.kind, connection.declared);
      connections.add(connection);
    }
    const loader = new PlanLoader(resolve(env.BATON_MAPPINGS), database.db, plans, log);
    const changed = await loader.load();
    const services: BatonServices = {
      db: database.db,
      plans,
      connections,
      scheduler,
      log,
      publicUrl: publicUrl(env),
      now,
    };
    return { database, services, loader, changed, config };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** `baton serve` / `baton worker`: everything a process role needs, with graceful shutdown. */
export async function startBaton(options: StartOptions): Promise<RunningBaton> {
  const { env, log } = options;
  const { database, services, loader, changed } = await prepareBaton(env, log, options.now);
  let runner: Runner | undefined;
  let accepting = true;
  const feed = new ChangeFeed(database.url);
  await feed.start();

  // Jobs get their own pool: a drain or sync holding connections never makes a webhook wait
  // for one (the API pool stays free for the durable INSERT each delivery needs).
  const jobsDatabase =
    options.worker !== false && options.api !== false
      ? await openDatabase({ url: database.url, poolSize: 10 })
      : undefined;
  const jobServices: BatonServices = jobsDatabase ? { ...services, db: jobsDatabase.db } : services;
  if (options.worker !== false) {
    runner = await startWorker(jobServices, {
      pool: (jobsDatabase ?? database).pool,
      concurrency: options.workerConcurrency,
    });
    for (const key of changed) await services.scheduler.rederive(key);
    for (const connection of services.connections.all()) {
      await services.scheduler.pollAt(connection.name, new Date(), 'preserve_run_at');
    }
  }
  loader.watch(services.scheduler);

  let app: BatonApp | undefined;
  let url: string | undefined;
  if (options.api !== false) {
    app = await buildApp({
      services,
      logger: log,
      changeFeed: feed,
      runtime: {
        workersRunning: () => runner !== undefined || options.worker === false,
        acceptingWebhooks: () => accepting,
      },
      plugins: options.plugins,
      auth: { mode: env.BATON_AUTH, shareSecret: () => instanceSecret(database.db, 'share_link_key') },
      trustProxy: env.BATON_TRUST_PROXY,
    });
    url = await app.listen({ port: env.PORT, host: env.HOST });
    log.info({ url }, 'Baton is listening');
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const began = performance.now();
      log.info('stopping: webhooks answered 503, jobs finishing or handed back');
      accepting = false;
      try {
        loader.close();
        await app?.close();
        await runner?.stop();
        await services.scheduler.close();
        await feed.close();
        await jobsDatabase?.close();
        await database.close();
      } catch (error) {
        log.error({ err: error }, 'stop failed');
        throw error;
      }
      log.info({ ms: Math.round(performance.now() - began) }, 'stopped');
    })();
    return stopping;
  };
  return { services, database, app, url, stop };
}
