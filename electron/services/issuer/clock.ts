/**
 * The one clock the issuer reads: for issuing (iat, exp), for every expiry check (refresh idle and absolute
 * lifetimes, grace windows, access-token exp, deny-list pruning) and for rate limits. Injected everywhere,
 * so "advance 15 minutes" in the UI moves all of them together.
 */
import { WorkbenchError } from '../../../shared/core/errors';
export interface Clock {
  /** Milliseconds since the epoch, in the clock's own (possibly virtual) time. */
  now(): number;
}

/** What a VirtualClock persists: an offset from real time, or a frozen instant. */
export type ClockSnapshot = { offsetMs: number } | { frozenAt: number };

export class ClockError extends WorkbenchError<'invalid-clock-change'> {
  override readonly name = 'ClockError';
  constructor(message: string) {
    super('invalid-clock-change', message);
  }
}

/** Past this many seconds from the epoch a JS Date is invalid (±8.64e15 ms). */
const MAX_SECONDS = 8.64e12;

/**
 * Real time plus an offset (the default: time keeps flowing), or a frozen instant that moves only when
 * told to (tests, and users who want to step through a lifecycle without time passing on its own).
 */
export class VirtualClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;
  private readonly realNow: () => number;

  constructor(options: { snapshot?: ClockSnapshot; realNow?: () => number } = {}) {
    this.realNow = options.realNow ?? Date.now;
    if (options.snapshot) this.restore(options.snapshot);
  }

  now(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  /** Moves the clock by `seconds` (may be negative or fractional). Returns the new time in ms. */
  advance(seconds: number): number {
    if (!Number.isFinite(seconds)) throw new ClockError('advance must be a finite number of seconds');
    return this.setMs(this.now() + seconds * 1000);
  }

  /** Sets the clock to a NumericDate (seconds since the epoch). Returns the new time in ms. */
  set(numericDate: number): number {
    if (!Number.isFinite(numericDate) || numericDate < 0 || numericDate > MAX_SECONDS) {
      throw new ClockError('set must be a NumericDate: seconds since 1970, not negative');
    }
    return this.setMs(numericDate * 1000);
  }

  /** Back to real time: no offset, not frozen (the stepper's Reset). Returns the new time in ms. */
  reset(): number {
    this.frozenAt = null;
    this.offsetMs = 0;
    return this.now();
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  snapshot(): ClockSnapshot {
    return this.frozenAt === null ? { offsetMs: this.offsetMs } : { frozenAt: this.frozenAt };
  }

  restore(snapshot: ClockSnapshot): void {
    if ('frozenAt' in snapshot && Number.isFinite(snapshot.frozenAt)) {
      this.frozenAt = snapshot.frozenAt;
    } else if ('offsetMs' in snapshot && Number.isFinite(snapshot.offsetMs)) {
      this.frozenAt = null;
      this.offsetMs = snapshot.offsetMs;
    }
  }

  private setMs(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SECONDS * 1000) {
      throw new ClockError('the clock would leave the range of valid dates');
    }
    if (this.frozenAt !== null) this.frozenAt = ms;
    else this.offsetMs = ms - this.realNow();
    return ms;
  }
}

/** Whole seconds (a NumericDate) of a clock reading. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
