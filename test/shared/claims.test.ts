import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { date, duration, quote, validateClaims } from '../../shared/core/claims';

const NOW = 1_700_000_000; // 2023-11-14T22:13:20Z

const one = (payload: unknown, options = {}) => {
  const checks = validateClaims(payload, { now: NOW, ...options });
  expect(checks).toHaveLength(1);
  return checks[0]!;
};

describe('exp', () => {
  it('passes before exp and fails at and after it (RFC 7519 §4.1.4)', () => {
    expect(one({ exp: NOW + 90 })).toEqual({ claim: 'exp', ok: true, checked: true, message: 'expires 2023-11-14T22:14:50Z (in 1 min 30 s)' });
    expect(one({ exp: NOW })).toEqual({ claim: 'exp', ok: false, checked: true, message: 'expired 2023-11-14T22:13:20Z (0 s ago)' });
    expect(one({ exp: NOW - 7200 })).toMatchObject({ ok: false, message: 'expired 2023-11-14T20:13:20Z (2 h ago)' });
  });

  it('the leeway extends it, and the message says so', () => {
    expect(one({ exp: NOW - 30 }, { leeway: 60 })).toEqual({ claim: 'exp', ok: true, checked: true, message: 'expires 2023-11-14T22:12:50Z (30 s ago, within the 60 s leeway)' });
    expect(one({ exp: NOW - 60 }, { leeway: 60 }).ok).toBe(false);
    expect(one({ exp: NOW - 61 }, { leeway: 60 }).message).toBe('expired 2023-11-14T22:12:19Z (1 min 1 s ago, beyond the 60 s leeway)');
  });

  it('must be a number', () => {
    expect(one({ exp: '1700000000' })).toEqual({ claim: 'exp', ok: false, checked: true, message: 'exp is a string, not a NumericDate (seconds since 1970)' });
    expect(one({ exp: null }).message).toBe('exp is null, not a NumericDate (seconds since 1970)');
    expect(one({ exp: [1] }).ok).toBe(false);
  });

  it('hints at milliseconds', () => {
    expect(one({ exp: NOW * 1000 }).message).toMatch(/looks like milliseconds/);
  });
});

describe('nbf and iat', () => {
  it('nbf: the current time must be at or after it (RFC 7519 §4.1.5)', () => {
    expect(one({ nbf: NOW })).toMatchObject({ claim: 'nbf', ok: true });
    expect(one({ nbf: NOW + 1 })).toEqual({ claim: 'nbf', ok: false, checked: true, message: 'not valid before 2023-11-14T22:13:21Z (in 1 s)' });
    expect(one({ nbf: NOW + 30 }, { leeway: 30 })).toMatchObject({ ok: true, message: 'valid since 2023-11-14T22:13:50Z (in 30 s, within the 30 s leeway)' });
    expect(one({ nbf: NOW + 31 }, { leeway: 30 }).ok).toBe(false);
  });

  it('iat: not in the future', () => {
    expect(one({ iat: NOW - 86_400 * 3 - 3600 })).toEqual({ claim: 'iat', ok: true, checked: true, message: 'issued 2023-11-11T21:13:20Z (3 d 1 h ago)' });
    expect(one({ iat: NOW + 10 })).toEqual({ claim: 'iat', ok: false, checked: true, message: 'issued in the future: 2023-11-14T22:13:30Z (in 10 s)' });
    expect(one({ iat: NOW + 10 }, { leeway: 10 }).ok).toBe(true);
    expect(one({ iat: true }).ok).toBe(false);
  });
});

describe('aud and iss', () => {
  it('aud: a string or an array, any match passes', () => {
    expect(one({ aud: 'api' }, { audience: 'api' })).toEqual({ claim: 'aud', ok: true, checked: true, message: 'audience "api" is expected' });
    expect(one({ aud: ['web', 'api'] }, { audience: ['x', 'api'] })).toMatchObject({ ok: true, message: 'audience "api" is expected' });
    expect(one({ aud: ['web'] }, { audience: 'api' })).toEqual({ claim: 'aud', ok: false, checked: true, message: 'audience ["web"] does not include "api"' });
    expect(one({}, { audience: ['a', 'b'] })).toEqual({ claim: 'aud', ok: false, checked: true, message: 'no aud claim; expected any of "a", "b"' });
    expect(one({ aud: 5 }, { audience: 'api' })).toEqual({ claim: 'aud', ok: false, checked: true, message: 'aud must be a string or an array of strings' });
  });

  it('aud present but not expected is reported, not judged', () => {
    expect(one({ aud: 'api' })).toEqual({ claim: 'aud', ok: true, checked: false, message: 'audience "api" (not checked: no expected audience given)' });
    expect(one({ aud: [1] }).ok).toBe(false);
  });

  it('iss: exact string match', () => {
    expect(one({ iss: 'https://a' }, { issuer: 'https://a' }).ok).toBe(true);
    expect(one({ iss: 'https://a/' }, { issuer: 'https://a' })).toEqual({ claim: 'iss', ok: false, checked: true, message: 'issuer "https://a/" is not "https://a"' });
    expect(one({}, { issuer: 'https://a' })).toMatchObject({ ok: false, message: 'no iss claim; expected "https://a"' });
    expect(one({ iss: 7 }).message).toBe('iss must be a string');
    expect(one({ iss: 'me' }).message).toBe('issuer "me" (not checked: no expected issuer given)');
  });
});

