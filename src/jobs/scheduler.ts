import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type pg from 'pg';

export type JobName =
  | 'poll'
  | 'drain_inbox'
  | 'rederive_plan'
  | 'sweep'
  | 'evaluate_slas'
  | 'send_alert'
  | 'renew_subscriptions'
  | 'recover_webhooks';

/**
 * Adds durable jobs. Any process can schedule (the API process adds a drain after a webhook);
 * whichever worker process is free runs it. Per-connection queues keep one poll per connection
 * at a time across all processes.
 */
export class JobScheduler {
  readonly #recentDrains = new Map<string, number>();
  readonly #deferredDrains = new Map<string, NodeJS.Timeout>();

  private constructor(private readonly utils: WorkerUtils) {}

  static async create(pool: pg.Pool): Promise<JobScheduler> {
    const utils = await makeWorkerUtils({ pgPool: pool });
    return new JobScheduler(utils);
  }

  /** Creates or updates graphile-worker's own tables. */
  async migrate(): Promise<void> {
    await this.utils.migrate();
  }

  /**
   * Asks for the inbox of a connection to be drained. Debounced per process: under a webhook
   * burst this writes one job row per connection per 50 ms, not one per delivery. A request
   * inside the window is not dropped but deferred to its end: the job added earlier may already
   * be running past this delivery, and nothing else would drain it before the minute's sweep.
   */
  drainSoon(connection: string): void {
    if (this.#deferredDrains.has(connection)) return;
    const wait = (this.#recentDrains.get(connection) ?? 0) + 50 - Date.now();
    if (wait <= 0) {
      this.#addDrain(connection);
      return;
    }
    const timer = setTimeout(() => {
      this.#deferredDrains.delete(connection);
      this.#addDrain(connection);
    }, wait);
    this.#deferredDrains.set(connection, timer);
  }

  #addDrain(connection: string): void {
    this.#recentDrains.set(connection, Date.now());
    this.drainNow(connection).catch(() => this.#recentDrains.delete(connection));
  }

  async drainNow(connection: string): Promise<void> {
    await this.utils.addJob(
      'drain_inbox',
      { connection },
      { jobKey: `drain:${connection}`, jobKeyMode: 'preserve_run_at', queueName: `inbox:${connection}` },
    );
  }

  /** Schedules the next poll of a connection (replacing any scheduled one). */
  async pollAt(
    connection: string,
    runAt: Date,
    mode: 'replace' | 'preserve_run_at' = 'replace',
  ): Promise<void> {
    await this.utils.addJob(
      'poll',
      { connection },
      {
        jobKey: `poll:${connection}`,
        jobKeyMode: mode,
        runAt,
        queueName: `conn:${connection}`,
        maxAttempts: 3,
      },
    );
  }

  async rederive(plan: string): Promise<void> {
    await this.utils.addJob('rederive_plan', { plan }, { jobKey: `rederive:${plan}`, jobKeyMode: 'replace' });
  }

  async add(
    name: JobName,
    payload: Record<string, unknown>,
    spec: Parameters<WorkerUtils['addJob']>[2] = {},
  ): Promise<void> {
    await this.utils.addJob(name, payload, spec);
  }

  async close(): Promise<void> {
    for (const [connection, timer] of this.#deferredDrains) {
      clearTimeout(timer);
      await this.drainNow(connection).catch(() => {}); // else the minute's sweep drains it
    }
    this.#deferredDrains.clear();
    await this.utils.release();
  }
}
