import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareKeys } from '../../shared/core/keys';
import { hmacSecretShort } from '../../shared/lint/rules/hmac-secret';
import { decodeToken } from '../../shared/core/decode';
import { verifyToken, type SignatureBackend } from '../../shared/core/verify';
import { makeKeys, nodeToken, pem, tamperSegment, verifyKeyInput } from './crypto-fixtures';
import { checkExpectation, scenarios } from './verify-scenarios';

const keys = makeKeys();
const list = scenarios(keys);

describe('verifyToken (jose backend)', () => {
  it.each(list.map((s) => [s.name, s] as const))('%s', async (_, s) => {
    checkExpectation(await verifyToken(s.token, s.key, s.options), s.expect);
  });
});

describe('verifyToken behaviour', () => {
  it('a prepared key is reused across calls and gives the same answers as the raw key input', async () => {
    const token = nodeToken('ES256', keys.p256.privateKey, {}, { sub: 'x' });
    const input = { type: 'pem', value: pem(keys.p256.publicKey, 'spki') } as const;
    const prepared = await prepareKeys(input);
    const a = await verifyToken(token, prepared);
    const b = await verifyToken(token, input);
    expect(a).toEqual(b);
    expect(a.valid).toBe(true);
  });

  it('reports every claim check with the signature', async () => {
    const token = nodeToken('HS256', keys.secret, {}, { exp: 1000, nbf: 500, aud: 'api', iss: 'me' });
    const result = await verifyToken(token, verifyKeyInput(keys, 'HS256'), { now: 990, audience: 'api', issuer: 'you' });
    expect(result.valid).toBe(true);
    expect(result.claims.map((c) => [c.claim, c.ok])).toEqual([['exp', true], ['nbf', true], ['aud', true], ['iss', false]]);
    expect(result.ok).toBe(false);
  });

  it('requiredClaims: a missing required claim fails the token (ok false) while the signature stays valid', async () => {
    const token = nodeToken('HS256', keys.secret, {}, { sub: 'x', aud: 'api' });
    const result = await verifyToken(token, verifyKeyInput(keys, 'HS256'), { now: 990, requiredClaims: ['sub', 'tenant'] });
    expect(result.valid).toBe(true);
    expect(result.claims).toEqual([
      { claim: 'aud', ok: true, checked: false, message: 'audience "api" (not checked: no expected audience given)' },
      { claim: 'tenant', ok: false, checked: true, message: 'required claim "tenant" is missing' },
    ]);
    expect(result.ok).toBe(false);
    const all = await verifyToken(token, verifyKeyInput(keys, 'HS256'), { now: 990, requiredClaims: ['sub', 'aud'] });
    expect(all.ok).toBe(true);
  });

  it('a short HMAC secret warns with the lint rule hmac-secret-short\'s own severity', async () => {
    const token = nodeToken('HS256', Buffer.from('short'), {}, { sub: 'x' });
    const result = await verifyToken(token, { type: 'secret', value: 'short', encoding: 'utf8' });
    expect(result.valid).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ rule: hmacSecretShort.id, severity: hmacSecretShort.severity });
  });

  it('accepts a decode result, and verifies the decoded parts (not a look-alike object)', async () => {
    const token = nodeToken('HS256', keys.secret, {}, { sub: 'x' });
    const decoded = decodeToken(`Authorization: Bearer ${token}`);
    if (!decoded.ok) throw new Error('the token should decode');
    expect((await verifyToken(decoded.token, verifyKeyInput(keys, 'HS256'))).valid).toBe(true);
    const forged = decodeToken(tamperSegment(token, 1));
    if (!forged.ok) throw new Error('the tampered token should decode');
    expect((await verifyToken(forged.token, verifyKeyInput(keys, 'HS256'))).reason).toBe('signature-mismatch');
    expect((await verifyToken({ token } as never, verifyKeyInput(keys, 'HS256'))).reason).toBe('malformed-token');
  });

  it('never caches: the same token verifies again after a failure, and a tampered one fails after a success', async () => {
    const prepared = await prepareKeys(verifyKeyInput(keys, 'HS256'));
    const token = nodeToken('HS256', keys.secret, {}, { sub: 'x' });
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA');
    const results = [];
    for (const t of [token, forged, token, forged]) results.push((await verifyToken(t, prepared)).valid);
    expect(results).toEqual([true, false, true, false]);
  });

  it('a backend failure becomes invalid-key, never an exception', async () => {
    const broken: SignatureBackend = {
      name: 'broken',
      verify() {
        throw new Error('no such key in the HSM');
      },
    };
    const token = nodeToken('HS256', keys.secret, {}, { sub: 'x' });
    const result = await verifyToken(token, verifyKeyInput(keys, 'HS256'), {}, broken);
    expect(result).toMatchObject({ valid: false, reason: 'invalid-key', message: 'the key cannot be used for HS256: no such key in the HSM' });
  });

  it('never throws, whatever the token and key', async () => {
    const prepared = await prepareKeys(verifyKeyInput(keys, 'HS256'));
    const token = nodeToken('HS256', keys.secret, {}, { sub: 'x' });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: fc.constantFrom(...'eyJ.AQab_-={}"[]'.split('')) }),
          fc.tuple(fc.nat(token.length), fc.string({ maxLength: 3 })).map(([i, s]) => token.slice(0, i) + s + token.slice(i + 1)),
        ),
        async (text) => {
          const result = await verifyToken(text, prepared);
          expect(typeof result.valid).toBe('boolean');
          if (!result.valid) expect(result.reason).not.toBeNull();
          expect(result.reason).not.toBe('internal-error');
        },
      ),
      { numRuns: 300 },
    );
    for (const key of [null, {}, { type: 'pem' }, { type: 'secret', value: 1 }] as never[]) {
      const result = await verifyToken(token, key);
      expect(result.reason).toBe('invalid-key');
    }
    expect((await verifyToken(42 as never, prepared)).reason).toBe('malformed-token');
  });
});
