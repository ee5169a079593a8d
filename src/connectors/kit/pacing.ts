import PQueue from 'p-queue';

/** What the retry policy needs to know about a failed HTTP call, whatever client made it. */
export interface HttpFailure {
  status?: number;
  headers?: Record<string, string | undefined>;
  /** Network-level code: ECONNRESET, ETIMEDOUT, UND_ERR_SOCKET … */
  code?: string;
  message?: string;
}

/** A call failed in a way retrying will not fix soon; `code` says which (shown in connection health). */
export class ConnectorHttpError extends Error {
  constructor(
    readonly code: 'auth_failed' | 'forbidden' | 'not_found' | 'rate_limited' | 'unavailable' | 'bad_request',
    message: string,
    readonly status?: number,
    /** For rate_limited: when the tool will take calls again. */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = 'ConnectorHttpError';
  }
}

export interface PacerOptions {
  concurrency?: number;
  intervalCap?: number;
  intervalMs?: number;
  maxAttempts?: number;
  /** Longest wait done inline; beyond it the call fails with rate_limited and the job is rescheduled. */
  maxInlineWaitMs?: number;
  /**
   * One attempt taking longer than this is given up and retried like a broken connection: a tool
   * that stalls must not hold a connection's poll for the HTTP client's own 5-minute limits.
   */
  timeoutMs?: number;
  baseDelayMs?: number;
  describeError?: (error: unknown) => HttpFailure | undefined;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onRateLimit?: (headers: Record<string, string | undefined>) => void;
}

export interface HttpPacer {
  /** `signal` aborts when the attempt times out: pass it to the HTTP client where it takes one. */
  run<T>(call: (attempt?: { signal?: AbortSignal }) => Promise<T>): Promise<T>;
  /** Calls waiting or running; used by tests and metrics. */
  readonly pending: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads status, headers and network codes from octokit, gaxios, Graph and fetch-style errors. */
export function describeHttpError(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Record<string, any>;
  const response = e.response ?? e.cause?.response;
  const status: number | undefined = e.status ?? e.statusCode ?? response?.status ?? response?.statusCode;
  const rawHeaders = response?.headers ?? e.headers;
  return {
    // The Graph client reports a lost connection as status -1: that is no HTTP answer at all.
    status: typeof status === 'number' && status > 0 ? status : undefined,
    headers: normaliseHeaders(rawHeaders),
    code: e.code ?? e.cause?.code,
    message: e.message,
  };
}

export function normaliseHeaders(raw: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!raw) return out;
  if (typeof (raw as Headers).forEach === 'function' && typeof (raw as Headers).get === 'function') {
    (raw as Headers).forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
    return out;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    out[key.toLowerCase()] = Array.isArray(value)
      ? String(value[0])
      : value == null
        ? undefined
        : String(value);
  }
  return out;
}

const RETRYABLE_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export type RetryVerdict =
  | { retry: true; afterMs: number; rateLimited: boolean }
  | { retry: false; error: Error };

/**
 * The one retry policy every connector shares: Retry-After first, then rate-limit reset headers,
 * then exponential backoff with jitter for 5xx, timeouts and broken connections. 401 and other
 * 4xx are final.
 */
