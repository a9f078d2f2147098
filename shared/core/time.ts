/**
 * NumericDate helpers (RFC 7519 §2: seconds since 1970-01-01T00:00:00Z, may be non-integer).
 * Pure functions: every "now" is passed in, so lint rules, the CLI and the UI agree under a virtual clock.
 */

/** Date claims RFC 7519 / OpenID Connect define as NumericDate. */
export const NUMERIC_DATE_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time', 'updated_at'] as const;

/** Largest |seconds| a JS Date can represent (±8.64e15 ms, ECMA-262 §21.4.1.1). */
const MAX_DATE_SECONDS = 8.64e12;
/** A seconds value at or above this is past the year 5138: almost certainly not seconds. */
const MILLISECONDS_THRESHOLD = 1e11;

/** The current time as a NumericDate (whole seconds). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A JSON number that can stand for a NumericDate: finite (JSON cannot carry NaN/Infinity, but callers may). */
export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export type NumericDateUnit = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

/**
 * The unit a number most plausibly is in, reading it as a time after 1970 and before the year 5138:
 * a common bug is `Date.now()` (milliseconds) where seconds belong.
 */
export function guessNumericDateUnit(value: number): NumericDateUnit {
  const abs = Math.abs(value);
  if (abs < MILLISECONDS_THRESHOLD) return 'seconds';
  if (abs < MILLISECONDS_THRESHOLD * 1e3) return 'milliseconds';
  if (abs < MILLISECONDS_THRESHOLD * 1e6) return 'microseconds';
  return 'nanoseconds';
}

/** True when a NumericDate is far too large for seconds but a plausible date in milliseconds. */
export function looksLikeMilliseconds(value: unknown): boolean {
  return isNumericDate(value) && guessNumericDateUnit(value) === 'milliseconds';
}

/**
 * ISO 8601 UTC text of a NumericDate, e.g. `2011-03-22T18:43:00Z` (milliseconds shown only when the
 * value has a fraction). Null when the value is outside what a Date can represent.
 */
export function formatNumericDate(value: number): string | null {
  if (!isNumericDate(value) || Math.abs(value) > MAX_DATE_SECONDS) return null;
  const iso = new Date(value * 1000).toISOString();
  return Number.isInteger(value) ? iso.replace('.000Z', 'Z') : iso;
}

const UNITS: ReadonlyArray<readonly [seconds: number, label: string]> = [
  [365.25 * 86400, 'y'],
  [86400, 'd'],
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/**
 * A duration in words: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`, `3 y 12 d`. The second unit appears
 * only while the first is a single digit, where it still changes the picture.
 */
export function formatDuration(seconds: number): string {
  let rest = Math.floor(Math.abs(seconds));
  if (!Number.isFinite(rest)) return 'forever';
  if (rest < 1) return '0 s';
  for (let i = 0; i < UNITS.length; i++) {
    const [size, label] = UNITS[i]!;
    if (rest < size) continue;
    const whole = Math.floor(rest / size);
    rest -= whole * size;
    const next = UNITS[i + 1];
    if (whole < 10 && next) {
      const sub = Math.floor(rest / next[0]);
      if (sub > 0) return `${whole} ${label} ${sub} ${next[1]}`;
    }
    return `${whole} ${label}`;
  }
  return '0 s';
}

/** `in 12 min` or `3 h ago`, relative to `now` (both NumericDates). */
export function formatRelative(target: number, now: number): string {
  const delta = target - now;
  if (Math.abs(delta) < 1) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** `expires in 12 min` / `expired 3 h ago` / `expires now`. */
export function describeExpiry(exp: number, now: number): string {
  const delta = exp - now;
  if (Math.abs(delta) < 1) return 'expires now';
  return delta > 0 ? `expires in ${formatDuration(delta)}` : `expired ${formatDuration(delta)} ago`;
}

/** `valid in 5 min` (nbf in the future) / `valid since 2 d ago`. */
export function describeNotBefore(nbf: number, now: number): string {
  const delta = nbf - now;
  if (Math.abs(delta) < 1) return 'valid from now';
  return delta > 0 ? `not valid for another ${formatDuration(delta)}` : `valid since ${formatDuration(delta)} ago`;
}

/** `issued 3 h ago` / `issued 5 min in the future`. */
export function describeIssuedAt(iat: number, now: number): string {
  const delta = iat - now;
  if (Math.abs(delta) < 1) return 'issued now';
  return delta > 0 ? `issued ${formatDuration(delta)} in the future` : `issued ${formatDuration(delta)} ago`;
}
