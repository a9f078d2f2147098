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

  /**
   * Counts a request against every key, each under its own rule; refused (without counting) if any key is
   * over its limit. A rule with max 0 is off.
   */
  take(limits: ReadonlyArray<readonly [key: string, rule: RateLimitRule]>, now: number): RateDecision {
    let waitMs = 0;
    for (const [key, rule] of limits) {
      if (rule.max <= 0) continue;
      const windowMs = rule.windowSeconds * 1000;
      const next = Math.max(this.tat.get(key) ?? now, now) + windowMs / rule.max;
      const allowedAt = next - windowMs;
      if (allowedAt > now) waitMs = Math.max(waitMs, allowedAt - now);
    }
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    for (const [key, rule] of limits) {
      if (rule.max > 0) this.tat.set(key, Math.max(this.tat.get(key) ?? now, now) + (rule.windowSeconds * 1000) / rule.max);
    }
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
