/**
 * Registered-claim validation (RFC 7519 §4.1): exp, nbf and iat against a clock with a tolerance, aud and
 * iss against what the caller expects. Every claim present (or expected) is reported, passed or not, with
 * a sentence a person can act on; the signature is not this module's business.
 */
import type { ClaimCheck, VerifyOptions } from './verify-types';


/** A NumericDate this large is almost certainly milliseconds (it would be the year 5138 in seconds). */
const MILLISECONDS_THRESHOLD = 1e11;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Checks of the registered claims of a JWT Claims Set; empty when the payload is not a JSON object. */
export function validateClaims(payload: unknown, options: VerifyOptions = {}): ClaimCheck[] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return [];
  const claims = payload as Record<string, unknown>;
  const now = typeof options.now === 'number' && Number.isFinite(options.now) ? options.now : nowSeconds();
  const leeway = typeof options.leeway === 'number' && Number.isFinite(options.leeway) && options.leeway > 0 ? options.leeway : 0;
  const checks: ClaimCheck[] = [];

  if (claims.exp !== undefined) checks.push(checkExp(claims.exp, now, leeway));
  if (claims.nbf !== undefined) checks.push(checkNbf(claims.nbf, now, leeway));
  if (claims.iat !== undefined) checks.push(checkIat(claims.iat, now, leeway));
  const aud = checkAudience(claims.aud, options.audience);
  if (aud) checks.push(aud);
  const iss = checkIssuer(claims.iss, options.issuer);
  if (iss) checks.push(iss);
  for (const name of options.requiredClaims ?? []) {
    if (!Object.hasOwn(claims, name)) checks.push({ claim: name, ok: false, checked: true, message: `required claim ${quote(name)} is missing` });
  }
  return checks;
}

