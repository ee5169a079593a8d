import { describe, expect, it } from 'vitest';
import { createHttpPacer } from './pacing.js';
import { stoppable } from './stoppable.js';

const never = () => new Promise<never>(() => {});

describe('a job’s view of the pacer when its worker stops', () => {
  it('stops waiting for a tool that stalls the moment the job is aborted', async () => {
    const stop = new AbortController();
    const http = stoppable(createHttpPacer({ timeoutMs: 600_000 }), stop.signal);
    const call = http.run(never);
    stop.abort(new Error('worker stopping'));
    await expect(call).rejects.toThrow('worker stopping');
  });

  it('gives the call the stop signal, so a client that takes one drops the request', async () => {
    const stop = new AbortController();
    const http = stoppable(createHttpPacer(), stop.signal);
    let seen: AbortSignal | undefined;
    const call = http.run(
      (attempt) =>
        new Promise((_resolve, reject) => {
          seen = attempt?.signal;
          attempt?.signal?.addEventListener('abort', () => reject(new Error('request dropped')));
        }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen?.aborted).toBe(false);
    stop.abort();
    expect(seen?.aborted).toBe(true);
    await expect(call).rejects.toBeDefined();
  });

  it('gives up a call still queued behind others, without making it', async () => {
    const stop = new AbortController();
    const pacer = createHttpPacer({ concurrency: 1 });
    const blocker = pacer.run(never);
    void blocker;
    let made = false;
    const queued = stoppable(pacer, stop.signal).run(async () => {
      made = true;
    });
    stop.abort();
    await expect(queued).rejects.toBeDefined();
    expect(made).toBe(false);
  });

  it('makes no call once the job is already stopping', async () => {
    const stop = new AbortController();
    stop.abort();
    let made = false;
    const call = stoppable(createHttpPacer(), stop.signal).run(async () => {
      made = true;
    });
    await expect(call).rejects.toBeDefined();
    expect(made).toBe(false);
  });

  it('answers as the pacer does while the job runs', async () => {
    const http = stoppable(createHttpPacer(), new AbortController().signal);
    await expect(http.run(async () => 'page 1')).resolves.toBe('page 1');
  });
});
