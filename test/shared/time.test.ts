import { describe, expect, it } from 'vitest';
import {
  describeExpiry,
  describeIssuedAt,
  describeNotBefore,
  formatDuration,
  formatNumericDate,
  formatRelative,
  guessNumericDateUnit,
  isNumericDate,
  looksLikeMilliseconds,
} from '../../shared/core/time';

describe('NumericDate checks', () => {
  it('isNumericDate accepts finite numbers only', () => {
    expect(isNumericDate(1300819380)).toBe(true);
    expect(isNumericDate(1300819380.5)).toBe(true);
    expect(isNumericDate(-1)).toBe(true);
    expect(isNumericDate('1300819380')).toBe(false);
    expect(isNumericDate(Number.NaN)).toBe(false);
    expect(isNumericDate(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isNumericDate(null)).toBe(false);
  });

  it('tells seconds from milliseconds, microseconds and nanoseconds', () => {
    expect(guessNumericDateUnit(1_700_000_000)).toBe('seconds');
    expect(guessNumericDateUnit(99_999_999_999)).toBe('seconds'); // year 5138: still seconds
    expect(guessNumericDateUnit(1_700_000_000_000)).toBe('milliseconds');
    expect(guessNumericDateUnit(1_700_000_000_000_000)).toBe('microseconds');
    expect(guessNumericDateUnit(1.7e18)).toBe('nanoseconds');
    expect(looksLikeMilliseconds(1_700_000_000_000)).toBe(true);
    expect(looksLikeMilliseconds(1_700_000_000)).toBe(false);
    expect(looksLikeMilliseconds('1700000000000')).toBe(false);
  });
});

describe('formatting', () => {
  it('formats NumericDates as ISO 8601 UTC', () => {
    expect(formatNumericDate(1300819380)).toBe('2011-03-22T18:43:00Z');
    expect(formatNumericDate(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatNumericDate(1300819380.25)).toBe('2011-03-22T18:43:00.250Z');
    expect(formatNumericDate(-86400)).toBe('1969-12-31T00:00:00Z');
  });

  it('returns null outside what a Date can hold', () => {
    expect(formatNumericDate(1e13)).toBeNull();
    expect(formatNumericDate(Number.NaN)).toBeNull();
  });

  it.each([
    [0, '0 s'],
    [0.4, '0 s'],
    [45, '45 s'],
    [90, '1 min 30 s'],
    [720, '12 min'],
    [3 * 3600 + 300, '3 h 5 min'],
    [12 * 3600 + 59 * 60, '12 h'],
    [86400 * 2 + 3600 * 4, '2 d 4 h'],
    [86400 * 40, '40 d'],
    [-720, '12 min'],
    [Number.POSITIVE_INFINITY, 'forever'],
  ])('formatDuration(%d) = %j', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('says durations relative to now', () => {
    const now = 1_700_000_000;
    expect(formatRelative(now + 720, now)).toBe('in 12 min');
    expect(formatRelative(now - 3 * 3600, now)).toBe('3 h ago');
    expect(formatRelative(now, now)).toBe('now');
    expect(describeExpiry(now + 720, now)).toBe('expires in 12 min');
    expect(describeExpiry(now - 3 * 3600, now)).toBe('expired 3 h ago');
    expect(describeExpiry(now, now)).toBe('expires now');
    expect(describeNotBefore(now + 300, now)).toBe('not valid for another 5 min');
    expect(describeNotBefore(now - 60, now)).toBe('valid since 1 min ago');
    expect(describeIssuedAt(now - 7200, now)).toBe('issued 2 h ago');
    expect(describeIssuedAt(now + 60, now)).toBe('issued 1 min in the future');
  });
});
