import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import type { DatabaseHandle } from './database.js';
import type { NewDelivery } from './inbox.repository.js';
import { InboxWriter } from './inbox-writer.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await sql`truncate webhook_inbox`.execute(database.db);
});

const delivery = (id: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  connection: 'github',
  deliveryId: id,
  event: 'issues',
  headers: { 'x-github-delivery': id },
  body: Buffer.from(JSON.stringify({ action: 'opened', id })),
  ...extra,
});

const stored = async () =>
  (
    await sql<{ delivery_id: string; body: Buffer; status: string; error: string | null }>`
      select delivery_id, body, status, error from webhook_inbox order by id`.execute(database.db)
  ).rows;

describe('writing deliveries to the inbox under load', () => {
  it('sends deliveries that arrive together as one statement, each stored once', async () => {
    const writer = new InboxWriter(database.db, { maxInFlight: 1 });
    // 20 distinct deliveries; d3 arrives three times and d7 twice, all at once.
    const ids = [...Array.from({ length: 20 }, (_, i) => `d${i}`), 'd3', 'd7', 'd3'];
    const answers = await Promise.all(ids.map((id) => writer.store(delivery(id))));

    // The first goes out alone; everything that arrived while it ran goes out together.
    expect(writer.statements).toBe(2);
    expect(answers).toEqual([...Array.from({ length: 20 }, () => true), false, false, false]);
    expect((await stored()).map((r) => r.delivery_id)).toEqual(Array.from({ length: 20 }, (_, i) => `d${i}`));
  });

  it('answers a redelivery of something already stored as not stored', async () => {
    const writer = new InboxWriter(database.db);
    expect(await writer.store(delivery('x1'))).toBe(true);
    expect(await Promise.all([writer.store(delivery('x1')), writer.store(delivery('x2'))])).toEqual([
      false,
      true,
    ]);
  });

  it('answers only once the delivery can be read from another connection', async () => {
    const writer = new InboxWriter(database.db, { maxInFlight: 1 });
    await Promise.all(['a', 'b', 'c'].map((id) => writer.store(delivery(id))));
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    const { rows } = await other.query('select count(*)::int as n from webhook_inbox');
    await other.end();
    expect(rows[0].n).toBe(3);
  });

  it('keeps bodies byte for byte and a malformed delivery as failed with its reason', async () => {
    const writer = new InboxWriter(database.db, { maxInFlight: 1 });
    const bytes = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x5c]);
    await Promise.all([
      writer.store(delivery('raw', { body: bytes, status: 'failed', error: 'malformed_json: not JSON' })),
      writer.store(delivery('fine')),
    ]);
    const [raw, fine] = await stored();
    expect(raw).toMatchObject({ delivery_id: 'raw', status: 'failed', error: 'malformed_json: not JSON' });
    expect(Buffer.compare(raw.body, bytes)).toBe(0);
    expect(fine).toMatchObject({ delivery_id: 'fine', status: 'pending', error: null });
  });

  it('refuses every delivery of a statement that fails, and stores none of them', async () => {
    const writer = new InboxWriter(database.db, { maxInFlight: 1 });
    await sql`alter table webhook_inbox rename to webhook_inbox_away`.execute(database.db);
    try {
      const answers = await Promise.allSettled(['f1', 'f2', 'f3'].map((id) => writer.store(delivery(id))));
      expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    } finally {
      await sql`alter table webhook_inbox_away rename to webhook_inbox`.execute(database.db);
    }
    expect(await stored()).toEqual([]);
    // And it goes on writing once the table is back.
    expect(await writer.store(delivery('after'))).toBe(true);
  });
});
