import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { JobScheduler } from '../jobs/scheduler.js';
import type { Database } from '../store/schema.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { PlanRegistry } from './plan-registry.js';

/** What routes and jobs share: built once in server.ts, passed explicitly (no globals). */
export interface BatonServices {
  db: Kysely<Database>;
  plans: PlanRegistry;
  connections: ConnectionRegistry;
  scheduler: JobScheduler;
  log: Logger;
  /** URL people and tools reach Baton at (status page links, webhook URLs). */
  publicUrl: string;
  now(): Date;
}
