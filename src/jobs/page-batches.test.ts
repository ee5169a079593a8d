import { describe, expect, it } from 'vitest';
import { record } from '../../test/support/plan-fixture.js';
import type { PullPage } from '../connectors/kit/contract.js';
import { batchedPages } from './page-batches.js';

async function* pages(count: number, size: number, failAt?: number): AsyncGenerator<PullPage> {
  for (let p = 0; p < count; p++) {
    if (p === failAt) throw new Error('tool went away');
    await new Promise((resolve) => setImmediate(resolve));
    yield {
      records: Array.from({ length: size }, (_, i) => record({ externalId: `${p}-${i}` })),
      cursor: { page: p },
    };
  }
}

describe('writing pages in batches', () => {
  it('keeps every record in order and ends each batch with the cursor of its last page', async () => {
    const seen: string[] = [];
    const cursors: unknown[] = [];
    for await (const batch of batchedPages(pages(12, 100), { maxRecords: 300 })) {
      expect(batch.records.length).toBeLessThanOrEqual(300);
      seen.push(...batch.records.map((r) => r.externalId));
      cursors.push(batch.cursor);
      await new Promise((resolve) => setTimeout(resolve, 5)); // a slow writer lets pages queue up
    }
    expect(seen).toEqual(
      Array.from({ length: 12 }, (_, p) => Array.from({ length: 100 }, (_, i) => `${p}-${i}`)).flat(),
    );
    expect(cursors.at(-1)).toEqual({ page: 11 });
  });

  it('hands each page to onArrival as it arrives, before the writer takes it', async () => {
    const arrived: unknown[] = [];
    const written: unknown[] = [];
    for await (const batch of batchedPages(pages(6, 10), {
      maxRecords: 20,
      onArrival: (page) => arrived.push(page.cursor),
    })) {
      expect(arrived).toContainEqual(batch.cursor);
      written.push(batch.cursor);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(arrived).toEqual(Array.from({ length: 6 }, (_, p) => ({ page: p })));
    expect(written.at(-1)).toEqual({ page: 5 });
  });

  it("passes the tool's failure on after the pages that arrived before it", async () => {
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const batch of batchedPages(pages(5, 10, 3)))
          seen.push(...batch.records.map((r) => r.externalId));
      })(),
    ).rejects.toThrow('tool went away');
    expect(seen).toHaveLength(30);
  });

  it('stops reading the tool when the writer stops early', async () => {
    let produced = 0;
    async function* counting(): AsyncGenerator<PullPage> {
      for (let p = 0; p < 1000; p++) {
        produced++;
        await new Promise((resolve) => setImmediate(resolve));
        yield { records: [record({ externalId: String(p) })], cursor: p };
      }
    }
    for await (const _batch of batchedPages(counting(), { maxQueuedPages: 2 })) break;
    expect(produced).toBeLessThan(10);
  });
});
