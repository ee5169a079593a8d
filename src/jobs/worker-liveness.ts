import type { WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';

/** First key of every liveness advisory lock ('bato'); the second is hashtext(worker id). */
const LOCK_CLASS = 0x6261746f;

/**
 * graphile-worker leaves the jobs of a process that died without a graceful stop (SIGKILL, OOM,
 * a lost machine) locked for 4 hours — and with them the named queue `conn:<name>`, so that
 * connection is not polled for 4 hours. Each worker process therefore holds a session advisory
 * lock per worker id on a connection of its own, which Postgres drops the moment the process is
 * gone. Every few seconds each process looks at the worker ids holding jobs; an id whose lock is
 * free at two checks in a row belongs to a dead process (a live one takes its lock as the worker
 * is created, milliseconds before its first job), and its jobs are unlocked for the living.
 */
export class WorkerLiveness {
  readonly #held = new Set<string>();
  #client: pg.Client | undefined;
  #closed = false;
  #locking: Promise<void> = Promise.resolve();
  #suspects = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {}

  /** Starts before the runner: listens for its workers on `events`, then checks every `checkEveryMs`. */
  static async start(
    pool: pg.Pool,
    events: WorkerEvents,
    log: Logger,
    checkEveryMs = 5_000,
  ): Promise<WorkerLiveness> {
    const liveness = new WorkerLiveness(pool, log);
    await liveness.#connect();
    events.on('pool:create', ({ workerPool }) => liveness.#hold(workerPool.id));
    events.on('worker:create', ({ worker }) => liveness.#hold(worker.workerId));
    liveness.#timer = setInterval(() => {
      liveness.reclaim().catch((error) => log.warn({ err: error }, 'could not check for dead workers'));
    }, checkEveryMs);
    liveness.#timer.unref();
    return liveness;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.pool.options);
    client.on('error', () => this.#reconnect(client));
    client.on('end', () => this.#reconnect(client));
    try {
      await client.connect();
      for (const id of this.#held) await this.#lock(client, id);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.#client = client;
  }

  /** The session ended (database restart, network): take the locks again before others miss them twice. */
  #reconnect(dead: pg.Client): void {
    if (this.#closed || this.#client !== dead) return;
    this.#client = undefined;
    const retry = () => {
      if (this.#closed) return;
      this.#connect().catch(() => setTimeout(retry, 1_000).unref());
    };
    retry();
  }

  #hold(id: string): void {
    this.#held.add(id);
    // One query at a time on the session's client: workers are created in a burst, and pg
    // deprecates overlapping queries on one client.
    this.#locking = this.#locking
      .then(async () => {
        if (this.#client) await this.#lock(this.#client, id);
      })
      .catch(() => {});
  }

  async #lock(client: pg.Client, id: string): Promise<void> {
    await client.query('select pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, id]);
  }

  /** Worker ids (and the pool id) this process holds locks for: logged at start, named when reclaimed. */
  held(): string[] {
    return [...this.#held];
  }

  /** One check: unlocks the jobs of workers whose process is gone. Returns their ids. */
  async reclaim(): Promise<string[]> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string }>(
        `select id from (
           select locked_by as id from graphile_worker._private_jobs where locked_by is not null
           union select locked_by from graphile_worker._private_job_queues where locked_by is not null
         ) holders
         where not (id = any($2::text[])) and pg_try_advisory_xact_lock($1, hashtext(id))`,
        [LOCK_CLASS, [...this.#held]],
      );
      const free = new Set(rows.map((r) => r.id));
      const dead = [...free].filter((id) => this.#suspects.has(id));
      this.#suspects = free;
      if (dead.length > 0) {
        await client.query('select graphile_worker.force_unlock_workers($1::text[])', [dead]);
        this.log.warn({ workers: dead }, 'released the jobs of workers whose process is gone');
      }
      await client.query('commit');
      return dead;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** After the runner stopped (its jobs finished or released): drops the locks. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#client?.end().catch(() => {});
  }
}
