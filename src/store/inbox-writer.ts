import type { Kysely } from 'kysely';
import { type NewDelivery, storeDeliveries } from './inbox.repository.js';
import type { Database } from './schema.js';

interface Waiting {
  delivery: NewDelivery;
  settle: (stored: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Writes webhook deliveries to the inbox, coalescing under load: a delivery goes out at once when
 * fewer than `maxInFlight` inserts are running; otherwise it waits for one to finish and goes out
 * with every delivery that arrived meanwhile, as one statement and one commit. Each caller's
 * promise settles only after the statement holding its delivery committed, so a 202 still means
 * durable. At low load nothing waits; under load the per-delivery commit — most of what a
 * delivery costs Postgres — is shared.
 */
export class InboxWriter {
  readonly #queue: Waiting[] = [];
  #inFlight = 0;
  /** Statements sent so far (each one commit). */
  statements = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { maxInFlight?: number; maxBatch?: number } = {},
  ) {}

  /** Resolves with whether the delivery was stored (false: a redelivery); rejects if not stored. */
  store(delivery: NewDelivery): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.#queue.push({ delivery, settle, fail });
      this.#send();
    });
  }

  #send(): void {
    const maxInFlight = this.options.maxInFlight ?? 4;
    const maxBatch = this.options.maxBatch ?? 100;
    while (this.#inFlight < maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, maxBatch);
      this.#inFlight++;
      this.statements++;
      storeDeliveries(
        this.db,
        batch.map((w) => w.delivery),
      )
        .then(
          (stored) => {
            for (const [i, waiting] of batch.entries()) waiting.settle(stored[i]);
          },
          (error: unknown) => {
            for (const waiting of batch) waiting.fail(error);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#send();
        });
    }
  }
}
