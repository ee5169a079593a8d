import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { registerAllConnectors } from '../../connectors/index.js';
import { readEnv } from '../config/env.js';
import { findConnector } from '../connectors/kit/registry.js';
import { createLogger } from '../runtime/logger.js';
import { type RunningBaton, startBaton } from '../server.js';
import { AlertsWatch } from './alerts-watch.js';
import { anchorFor, DemoClock, type DemoState, loadDemoState, saveDemoState } from './clock.js';
import { demoConfig, writeDemoConfig } from './config.js';
import { ScenarioDriver } from './driver.js';
import { waitForInitialPulls } from './initial-pulls.js';
import { loadPlanPeople } from './people.js';
import { choosePort } from './ports.js';
import { loadScenario, readScenarioFrame, type Scenario } from './scenario.js';
import { SubscriptionKeeper } from './subscriptions.js';
import { TOOLS, type Tool } from './timeline.js';
import { type DemoWorld, newSecrets, startWorld } from './world.js';

export interface DemoOptions {
  /** Everything the demo keeps: the embedded database, baton.yaml, clock.json. */
  dataDir: string;
  scenarioDir: string;
  mappingsDir: string;
  /** Baton's port; default 8080, or a free one when 8080 is taken. */
  port?: number;
  /** How much faster than real time the demo clock runs (1 = real time). */
  factor?: number;
  /** Wipe `dataDir` first. */
  fresh?: boolean;
  /** A Postgres server instead of the embedded one under `dataDir` (tests). */
  databaseUrl?: string;
  /** Where the first run's clock starts; default: the scenario's epoch moved to this week. */
  anchor?: Date;
  /** Baton's log level (pino); the demo's own lines go to `print`. */
  logLevel?: string;
  /** Start the scenario driver (default true). */
  driver?: boolean;
  /** How long to wait for the first pulls before carrying on (default 90 s). */
  initialPullTimeoutMs?: number;
  print(line: string): void;
}

export interface RunningDemo {
  url: string;
  dataDir: string;
  clock: DemoClock;
  scenario: Scenario;
  world: DemoWorld;
  baton: RunningBaton;
  driver: ScenarioDriver;
  alerts: AlertsWatch;
  subscriptions: SubscriptionKeeper;
  state: DemoState;
  /** Baton's logger. */
  log: Logger;
  /** Items each connection holds once the first pulls finished. */
  pulled: Record<string, number>;
  stop(): Promise<void>;
}

const SAVE_EVERY_MS = 10_000;

/**
 * The demo world: simulators seeded from the scenario, Baton started exactly as `baton serve`
 * starts it (a generated baton.yaml, real connections, signed webhooks), the webhooks kept
 * open, the driver playing the timeline, and alerts printed as they land in the tools.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir);
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  const stateFile = join(dataDir, 'clock.json');
  const previous = await loadDemoState(stateFile);
  const frame = await readScenarioFrame(options.scenarioDir);
  const anchor = previous
    ? new Date(previous.anchor)
    : (options.anchor ?? anchorFor(frame.epoch, new Date()));
  const clock = new DemoClock(
    previous ? new Date(Date.now() + previous.offsetMs) : anchor,
    options.factor ?? 1,
  );
  const state: DemoState = {
    anchor: anchor.toISOString(),
    offsetMs: clock.offsetMs(),
    loops: previous?.loops ?? 0,
    runs: (previous?.runs ?? 0) + 1,
  };
  const save = () => saveDemoState(stateFile, { ...state, offsetMs: clock.offsetMs() });
  await save();

  const people = await loadPlanPeople(options.mappingsDir);
  const scenario = await loadScenario(options.scenarioDir, people, anchor.getTime() - frame.epoch.getTime());
  registerAllConnectors();
  const tools: Tool[] = TOOLS.filter((tool) => findConnector(tool) !== undefined);
  const port = await choosePort(options.port);
  const url = `http://127.0.0.1:${port}`;
  const secrets = newSecrets();
  const world = await startWorld({ scenario, clock, batonUrl: url, tools, secrets });
  const cleanups: (() => Promise<void> | void)[] = [() => world.stop()];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step();
  };

  try {
    const config = demoConfig(world, secrets);
    const configFile = join(dataDir, 'baton.yaml');
    await writeDemoConfig(configFile, config);
    Object.assign(process.env, config.env);
    const { DATABASE_URL: _ignored, BATON_PUBLIC_URL: _own, ...inherited } = process.env;
    const env = readEnv({
      ...inherited,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      BATON_DATA_DIR: dataDir,
      BATON_CONFIG: configFile,
      BATON_MAPPINGS: resolve(options.mappingsDir),
      BATON_AUTH: 'off',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'warn',
    });
    const startedAt = new Date();
    const log = createLogger(env.LOG_LEVEL);
    const baton = await startBaton({ env, log, now: clock.now });
    cleanups.push(() => baton.stop());

    // Pull every connection now (as `baton sync` would): a poll left scheduled by an earlier
    // run may still be a minute away, and the driver should start on fresh cursors.
    for (const connection of baton.services.connections.all()) {
      await baton.services.scheduler.pollAt(connection.name, new Date());
    }

    const subscriptions = new SubscriptionKeeper(world, clock, secrets, url, (line) =>
      options.print(`warning: ${line}`),
    );
    await subscriptions.start();
    cleanups.push(() => subscriptions.stop());

    const pulled = await waitForInitialPulls(baton, startedAt, options.initialPullTimeoutMs ?? 90_000);

    const timer = setInterval(() => void save(), SAVE_EVERY_MS);
    timer.unref();
    cleanups.push(async () => {
      clearInterval(timer);
      await save();
    });

    const alerts = new AlertsWatch(world, options.print);
    const driver = new ScenarioDriver(scenario.timeline, world, {
      loopsDone: state.loops,
      log: (line, step) => options.print(`${step.tool.padEnd(7)} ${line}`),
      // A loop counts once it started: a run stopped half-way resumes with the next number.
      onLoop: (loop) => {
        state.loops = loop;
      },
    });
    cleanups.push(async () => {
      await driver.stop();
      alerts.stop();
    });
    alerts.start();
    if (options.driver !== false) driver.start();

    let stopping: Promise<void> | undefined;
    return {
      url,
      dataDir,
      clock,
      scenario,
      world,
      baton,
      driver,
      alerts,
      subscriptions,
      state,
      log,
      pulled,
      stop: () => {
        stopping ??= cleanUp();
        return stopping;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