export function retryVerdict(
  failure: HttpFailure,
  attempt: number,
  nowMs: number,
  baseDelayMs = 250,
): RetryVerdict {
  const { status, headers = {} } = failure;
  const retryAfter = parseRetryAfter(headers['retry-after'], nowMs);
  const remaining = headers['x-ratelimit-remaining'];
  const reset = headers['x-ratelimit-reset'];
  const backoff = Math.min(30_000, baseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);

  if (
    status === 429 ||
    ((status === 403 || status === 503) && (retryAfter !== undefined || remaining === '0'))
  ) {
    if (retryAfter !== undefined) return { retry: true, afterMs: retryAfter, rateLimited: true };
    if (remaining === '0' && reset) {
      return { retry: true, afterMs: Math.max(0, resetAtMs(reset) - nowMs) + 250, rateLimited: true };
    }
    return { retry: true, afterMs: Math.max(backoff, 1000), rateLimited: true };
  }
  if (status === 401) {
    return {
      retry: false,
      error: new ConnectorHttpError('auth_failed', describe(failure, 'credentials were refused'), 401),
    };
  }
  if (status === 403) {
    return {
      retry: false,
      error: new ConnectorHttpError('forbidden', describe(failure, 'access denied'), 403),
    };
  }
  if (status === 404 || status === 410) {
    return {
      retry: false,
      error: new ConnectorHttpError('not_found', describe(failure, 'not found'), status),
    };
  }
  if (status !== undefined && status >= 500) {
    if (retryAfter !== undefined) return { retry: true, afterMs: retryAfter, rateLimited: false };
    return { retry: true, afterMs: backoff, rateLimited: false };
  }
  if (
    status === undefined &&
    (failure.code === undefined || RETRYABLE_NETWORK.has(failure.code) || isTruncation(failure))
  ) {
    return { retry: true, afterMs: backoff, rateLimited: false };
  }
  return {
    retry: false,
    error: new ConnectorHttpError('bad_request', describe(failure, 'request refused'), status),
  };
}

/** An aborted call is final: some clients (octokit) report it as a 500, which must not be retried. */
function isAbort(error: unknown): boolean {
  for (
    let e = error as { name?: string; code?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return true;
    e = e.cause as typeof e;
  }
  return false;
}

function isTruncation(failure: HttpFailure): boolean {
  return /JSON|Unexpected end|terminated|aborted|socket hang up/i.test(failure.message ?? '');
}

function describe(failure: HttpFailure, fallback: string): string {
  return `${failure.status ?? failure.code ?? 'error'}: ${failure.message || fallback}`;
}

/** Rate-limit reset as epoch seconds (GitHub) or an ISO date (Jira). */
function resetAtMs(reset: string): number {
  const seconds = Number(reset);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(reset);
  return Number.isNaN(date) ? 0 : date;
}

export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function createHttpPacer(options: PacerOptions = {}): HttpPacer {
  const queue = new PQueue({
    concurrency: options.concurrency ?? 4,
    intervalCap: options.intervalCap ?? Number.POSITIVE_INFINITY,
    interval: options.intervalMs ?? 0,
  });
  const maxAttempts = options.maxAttempts ?? 6;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 90_000;
  const timeout = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const describeError = options.describeError ?? describeHttpError;

  async function attemptLoop<T>(call: (attempt?: { signal?: AbortSignal }) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        // p-queue frees the slot and rejects with a TimeoutError (retried below) when the attempt overruns.
        return (await queue.add(({ signal }) => call({ signal }), { timeout })) as T;
      } catch (error) {
        if (error instanceof ConnectorHttpError || isAbort(error)) throw error;
        const failure = describeError(error);
        if (!failure) throw error;
        if (failure.headers) options.onRateLimit?.(failure.headers);
        // 304 is an answer, not a failure: the caller handles it.
        if (failure.status === 304) throw error;
        const verdict = retryVerdict(failure, attempt, now(), options.baseDelayMs);
        if (!verdict.retry) throw verdict.error;
        if (attempt + 1 >= maxAttempts) {
          throw new ConnectorHttpError(
            verdict.rateLimited ? 'rate_limited' : 'unavailable',
            `gave up after ${maxAttempts} attempts: ${describe(failure, 'unavailable')}`,
            failure.status,
            new Date(now() + verdict.afterMs),
          );
        }
        if (verdict.afterMs > maxInlineWaitMs) {
          throw new ConnectorHttpError(
            'rate_limited',
            `rate limited until ${new Date(now() + verdict.afterMs).toISOString()}`,
            failure.status,
            new Date(now() + verdict.afterMs),
          );
        }
        await sleep(verdict.afterMs);
      }
    }
  }

  return {
    run: attemptLoop,
    get pending() {
      return queue.size + queue.pending;
    },
  };
}
