import type { PullPage } from '../connectors/kit/contract.js';

export interface PageBatch extends PullPage {
  /** How many of the tool's pages this batch holds. */
  pages: number;
}

/**
 * Reads pages from the tool ahead of the writer and hands the writer everything that arrived
 * since its last write, up to `maxRecords`, with the cursor of the last page in it. When Postgres
 * is the slower side, batches grow and each write carries more rows; when the tool is slower,
 * each page is written as soon as it arrives. Any batch's cursor resumes exactly after it.
 */
export async function* batchedPages(
  source: AsyncIterable<PullPage>,
  {
    maxRecords = 500,
    maxQueuedPages = 8,
    onArrival,
  }: { maxRecords?: number; maxQueuedPages?: number; onArrival?: (page: PullPage) => void } = {},
): AsyncGenerator<PageBatch> {
  const queue: PullPage[] = [];
  let done = false;
  let stopped = false;
  let failure: unknown;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const wait = (set: (wake: () => void) => void) => new Promise<void>((resolve) => set(resolve));

  const producer = (async () => {
    try {
      for await (const page of source) {
        onArrival?.(page);
        while (queue.length >= maxQueuedPages && !stopped) await wait((w) => (wakeProducer = w));
        if (stopped) break;
        queue.push(page);
        wakeConsumer?.();
      }
    } catch (error) {
      failure = error;
    } finally {
      done = true;
      wakeConsumer?.();
    }
  })();

  try {
    for (;;) {
      while (queue.length === 0 && !done) await wait((w) => (wakeConsumer = w));
      if (queue.length === 0) {
        if (failure !== undefined) throw failure;
        return;
      }
      const taken: PullPage[] = [];
      let records = 0;
      while (queue.length > 0 && (taken.length === 0 || records + queue[0].records.length <= maxRecords)) {
        const page = queue.shift()!;
        taken.push(page);
        records += page.records.length;
      }
      wakeProducer?.();
      yield {
        records: taken.flatMap((p) => p.records),
        cursor: taken[taken.length - 1].cursor,
        pages: taken.length,
      };
    }
  } finally {
    // The writer stopped early (abort, failure): the reader ends after the page it is fetching.
    // Not awaited: that fetch may be stalled, and a stopping worker must not wait for it.
    stopped = true;
    wakeProducer?.();
    void producer;
  }
}