describe('validateClaims', () => {
  it('reports every claim present, in a stable order', () => {
    const checks = validateClaims({ iss: 'i', aud: 'a', iat: NOW, nbf: NOW, exp: NOW + 1, sub: 'x' }, { now: NOW });
    expect(checks.map((c) => c.claim)).toEqual(['exp', 'nbf', 'iat', 'aud', 'iss']);
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('marks aud / iss without an expected value as not checked (ok stays true), everything else as checked', () => {
    const checks = validateClaims({ iss: 'i', aud: 'a', exp: NOW - 5 }, { now: NOW });
    expect(checks.map((c) => [c.claim, c.ok, c.checked])).toEqual([
      ['exp', false, true],
      ['aud', true, false],
      ['iss', true, false],
    ]);
    const judged = validateClaims({ iss: 'i', aud: 'a' }, { now: NOW, audience: 'a', issuer: 'x' });
    expect(judged.map((c) => [c.claim, c.ok, c.checked])).toEqual([
      ['aud', true, true],
      ['iss', false, true],
    ]);
  });

  it('requiredClaims: each missing one is a failed, checked claim check; present ones add nothing', () => {
    const checks = validateClaims({ sub: 'u', scope: '' }, { now: NOW, requiredClaims: ['sub', 'scope', 'tenant', 'exp'] });
    expect(checks).toEqual([
      { claim: 'tenant', ok: false, checked: true, message: 'required claim "tenant" is missing' },
      { claim: 'exp', ok: false, checked: true, message: 'required claim "exp" is missing' },
    ]);
    expect(validateClaims({ sub: 'u' }, { now: NOW, requiredClaims: ['sub'] })).toEqual([]);
  });

  it('nothing to check for a payload that is not a JSON object', () => {
    for (const payload of [null, 'text', 42, [{ exp: 1 }], undefined]) expect(validateClaims(payload, { now: NOW })).toEqual([]);
  });

  it('uses the real clock by default and ignores nonsense leeway', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(validateClaims({ exp: now + 120 })[0]!.ok).toBe(true);
    expect(validateClaims({ exp: now - 120 })[0]!.ok).toBe(false);
    expect(validateClaims({ exp: NOW - 1 }, { now: NOW, leeway: Number.NaN })[0]!.ok).toBe(false);
    expect(validateClaims({ exp: NOW - 1 }, { now: NOW, leeway: -100 })[0]!.ok).toBe(false);
  });

  it('duration names the two largest units', () => {
    expect([duration(0), duration(59), duration(61), duration(3600), duration(3661), duration(90_061)]).toEqual(['0 s', '59 s', '1 min 1 s', '1 h', '1 h 1 min', '1 d 1 h']);
  });
});

describe('date', () => {
  it('formats NumericDates exactly as Date#toISOString does, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000, max: 253_402_300_799 }), (seconds) => {
        expect(date(seconds)).toBe(new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
      }),
      { numRuns: 2000 },
    );
    for (const s of [0, 951_782_400 /* 2000-02-29 */, 4_107_542_399, -1]) {
      expect(date(s)).toBe(new Date(s * 1000).toISOString().replace('.000Z', 'Z'));
    }
    expect(date(1.5)).toBe('1970-01-01T00:00:01.5Z');
    expect(date(1e16)).toBe('10000000000000000');
  });
});


describe('date, consecutive calls', () => {
  it('stays exact when consecutive dates share a day or cross midnight (it remembers the last day)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000, max: 253_402_300_000 }), fc.array(fc.integer({ min: -90_000, max: 90_000 }), { maxLength: 8 }), (base, steps) => {
        for (const s of [base, ...steps.map((d) => base + d), base]) {
          expect(date(s)).toBe(new Date(s * 1000).toISOString().replace('.000Z', 'Z'));
        }
      }),
      { numRuns: 500 },
    );
    expect([date(86_399), date(86_400), date(86_399)]).toEqual(['1970-01-01T23:59:59Z', '1970-01-02T00:00:00Z', '1970-01-01T23:59:59Z']);
  });
});

describe('quote', () => {
  it('is JSON.stringify of a string, character for character', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '\ud83d\ude00') })), (text) => {
        expect(quote(text)).toBe(JSON.stringify(text));
      }),
      { numRuns: 1000 },
    );
    expect(quote('\ud800')).toBe('"\\ud800"');
  });
});
