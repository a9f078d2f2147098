/**
 * OIDC token-pair checks: at_hash, c_hash, s_hash (left half of the hash named by the ID token's alg,
 * base64url), nonce, and azp with several audiences — computed here independently with node:crypto.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareKeys } from '../../shared/core/keys';
import { verifyToken } from '../../shared/core/verify';
import type { VerifyOptions } from '../../shared/core/verify-types';

const b64u = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const half = (hash: string, value: string) => {
  const digest = crypto.createHash(hash).update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
};
const NOW = 1_700_000_000;

function idToken(alg: 'ES256' | 'EdDSA' | 'RS384', key: crypto.KeyObject, claims: object): string {
  const input = `${b64u(JSON.stringify({ alg }))}.${b64u(JSON.stringify({ iss: 'https://op', sub: 'u', iat: NOW, exp: NOW + 60, ...claims }))}`;
  const hash = alg === 'EdDSA' ? null : alg === 'ES256' ? 'sha256' : 'sha384';
  const signature = crypto.sign(hash, Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${b64u(signature)}`;
}

const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = crypto.generateKeyPairSync('ed25519');
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const pemOf = (k: crypto.KeyObject) => ({ type: 'pem', value: k.export({ type: 'spki', format: 'pem' }) as string }) as const;

async function checks(token: string, key: crypto.KeyObject, options: VerifyOptions) {
  const result = await verifyToken(token, await prepareKeys(pemOf(key)), { now: NOW, ...options });
  return { result, by: Object.fromEntries(result.claims.map((c) => [c.claim, c])) };
}

describe('OIDC token-pair checks', () => {
  it('at_hash, c_hash and s_hash use the hash of the alg (SHA-256 for ES256, SHA-384 for RS384, SHA-512 for EdDSA)', async () => {
    for (const [alg, key, hash] of [['ES256', ec, 'sha256'], ['RS384', rsa, 'sha384'], ['EdDSA', ed, 'sha512']] as const) {
      const token = idToken(alg, key.privateKey, { at_hash: half(hash, 'the-access-token'), c_hash: half(hash, 'the-code'), s_hash: half(hash, 'the-state') });
      const { result, by } = await checks(token, key.publicKey, { accessToken: 'the-access-token', code: 'the-code', state: 'the-state' });
      expect([alg, result.valid, result.ok, by.at_hash?.ok, by.c_hash?.ok, by.s_hash?.ok]).toEqual([alg, true, true, true, true, true]);
    }
  });

  it('a hash of another value, or a missing claim, fails that check and the verdict', async () => {
    const token = idToken('ES256', ec.privateKey, { at_hash: half('sha256', 'the-access-token') });
    const { result, by } = await checks(token, ec.publicKey, { accessToken: 'another-token', code: 'the-code' });
    expect(result.valid).toBe(true);
    expect(result.ok).toBe(false);
    expect(by.at_hash).toMatchObject({ ok: false, message: expect.stringMatching(/^does not match the access token: expected /) });
    expect(by.c_hash).toMatchObject({ ok: false, message: 'no c_hash in the token: it does not bind the authorization code given' });
  });

  it('nonce must equal the one sent; several audiences need azp', async () => {
    const token = idToken('ES256', ec.privateKey, { nonce: 'n-0S6', aud: ['client-a', 'api'] });
    const right = await checks(token, ec.publicKey, { nonce: 'n-0S6' });
    expect(right.by.nonce).toMatchObject({ ok: true });
    expect(right.by.azp).toMatchObject({ ok: false, message: expect.stringMatching(/2 audiences but no azp/) });
    const wrong = await checks(token, ec.publicKey, { nonce: 'other' });
    expect(wrong.by.nonce).toMatchObject({ ok: false, message: expect.stringMatching(/not the nonce sent/) });
    const withAzp = await checks(idToken('ES256', ec.privateKey, { nonce: 'n', aud: ['client-a', 'api'], azp: 'client-a' }), ec.publicKey, { nonce: 'n' });
    expect([withAzp.by.azp?.ok, withAzp.result.ok]).toEqual([true, true]);
  });

  it('adds nothing when no token-pair value is given', async () => {
    const token = idToken('ES256', ec.privateKey, { at_hash: 'x', nonce: 'n', aud: ['a', 'b'] });
    const { result } = await checks(token, ec.publicKey, {});
    expect(result.claims.map((c) => c.claim)).toEqual(['exp', 'iat', 'aud', 'iss']);
  });
});
