/**
 * Rate limiting by the generic cell rate algorithm: per key, `max` requests in any `windowSeconds`, a burst of
 * `max` and then one request every window/max. O(1) memory per key (one timestamp), on the issuer's clock, and
 * an exact Retry-After.
 */
import type { RateLimitRule } from './settings';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  /** key → theoretical arrival time (ms) of the next request. */
  private readonly tat = new Map<string, number>();

  /** Counts a request against every key; refused (without counting) if any key is over its limit. */
  take(keys: readonly string[], rule: RateLimitRule, now: number): RateDecision {
    if (rule.max <= 0) return { allowed: true };
    const windowMs = rule.windowSeconds * 1000;
    const interval = windowMs / rule.max;
    let waitMs = 0;
    for (const key of keys) {
      const next = Math.max(this.tat.get(key) ?? now, now) + interval;
      const allowedAt = next - windowMs;
      if (allowedAt > now) waitMs = Math.max(waitMs, allowedAt - now);
    }
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    for (const key of keys) this.tat.set(key, Math.max(this.tat.get(key) ?? now, now) + interval);
    return { allowed: true };
  }

  /** Forgets keys whose budget is full again. */
  sweep(now: number): void {
    for (const [key, tat] of this.tat) if (tat <= now) this.tat.delete(key);
  }

  clear(): void {
    this.tat.clear();
  }

  get size(): number {
    return this.tat.size;
  }
}
