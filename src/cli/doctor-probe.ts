import type { Json } from '../connectors/kit/contract.js';
import { describeHttpError, type HttpPacer, normaliseHeaders } from '../connectors/kit/pacing.js';
import type { RuntimeConnection } from '../runtime/connection-registry.js';

export interface ProbeResult {
  ok: boolean;
  /** The error the pull ended with (`ok: false`). */
  error?: unknown;
  timedOut?: boolean;
  /** Seconds the tool's clock is ahead of ours, from a response's Date header, when one was seen. */
  skewSeconds?: number;
}

function headersOf(result: unknown): unknown {
  return typeof result === 'object' && result !== null && 'headers' in result
    ? (result as { headers: unknown }).headers
    : undefined;
}

/**
 * Credentials probe: the connector contract has no cheap "check" call yet, so this pulls the
 * first page from the stored cursor and throws it away — nothing of it is stored. Every HTTP
 * call goes through the connection's pacer; wrapping it lets the probe read the Date header of
 * whatever response the client exposes (octokit, fetch and gaxios do; clients returning only
 * the body do not, and then there is no skew reading).
 */
export async function probeConnection(
  connection: RuntimeConnection,
  cursor: Json,
  timeoutMs: number,
): Promise<ProbeResult> {
  const controller = new AbortController();
  const base = connection.context(controller.signal);
  let skewSeconds: number | undefined;
  const noteDate = (headers: unknown, sentAt: number) => {
    const date = Date.parse(normaliseHeaders(headers).date ?? '');
    if (!Number.isNaN(date)) skewSeconds = (date - (sentAt + Date.now()) / 2) / 1000;
  };
  const http: HttpPacer = {
    run: (call) =>
      base.http.run(async () => {
        const sentAt = Date.now();
        try {
          const result = await call();
          noteDate(headersOf(result), sentAt);
          return result;
        } catch (error) {
          noteDate(describeHttpError(error)?.headers, sentAt);
          throw error;
        }
      }),
    get pending() {
      return base.http.pending;
    },
  };
  const iterator = connection.connector.pull({ ...base, http }, cursor)[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const first = await Promise.race([iterator.next(), timedOut]);
    if (first === 'timeout') return { ok: false, timedOut: true, skewSeconds };
    return { ok: true, skewSeconds };
  } catch (error) {
    return { ok: false, error, skewSeconds };
  } finally {
    clearTimeout(timer);
    controller.abort();
    // Not awaited: a generator still inside a slow call finishes on its own, its result unused.
    iterator.return?.(undefined).catch(() => {});
  }
}
