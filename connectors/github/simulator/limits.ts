/**
 * GitHub's primary rate limit (a counter per window, reported in x-ratelimit-* headers; 304s are
 * free) and the faults tests switch on at runtime. Windows use real time, because the client's
 * pacing compares x-ratelimit-reset with its own clock.
 */

export interface FaultSettings {
  /** Secondary rate limit: 403 with Retry-After, for the next `times` requests (default 1). */
  rateLimit?: { retryAfterSec: number; times?: number };
  /** Primary limit used up: 403 with x-ratelimit-remaining 0 until the reset, `resetInSec` ahead (default 1). */
  primaryExhausted?: true | { resetInSec?: number };
  /** The next n requests answer 502. */
  status5xx?: number;
}

export class RateLimit {
  remaining: number;
  resetAt: number;

  constructor(
    readonly limit: number,
    private readonly windowSec: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.remaining = limit;
    this.resetAt = this.nowSec() + windowSec;
  }

  private nowSec(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Starts a new window once the reset time has passed. */
  roll(): void {
    if (this.clock() >= this.resetAt * 1000) {
      this.remaining = this.limit;
      this.resetAt = this.nowSec() + this.windowSec;
    }
  }

  exhausted(): boolean {
    this.roll();
    return this.remaining <= 0;
  }

  consume(): void {
    this.remaining = Math.max(0, this.remaining - 1);
  }

  exhaust(resetInSec: number): void {
    this.remaining = 0;
    this.resetAt = Math.ceil((this.clock() + resetInSec * 1000) / 1000);
  }

  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(this.limit - this.remaining),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-resource': 'core',
    };
  }
}

export class Faults {
  private secondary: { retryAfterSec: number; left: number } | undefined;
  private serverErrors = 0;

  constructor(private readonly limits: RateLimit) {}

  set(settings: FaultSettings): void {
    if (settings.rateLimit) {
      this.secondary = {
        retryAfterSec: settings.rateLimit.retryAfterSec,
        left: settings.rateLimit.times ?? 1,
      };
    }
    if (settings.primaryExhausted) {
      const resetInSec = settings.primaryExhausted === true ? 1 : (settings.primaryExhausted.resetInSec ?? 1);
      this.limits.exhaust(resetInSec);
    }
    if (settings.status5xx !== undefined) this.serverErrors = settings.status5xx;
  }

  clear(): void {
    this.secondary = undefined;
    this.serverErrors = 0;
  }

  takeServerError(): boolean {
    if (this.serverErrors <= 0) return false;
    this.serverErrors -= 1;
    return true;
  }

  /** Seconds to wait, when the secondary limit applies to this request. */
  takeSecondary(): number | undefined {
    if (!this.secondary || this.secondary.left <= 0) return undefined;
    this.secondary.left -= 1;
    const wait = this.secondary.retryAfterSec;
    if (this.secondary.left === 0) this.secondary = undefined;
    return wait;
  }
}
