import { type Kysely, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const CHANNEL = 'baton_changes';

/**
 * Tells every Baton process that data changed (`c:<connection>` or `p:<plan>`). NOTIFY is
 * transactional: listeners hear it only once the change is committed.
 */
export async function notifyChange(
  db: Kysely<Database> | Transaction<Database>,
  topic: string,
): Promise<void> {
  await sql`select pg_notify(${CHANNEL}, ${topic})`.execute(db);
}

/** Listens for change notices; reconnects after a lost connection. */
export class ChangeFeed {
  #client?: pg.Client;
  #closed = false;
  #listeners = new Set<(topic: string) => void>();

  constructor(private readonly url: string) {}

  async start(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      for (const listener of this.#listeners) listener(message.payload);
    });
    client.on('error', () => this.#reconnect());
    client.on('end', () => this.#reconnect());
    this.#client = client;
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
  }

  #reconnect(): void {
    if (this.#closed) return;
    this.#client = undefined;
    // Anything missed while disconnected is also bounded by the cache's time-to-live.
    for (const listener of this.#listeners) listener('*');
    setTimeout(() => this.start().catch(() => this.#reconnect()), 1000).unref();
  }

  onChange(listener: (topic: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#client?.end().catch(() => {});
  }
}
