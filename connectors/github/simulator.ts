import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatorHandle } from '../../src/connectors/kit/index.js';
import { itemId } from './normalize.js';
import { InstallationTokens, type SimAppOptions } from './simulator/app-auth.js';
import { createControls, type SimControls } from './simulator/controls.js';
import { Deliveries, type DeliveryRecord, type SimWebhook } from './simulator/deliveries.js';
import { type GenerateOptions, generateSeed } from './simulator/generate.js';
import { type FaultSettings, Faults, RateLimit } from './simulator/limits.js';
import type { GitHubSeed } from './simulator/model.js';
import {
  handle,
  type PostedComment,
  type RequestLogEntry,
  type SimServerContext,
} from './simulator/server.js';
import { SimStore } from './simulator/store.js';
import type { WireContext } from './simulator/wire-basics.js';

export { generateSeed } from './simulator/generate.js';
export type { GitHubSeed, SeedIssue, SeedPull, SeedTimelineEvent } from './simulator/model.js';

export interface GitHubSimulatorOptions {
  /** Default 0: an ephemeral port on 127.0.0.1. */
  port?: number;
  /** Repositories, issues, pull requests and timelines in GitHub's field names. */
  seed?: GitHubSeed;
  /** Adds a deterministic repository of generated items (benchmarks, contract suite). */
  generate?: GenerateOptions;
  /** The personal token Baton must present. Default `ghp_simulator`. */
  token?: string;
  /** Whose the token is: comments Baton posts appear as this login. Default `baton-bot`. */
  tokenLogin?: string;
  /** Accept GitHub App authentication (JWT → installation token) too. */
  app?: SimAppOptions;
  /** Signed deliveries for every change made through the controls. */
  webhook?: SimWebhook;
  /** Clock for item timestamps (the rate-limit window runs on real time). */
  now?: () => Date;
  rateLimit?: { limit?: number; windowSec?: number };
  /** Serve under `/api/v3`, the way GitHub Enterprise Server does. */
  enterprise?: boolean;
  /** Page size put in `connectionSettings()`. */
  perPage?: number;
}

export interface GitHubSimulator extends SimulatorHandle, SimControls {
  faults: { set(settings: FaultSettings): void; clear(): void };
  rateLimit: RateLimit;
  /** Comments Baton posted through the REST API (alerts). */
  postedComments: PostedComment[];
  /** Every delivery made (sent when `webhook.url` is set, recorded either way). */
  deliveries: DeliveryRecord[];
  /** Every request answered: method, path with query, status. */
  requests: RequestLogEntry[];
  /** Installation tokens minted for App authentication. */
  tokensIssued(): number;
  seed(seed: GitHubSeed): void;
  /** External ids (`owner/repo#n`) of every live issue and PR. */
  liveIds(): string[];
}

export async function startGitHubSimulator(options: GitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
  const store = new SimStore(options.now ?? (() => new Date()));
  if (options.generate) store.seed(generateSeed(options.generate));
  if (options.seed) store.seed(options.seed);

  const w: WireContext = { store, apiBase: '', htmlBase: '' };
  const limits = new RateLimit(options.rateLimit?.limit ?? 5000, options.rateLimit?.windowSec ?? 3600);
  const deliveries = new Deliveries(options.webhook);
  const controls = createControls(w, deliveries);
  const ctx: SimServerContext = {
    w,
    limits,
    faults: new Faults(limits),
    token: options.token ?? 'ghp_simulator',
    tokenLogin: options.tokenLogin ?? 'baton-bot',
    app: options.app ? new InstallationTokens(options.app) : undefined,
    controls,
    postedComments: [],
    requests: [],
  };

  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `simulator error: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  w.htmlBase = origin;
  w.apiBase = options.enterprise ? `${origin}/api/v3` : origin;

  return {
    ...controls,
    baseUrl: w.apiBase,
    connectionSettings() {
      const auth = options.app
        ? {
            app: {
              appId: options.app.appId,
              privateKey: options.app.privateKey,
              installationId: options.app.installationId,
            },
          }
        : { token: ctx.token };
      return {
        repos: [...store.repos.values()].map((repo) => repo.full_name),
        ...auth,
        webhookSecret: options.webhook?.secret ?? 'simulator-webhook-secret',
        baseUrl: w.apiBase,
        ...(options.perPage ? { perPage: options.perPage } : {}),
      };
    },
    faults: ctx.faults,
    rateLimit: limits,
    postedComments: ctx.postedComments,
    deliveries: deliveries.sent,
    requests: ctx.requests,
    tokensIssued: () => ctx.app?.issued.length ?? 0,
    seed: (seed) => store.seed(seed),
    liveIds: () =>
      [...store.repos.values()].flatMap((repo) =>
        [...repo.issues.keys()].map((n) => itemId(repo.full_name, n)),
      ),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
