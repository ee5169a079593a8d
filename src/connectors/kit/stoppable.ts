import type { HttpPacer } from './pacing.js';

/**
 * The connection's pacer as one job sees it. Once `signal` aborts (the worker is stopping), the
 * job stops waiting for the tool at once — whether its call is queued, in flight against a tool
 * that stalls, or between retries — and fails with the abort reason. The call itself gets the
 * signal too (with the attempt's own), so clients that take one drop the request.
 */
export function stoppable(pacer: HttpPacer, signal: AbortSignal | undefined): HttpPacer {
  if (!signal) return pacer;
  return {
    run(call) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const work = pacer.run((attempt) =>
        call({ signal: attempt?.signal ? AbortSignal.any([attempt.signal, signal]) : signal }),
      );
      return untilAborted(work, signal);
    },
    get pending() {
      return pacer.pending;
    },
  };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      work.catch(() => {}); // settles later (the attempt's own timeout); nobody is waiting for it
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
