// The overall verdict as a pure function, over every case the Verification panel can be in.
import { describe, expect, it } from 'vitest';
import { validateClaims } from '../../shared/core/claims';
import { decodeToken } from '../../shared/core/decode';
import { encodeBase64urlText } from '../../shared/core/base64url';
import type { DecodedToken } from '../../shared/core/token';
import type { ClaimCheck, VerifyResult } from '../../shared/core/verify-types';
import type { Verification } from '../../renderer/src/store';
import { claimsSummary, verdictOf } from '../../renderer/src/verdict';
import { NOW, makeToken, verifyResult } from './harness';

function decode(text: string): DecodedToken {
  const result = decodeToken(text);
  if (!result.ok) throw new Error(`does not decode: ${result.error.message}`);
  return result.token;
}

const PAYLOAD = { sub: 'u1', iat: NOW - 600, exp: NOW + 600 };
const TOKEN = decode(makeToken({ alg: 'HS256' }, PAYLOAD));
const claimsAt = (payload: object, now: number, options = {}) => validateClaims(payload, { now, ...options });

function verdict(verification: Verification, claims: ClaimCheck[] = claimsAt(PAYLOAD, NOW), decoded: DecodedToken | null = TOKEN) {
  return verdictOf({ blank: false, decoded, decodeError: null, verification, claims });
}
const done = (overrides: Partial<VerifyResult>): Verification => ({ status: 'done', result: verifyResult(overrides) });

describe('verdictOf', () => {
  it('a valid signature with every checked claim passing is the only green verdict', () => {
    expect(verdict(done({ valid: true }))).toMatchObject({ tone: 'valid', headline: 'Signature valid — all checked claims pass' });
    expect(verdict(done({ valid: true }), [])).toMatchObject({ tone: 'valid', headline: 'Signature valid — no claims to check' });
  });

  it('a valid signature on an expired token says how long ago, and is not green', () => {
    const claims = claimsAt(PAYLOAD, NOW + 600 + 180);
    const v = verdict(done({ valid: true }), claims);
    expect(v.headline).toBe('Signature valid — token expired 3 min ago');
    expect(v.tone).toBe('warning');
  });

  it('a token not valid yet, and other failed claims, are named', () => {
    expect(verdict(done({ valid: true }), claimsAt({ nbf: NOW + 120 }, NOW)).headline).toBe('Signature valid — token not valid yet (in 2 min)');
    expect(verdict(done({ valid: true }), claimsAt({ aud: 'web' }, NOW, { audience: 'api' })).headline).toBe('Signature valid — aud check fails');
    expect(verdict(done({ valid: true }), claimsAt({ aud: 'web', iss: 'x' }, NOW, { audience: 'api', issuer: 'y' })).headline).toBe('Signature valid — 2 claim checks fail');
    expect(verdict(done({ valid: true }), claimsAt({ exp: NOW - 5, aud: 'web' }, NOW, { audience: 'api' })).headline).toBe(
      'Signature valid — token expired 5 s ago (and 1 more claim check fails)',
    );
    expect(verdict(done({ valid: true }), claimsAt({}, NOW, { requiredClaims: ['tenant'] })).headline).toBe('Signature valid — tenant check fails');
  });

  it('claims reported but not checked (aud / iss with nothing expected) never fail nor count as checked', () => {
    const claims = claimsAt({ aud: 'api', iss: 'me' }, NOW);
    expect(claims.every((c) => !c.checked && c.ok)).toBe(true);
    expect(claimsSummary(claims)).toEqual({ failed: false, text: 'no claims to check' });
  });

  it('a short (error-severity) key makes a valid verdict a warning', () => {
    const weak = done({ valid: true, warnings: [{ rule: 'hmac-secret-short', severity: 'error', message: 'the secret is 5 bytes; HS256 needs at least 32' }] });
    expect(verdict(weak)).toMatchObject({ tone: 'warning', headline: 'Signature valid — all checked claims pass' });
    expect(verdict(weak).detail).toContain('5 bytes');
  });

  it('signature-mismatch is "Signature invalid"; key reasons are "Key problem", never "Signature invalid"', () => {
    const mismatch = verdict(done({ valid: false, ok: false, reason: 'signature-mismatch', message: 'the signature does not match under the secret (HS256)', key: null }));
    expect(mismatch).toMatchObject({ tone: 'invalid', headline: 'Signature invalid — it does not match the key' });
    for (const reason of ['invalid-key', 'key-type-mismatch', 'alg-not-allowed', 'no-matching-key', 'jwks-mixed', 'jwks-duplicate-kid'] as const) {
      const v = verdict(done({ valid: false, ok: false, reason, message: 'jwk-invalid: this looks like a PEM public key, not a JWK', key: null }));
      expect(v.tone).toBe('invalid');
      expect(v.headline).toBe('Key problem: this looks like a PEM public key, not a JWK');
      expect(v.headline).not.toContain('Signature invalid');
    }
  });

  it('no key: "Not verified — no key", and what the claims already say', () => {
    expect(verdict({ status: 'idle', reason: 'no-key' })).toMatchObject({ tone: 'neutral', headline: 'Not verified — no key' });
    const expired = verdict({ status: 'idle', reason: 'no-key' }, claimsAt(PAYLOAD, NOW + 700));
    expect(expired.detail).toContain('token expired 1 min 40 s ago');
  });

  it('alg none: unsecured, nothing to verify, with or without a key and whatever the host said', () => {
    const none = decode(`${encodeBase64urlText('{"alg":"none"}')}.${encodeBase64urlText('{"sub":"x"}')}.`);
    for (const verification of [{ status: 'idle', reason: 'no-key' }, done({ valid: false, ok: false, reason: 'alg-none', key: null })] as Verification[]) {
      const v = verdict(verification, [], none);
      expect(v).toMatchObject({ tone: 'warning', headline: 'Unsecured token (alg none) — nothing to verify' });
      expect(v.detail).not.toMatch(/enter a secret|key to verify/i);
    }
  });

  it('a JWE is "Encrypted token (JWE) — decrypt to inspect", never "Signature invalid · not-a-jws"', () => {
    const jwe = decode(`${encodeBase64urlText('{"alg":"dir","enc":"A256GCM"}')}..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`);
    expect(jwe.kind).toBe('jwe');
    for (const verification of [{ status: 'idle', reason: 'no-key' }, done({ valid: false, ok: false, reason: 'not-a-jws', key: null })] as Verification[]) {
      const v = verdict(verification, [], jwe);
      expect(v).toMatchObject({ tone: 'neutral', headline: 'Encrypted token (JWE) — decrypt to inspect' });
    }
  });

  it('a token that does not decode, a blank input, pending, and a host failure', () => {
    expect(verdictOf({ blank: false, decoded: null, decodeError: { code: 'segment-count', message: 'a compact token has 3 or 5 parts' } as never, verification: { status: 'idle', reason: 'token-invalid' }, claims: [] })).toMatchObject({
      tone: 'invalid',
      headline: 'Token does not decode',
    });
    expect(verdictOf({ blank: true, decoded: null, decodeError: null, verification: { status: 'idle', reason: 'no-token' }, claims: [] }).tone).toBe('neutral');
    expect(verdict({ status: 'pending' })).toMatchObject({ tone: 'neutral', headline: 'Verifying…' });
    expect(verdict({ status: 'failed', error: { code: 'network', message: 'connection refused' } })).toMatchObject({ tone: 'invalid', headline: 'Could not verify', detail: 'connection refused (network)' });
  });

  it('token refusals and unsupported cases are neither "Signature invalid" nor green', () => {
    expect(verdict(done({ valid: false, ok: false, reason: 'crit-unsupported', message: 'crit …', key: null })).headline).toBe('Token refused');
    expect(verdict(done({ valid: false, ok: false, reason: 'unsupported-alg', message: 'alg …', key: null })).headline).toBe('Not verified');
    expect(verdict(done({ valid: false, ok: false, reason: 'malformed-token', message: 'bad', key: null })).headline).toBe('Token does not decode');
  });
});

