import type { ConnectorContext } from '../../src/connectors/kit/index.js';
import { normaliseHeaders } from '../../src/connectors/kit/index.js';

/** Drive answers 403 (not 429) when a quota is exceeded; these reasons mean "slow down, then retry". */
export const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);

/**
 * A 403 rate-limit answer restated as the 429 the kit pacer retries. The pacer retries 403 only
 * with Retry-After or x-ratelimit-remaining: 0, and Drive sends neither.
 */
export class DriveRateLimited extends Error {
  readonly status = 429;
  constructor(
    message: string,
    readonly headers: Record<string, string | undefined>,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'DriveRateLimited';
  }
}

/** The `errors[].reason` values of a Google API error body (`{ error: { code, message, errors } }`). */
export function googleErrorReasons(error: unknown): string[] {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const body = typeof data === 'string' ? safeParse(data) : data;
  const errors = (body as { error?: { errors?: { reason?: unknown }[] } } | undefined)?.error?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => e?.reason).filter((r): r is string => typeof r === 'string');
}

export function httpStatusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; response?: { status?: unknown } } | null;
  const status = e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function asPacerError(error: unknown): never {
  if (httpStatusOf(error) === 403) {
    const reason = googleErrorReasons(error).find((r) => RATE_LIMIT_REASONS.has(r));
    if (reason) {
      const headers = normaliseHeaders((error as { response?: { headers?: unknown } }).response?.headers);
      throw new DriveRateLimited(`Drive rate limit (${reason})`, headers, reason);
    }
  }
  throw error;
}

/**
 * Every Drive request goes through here: paced and retried by the kit (ctx.http.run), with
 * Drive's 403 rate-limit answers turned into something the pacer retries. Returns the body.
 */
export function driveCall<T>(
  ctx: ConnectorContext<unknown>,
  request: () => Promise<{ data: T }>,
): Promise<T> {
  return ctx.http.run(() => request().then((res) => res.data, asPacerError));
}