function notNumericDate(claim: string, value: unknown): ClaimCheck {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return { claim, ok: false, checked: true, message: `${claim} is ${kind}, not a NumericDate (seconds since 1970)` };
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function checkExp(exp: unknown, now: number, leeway: number): ClaimCheck {
  if (!isNumericDate(exp)) return notNumericDate('exp', exp);
  // RFC 7519 §4.1.4: the current time MUST be before exp; the leeway extends it.
  if (exp > now - leeway) {
    const grace = exp <= now ? ` (${duration(now - exp)} ago, within the ${leeway} s leeway)` : ` (in ${duration(exp - now)})`;
    return { claim: 'exp', ok: true, checked: true, message: `expires ${date(exp)}${grace}${millisecondsHint(exp)}` };
  }
  return {
    claim: 'exp',
    ok: false,
    checked: true,
    message: `expired ${date(exp)} (${duration(now - exp)} ago${leeway ? `, beyond the ${leeway} s leeway` : ''})`,
  };
}

function checkNbf(nbf: unknown, now: number, leeway: number): ClaimCheck {
  if (!isNumericDate(nbf)) return notNumericDate('nbf', nbf);
  // RFC 7519 §4.1.5: the current time MUST be after or equal to nbf.
  if (nbf <= now + leeway) {
    const grace = nbf > now ? ` (in ${duration(nbf - now)}, within the ${leeway} s leeway)` : '';
    return { claim: 'nbf', ok: true, checked: true, message: `valid since ${date(nbf)}${grace}` };
  }
  return {
    claim: 'nbf',
    ok: false,
    checked: true,
    message: `not valid before ${date(nbf)} (in ${duration(nbf - now)}${leeway ? `, beyond the ${leeway} s leeway` : ''})${millisecondsHint(nbf)}`,
  };
}

function checkIat(iat: unknown, now: number, leeway: number): ClaimCheck {
  if (!isNumericDate(iat)) return notNumericDate('iat', iat);
  if (iat <= now + leeway) {
    const when = iat > now ? `in ${duration(iat - now)}, within the ${leeway} s leeway` : `${duration(now - iat)} ago`;
    return { claim: 'iat', ok: true, checked: true, message: `issued ${date(iat)} (${when})` };
  }
  return { claim: 'iat', ok: false, checked: true, message: `issued in the future: ${date(iat)} (in ${duration(iat - now)})${millisecondsHint(iat)}` };
}

function expectedList(expected: string | string[] | undefined): string[] | null {
  if (expected === undefined) return null;
  const list = typeof expected === 'string' ? [expected] : expected;
  return list.length ? list : null;
}

function checkAudience(aud: unknown, expectedOption: string | string[] | undefined): ClaimCheck | null {
  const expected = expectedList(expectedOption);
  if (aud === undefined) {
    return expected ? { claim: 'aud', ok: false, checked: true, message: `no aud claim; expected ${oneOf(expected)}` } : null;
  }
  // RFC 7519 §4.1.3: a StringOrURI or an array of them.
  const single = typeof aud === 'string';
  if (!single && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    return { claim: 'aud', ok: false, checked: true, message: 'aud must be a string or an array of strings' };
  }
  const shown = single ? quote(aud) : JSON.stringify(aud);
  if (!expected) return { claim: 'aud', ok: true, checked: false, message: `audience ${shown} (not checked: no expected audience given)` };
  const match = single ? (expected.includes(aud) ? aud : undefined) : (aud as string[]).find((v) => expected.includes(v));
  if (match !== undefined) return { claim: 'aud', ok: true, checked: true, message: `audience ${quote(match)} is expected` };
  return { claim: 'aud', ok: false, checked: true, message: `audience ${shown} does not include ${oneOf(expected)}` };
}

function checkIssuer(iss: unknown, expectedOption: string | string[] | undefined): ClaimCheck | null {
  const expected = expectedList(expectedOption);
  if (iss === undefined) {
    return expected ? { claim: 'iss', ok: false, checked: true, message: `no iss claim; expected ${oneOf(expected)}` } : null;
  }
  if (typeof iss !== 'string') return { claim: 'iss', ok: false, checked: true, message: 'iss must be a string' };
  if (!expected) return { claim: 'iss', ok: true, checked: false, message: `issuer ${quote(iss)} (not checked: no expected issuer given)` };
  // RFC 7519 §4.1.1 / RFC 7515 §5.3: compared as exact strings, no normalization.
  if (expected.includes(iss)) return { claim: 'iss', ok: true, checked: true, message: `issuer ${quote(iss)} is expected` };
  return { claim: 'iss', ok: false, checked: true, message: `issuer ${quote(iss)} is not ${oneOf(expected)}` };
}

function oneOf(values: string[]): string {
  return values.length === 1 ? quote(values[0]!) : `any of ${values.map(quote).join(', ')}`;
}

/** Characters JSON.stringify would escape: '"', '\\', controls, and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify of a string, exactly: the common case (nothing to escape) is a plain concatenation, several
 * times cheaper; every verification quotes aud and iss.
 */
export function quote(text: string): string {
  return typeof text !== 'string' || NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function millisecondsHint(value: number): string {
  return value > MILLISECONDS_THRESHOLD ? ' — the value looks like milliseconds; NumericDate is in seconds' : '';
}

/**
 * ISO 8601 UTC of a NumericDate, to the second (fractions kept as given). Integer arithmetic rather than
 * Date#toISOString: this runs for every time claim of every verification, and a Date per claim showed in
 * profiles of the verify hot path.
 */
export function date(seconds: number): string {
  const whole = Math.floor(seconds);
  // Beyond what a Date can represent (±8.64e12 s), show the number itself.
  if (!(Math.abs(whole) <= 8.64e12)) return String(seconds);
  const days = Math.floor(whole / 86_400);
  const secondOfDay = whole - days * 86_400;
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor((secondOfDay % 3600) / 60);
  const ss = secondOfDay % 60;
  const fraction = seconds === whole ? '' : String(seconds - whole).slice(1, 5);
  return `${dayPrefix(days)}${two(hh)}:${two(mm)}:${two(ss)}${fraction}Z`;
}

// The claims of one token, and of consecutive tokens, mostly fall on the same day: remember the last one.
let lastDays = Number.NaN;
let lastDayPrefix = '';

/** "YYYY-MM-DDT" of a day number (days since 1970-01-01). */
function dayPrefix(days: number): string {
  if (days === lastDays) return lastDayPrefix;
  // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms").
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
  lastDayPrefix = `${y}-${two(month)}-${two(day)}T`;
  lastDays = days;
  return lastDayPrefix;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function two(n: number): string {
  return TWO_DIGITS[n] as string;
}

/** "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h": the largest unit and the next one. */
export function duration(totalSeconds: number): string {
  const s = Math.round(Math.abs(totalSeconds));
  let first = 0;
  while (first < UNIT_SIZES.length && s < UNIT_SIZES[first]!) first++;
  if (first === UNIT_SIZES.length) return '0 s';
  const size = UNIT_SIZES[first]!;
  const text = `${Math.floor(s / size)} ${UNIT_NAMES[first]!}`;
  if (first === UNIT_SIZES.length - 1) return text;
  const rest = Math.floor((s % size) / UNIT_SIZES[first + 1]!);
  return rest ? `${text} ${rest} ${UNIT_NAMES[first + 1]!}` : text;
}

const UNIT_SIZES: readonly number[] = [86_400, 3_600, 60, 1];
const UNIT_NAMES: readonly string[] = ['d', 'h', 'min', 's'];