describe('where the key came from', () => {
  it('a valid signature under the token\'s own key is red, never green, whatever the claims', () => {
    const own: Verification = { status: 'done', result: verifyResult({ valid: true }), source: 'self-asserted:jku:https://evil.example/jwks' };
    const v = verdict(own);
    expect(v).toMatchObject({ tone: 'invalid', headline: "Signature valid under the token's own key — self-asserted, proves nothing about the signer" });
    expect(v.detail).toContain('self-asserted:jku:https://evil.example/jwks');
    // The host's key.source alone says it too.
    const fromHost: Verification = {
      status: 'done',
      result: { ...verifyResult({ valid: true }), key: { kid: null, thumbprint: null, kty: 'EC', index: null, source: 'self-asserted:jwk' } },
    };
    expect(verdict(fromHost).tone).toBe('invalid');
    // An invalid signature under it is just invalid.
    expect(verdict({ status: 'done', result: verifyResult({ valid: false, ok: false, reason: 'signature-mismatch' }), source: 'self-asserted:jwk' }).headline).toContain('Signature invalid');
  });

  it('a discovered or fetched key is named in the detail', () => {
    expect(verdict({ status: 'done', result: verifyResult({ valid: true, message: '' }), source: 'discovery:https://idp.example/jwks' })).toMatchObject({
      tone: 'valid',
      detail: 'Verified with the key from https://idp.example/jwks (discovery).',
    });
    expect(verdict({ status: 'done', result: verifyResult({ valid: true, message: '' }), source: 'jwks:https://idp.example/k' }).detail).toBe(
      'Verified with the key from https://idp.example/k (fetched JWKS).',
    );
  });
});
