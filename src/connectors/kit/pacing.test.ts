import { describe, expect, it } from 'vitest';
import { type ConnectorHttpError, createHttpPacer, parseRetryAfter, retryVerdict } from './pacing.js';

const now = Date.parse('2026-11-26T10:00:00Z');

describe('the shared retry policy', () => {
  it.each([
    ['429 with Retry-After in seconds', { status: 429, headers: { 'retry-after': '7' } }, 7000],
    ['403 secondary limit with Retry-After', { status: 403, headers: { 'retry-after': '2' } }, 2000],
    [
      'primary limit exhausted, reset in epoch seconds',
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 60) },
      },
      60_250,
    ],
    [
      'limit exhausted, reset as an ISO date',
      { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-11-26T10:00:30Z' } },
      30_250,
    ],
    ['503 with Retry-After', { status: 503, headers: { 'retry-after': '1' } }, 1000],
  ])('waits as the tool asks: %s', (_name, failure, wait) => {
    expect(retryVerdict(failure, 0, now)).toEqual({ retry: true, afterMs: wait, rateLimited: true });
  });

  it.each([
    [401, 'auth_failed'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [422, 'bad_request'],
  ])('does not retry a %i', (status, code) => {
    const verdict = retryVerdict({ status }, 0, now);
    expect(verdict.retry).toBe(false);
    if (!verdict.retry) expect((verdict.error as ConnectorHttpError).code).toBe(code);
  });

  it('retries 5xx and broken connections with growing backoff', () => {
    const first = retryVerdict({ status: 502 }, 0, now, 100);
    const third = retryVerdict({ code: 'ECONNRESET' }, 2, now, 100);
    expect(first.retry && third.retry).toBe(true);
    if (first.retry && third.retry) expect(third.afterMs).toBeGreaterThan(first.afterMs);
  });

  it('reads Retry-After as an HTTP date too', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now)).toBe(5000);
  });

  it('gives up with a typed error after the attempts run out, without real waiting', async () => {
    const waits: number[] = [];
    const pacer = createHttpPacer({
      maxAttempts: 3,
      sleep: async (ms) => void waits.push(ms),
      baseDelayMs: 1,
    });
    const failing = () => Promise.reject(Object.assign(new Error('boom'), { status: 500 }));
    await expect(pacer.run(failing)).rejects.toMatchObject({ code: 'unavailable' });
    expect(waits).toHaveLength(2);
  });

  it('fails fast with rate_limited when the wait is longer than it may wait inline', async () => {
    const pacer = createHttpPacer({ maxInlineWaitMs: 1000, sleep: async () => {} });
    const limited = () =>
      Promise.reject(
        Object.assign(new Error('slow down'), {
          status: 429,
          response: { headers: { 'retry-after': '3600' } },
        }),
      );
    await expect(pacer.run(limited)).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('does not retry an aborted call', async () => {
    let calls = 0;
    const pacer = createHttpPacer({ sleep: async () => {} });
    const aborted = () => {
      calls++;
      return Promise.reject(
        Object.assign(new Error('aborted'), { status: 500, cause: { name: 'AbortError' } }),
      );
    };
    await expect(pacer.run(aborted)).rejects.toThrow('aborted');
    expect(calls).toBe(1);
  });
});
