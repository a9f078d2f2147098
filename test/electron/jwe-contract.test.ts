// crypto.decrypt / crypto.encrypt through the dispatcher over the real services: every key form the page
// can give (PEM, JWK, JWKS by kid, a secret, a password, a stored key by id) round-trips; the RFC 7520 §5
// examples decrypt; a wrong key gets the one generic reason; requests are validated with limits; and no
// answer carries private key material.
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import { JWE_LIMITS } from '../../shared/contract/jwe';
import type { MethodName } from '../../shared/contract/method-names';
import { MAX_P2C, NOT_DECRYPTABLE_REASON } from '../../shared/core/jwe';
import { TEST_SCRYPT_COST, tempDir } from './keys-test-support';
import { privateLeaks } from './private-scan';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function host() {
  const dir = tempDir('jwe-contract-');
  dirs.push(dir);
  const dispatch = createDispatcher(createHandlers(createServices({ dataDir: dir, keys: { scryptCost: TEST_SCRYPT_COST, unencryptedTestStore: true } })));
  const answers: unknown[] = [];
  const call = async (method: MethodName, request: unknown) => {
    const result = (await dispatch(method, request, { transport: 'http' })) as any;
    answers.push(result);
    return result;
  };
  return { call, answers };
}

const PAYLOAD = '{"sub":"alice","scope":"read"}';

async function rsaPair() {
  const pair = await generateKeyPair('RSA-OAEP-256', { extractable: true, modulusLength: 2048 });
  return {
    publicPem: await exportSPKI(pair.publicKey),
    privatePem: await exportPKCS8(pair.privateKey),
    publicJwk: await exportJWK(pair.publicKey),
    privateJwk: await exportJWK(pair.privateKey),
  };
}

describe('crypto.encrypt → crypto.decrypt with each key form', { timeout: 60_000 }, () => {
  it('PEM (public to encrypt, private to decrypt), the plaintext and header come back', async () => {
    const { call } = host();
    const rsa = await rsaPair();
    const enc = await call('crypto.encrypt', { payload: PAYLOAD, key: { type: 'pem', value: rsa.publicPem }, alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    expect(enc.ok).toBe(true);
    expect(enc.value).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    expect(enc.value.token.split('.')).toHaveLength(5);
    const dec = await call('crypto.decrypt', { token: enc.value.token, key: { type: 'pem', value: rsa.privatePem } });
    expect(dec).toEqual({
      ok: true,
      value: { header: { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, plaintext: PAYLOAD, plaintextBase64url: Buffer.from(PAYLOAD).toString('base64url'), nested: null, warnings: [] },
    });
  });

  it('JWK and JWKS (picked by kid), ECDH-ES+A256KW', async () => {
    const { call } = host();
    const a = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const b = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const pubB = { ...(await exportJWK(b.publicKey)), kid: 'b' };
    const jwks = { keys: [{ ...(await exportJWK(a.privateKey)), kid: 'a' }, { ...(await exportJWK(b.privateKey)), kid: 'b' }] };
    const enc = await call('crypto.encrypt', { payload: 'hello', key: { type: 'jwk', value: JSON.stringify(pubB) }, alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256' });
    expect(enc.ok).toBe(true);
    const dec = await call('crypto.decrypt', { token: enc.value.token, key: { type: 'jwks', value: JSON.stringify(jwks) } });
    expect(dec.ok).toBe(true);
    expect(dec.value.header).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256', kid: 'b' });
    expect(dec.value.plaintext).toBe('hello');
  });

  it('a secret (hex) for A256KW and dir, and a password for PBES2', async () => {
    const { call } = host();
    const hex = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
    for (const alg of ['A256KW', 'dir'] as const) {
      const key = { type: 'secret', value: hex, encoding: 'hex' };
      const enc = await call('crypto.encrypt', { payload: PAYLOAD, key, alg, enc: 'A256GCM' });
      expect(enc.ok, alg).toBe(true);
      expect((await call('crypto.decrypt', { token: enc.value.token, key })).value.plaintext).toBe(PAYLOAD);
    }
    const password = { type: 'password', value: 'correct horse battery staple' };
    const enc = await call('crypto.encrypt', { payload: PAYLOAD, key: password, alg: 'PBES2-HS256+A128KW', enc: 'A128CBC-HS256' });
    expect(enc.ok).toBe(true);
    expect((await call('crypto.decrypt', { token: enc.value.token, key: password })).value.plaintext).toBe(PAYLOAD);
    const wrong = await call('crypto.decrypt', { token: enc.value.token, key: { type: 'password', value: 'wrong' } });
    expect(wrong.error).toMatchObject({ code: 'not-decryptable', message: NOT_DECRYPTABLE_REASON });
  });

  it('a stored key by id: encrypts to its public part, decrypts with its private part in the host', async () => {
    const { call, answers } = host();
    const rsa = await call('keys.generate', { alg: 'RS256', label: 'jwe rsa' });
    const ec = await call('keys.generate', { alg: 'ES256', label: 'jwe ec' });
    const hs = await call('keys.generate', { alg: 'HS256', label: 'jwe secret' });
    const cases = [
      [rsa.value.id, 'RSA-OAEP-256'],
      [ec.value.id, 'ECDH-ES'],
      [hs.value.id, 'A256KW'],
    ] as const;
    for (const [id, alg] of cases) {
      const key = { type: 'stored', id };
      const enc = await call('crypto.encrypt', { payload: PAYLOAD, key, alg, enc: 'A256GCM' });
      expect(enc.ok, alg).toBe(true);
      const dec = await call('crypto.decrypt', { token: enc.value.token, key });
      expect(dec.ok, alg).toBe(true);
      expect(dec.value.plaintext).toBe(PAYLOAD);
    }
    // The other stored key cannot decrypt: the same generic reason as any wrong key.
    const enc = await call('crypto.encrypt', { payload: PAYLOAD, key: { type: 'stored', id: rsa.value.id }, alg: 'RSA-OAEP', enc: 'A128GCM' });
    const other = await call('keys.generate', { alg: 'RS256' });
    expect((await call('crypto.decrypt', { token: enc.value.token, key: { type: 'stored', id: other.value.id } })).error).toEqual({
      code: 'not-decryptable',
      message: NOT_DECRYPTABLE_REASON,
      // The stored key's kid names it in the header (encrypt puts a JWK's kid there).
      details: { header: { alg: 'RSA-OAEP', enc: 'A128GCM', kid: rsa.value.kid }, warnings: [] },
    });
    expect((await call('crypto.decrypt', { token: enc.value.token, key: { type: 'stored', id: 'nope' } })).error.code).toBe('not-found');

    // No answer carries a private member or a private key PEM (the full scan of every method is contract-private-scan).
    const leaks = answers.flatMap((a) => privateLeaks(JSON.stringify(a), []));
    expect(leaks).toEqual([]);
  });
});

describe('crypto.decrypt', () => {
  interface Cookbook {
    input: { plaintext: string; key?: unknown; pwd?: string; alg: string };
    output: { compact?: string; json?: unknown };
  }
  const dir = path.resolve(__dirname, '../fixtures/rfc7520/jwe');
  const cookbook = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f, ...(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Cookbook) }))
    // 5.1 is RSA1_5 (below); 5.13 has several recipients, each with its own key.
    .filter((c) => !c.name.startsWith('5_1.') && !c.name.startsWith('5_13.'));

  it('decrypts the RFC 7520 §5 examples (compact where there is one, else the JSON serialization)', async () => {
    const { call } = host();
    expect(cookbook).toHaveLength(11);
    for (const c of cookbook) {
      const token = c.output.compact ?? JSON.stringify(c.output.json);
      const key = c.input.pwd !== undefined ? { type: 'password', value: c.input.pwd } : { type: 'jwk', value: JSON.stringify(c.input.key) };
      const result = await call('crypto.decrypt', { token, key });
      expect(result.ok, c.name).toBe(true);
      expect(result.value.plaintext, c.name).toBe(c.input.plaintext);
    }
  });

  it('RFC 7520 5.1 (RSA1_5): refused, with the deprecation warning in the details', async () => {
    const { call } = host();
    const c = JSON.parse(fs.readFileSync(path.join(dir, '5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json'), 'utf8')) as Cookbook;
    const result = await call('crypto.decrypt', { token: c.output.compact, key: { type: 'jwk', value: JSON.stringify(c.input.key) } });
    expect(result.error.code).toBe('alg-unsupported');
    expect(result.error.details.warnings).toEqual([expect.stringContaining('RSA1_5 (RSAES-PKCS1-v1_5) is deprecated')]);
  });

  it('a nested JWT (cty JWT) comes back decoded', async () => {
    const { call } = host();
    const inner = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"inner"}').toString('base64url')}.c2ln`;
    const key = { type: 'secret', value: 'k'.repeat(32), encoding: 'utf8' };
    const enc = await call('crypto.encrypt', { payload: inner, key, alg: 'dir', enc: 'A256GCM', cty: 'JWT' });
    const dec = await call('crypto.decrypt', { token: enc.value.token, key });
    expect(dec.value.header).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' });
    expect(dec.value.nested).toEqual({ token: inner, kind: 'jws', header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: 'inner' }, error: null });
  });

  it('refuses a p2c above the cap before deriving, and a JWS, each with its code', async () => {
    const { call } = host();
    const header = Buffer.from(JSON.stringify({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: MAX_P2C + 1, p2s: 'AAAAAAAAAAAAAAAAAAAAAA' })).toString('base64url');
    const token = `${header}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`;
    const result = await call('crypto.decrypt', { token, key: { type: 'password', value: 'pw' } });
    expect(result.error.code).toBe('p2c-too-large');
    expect(result.error.message).toContain(String(MAX_P2C));
    const jws = 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln';
    expect((await call('crypto.decrypt', { token: jws, key: { type: 'password', value: 'pw' } })).error.code).toBe('not-jwe');
  });

  it('validates every field with limits, and never echoes the key in a message', async () => {
    const { call } = host();
    const secretKey = 'super-secret-key-material-1234567890';
    const bad = [
      [{ token: 'a.b.c.d.e' }, 'key'],
      [{ token: '', key: { type: 'password', value: 'x' } }, 'token'],
      [{ token: 'x'.repeat(JWE_LIMITS.token + 1), key: { type: 'password', value: 'x' } }, 'token'],
      [{ token: 'a.b.c.d.e', key: { type: 'password', value: '' } }, 'key.value'],
      [{ token: 'a.b.c.d.e', key: { type: 'password', value: 'p'.repeat(JWE_LIMITS.password + 1) } }, 'key.value'],
      [{ token: 'a.b.c.d.e', key: { type: 'certificate', value: 'x' } }, 'key.type'],
      [{ token: 'a.b.c.d.e', key: { type: 'stored', id: '' } }, 'key.id'],
      [{ token: 'a.b.c.d.e', key: { type: 'password', value: 'x' }, extra: 1 }, 'extra'],
    ] as const;
    for (const [request, field] of bad) {
      const result = await call('crypto.decrypt', request);
      expect(result.error.code, JSON.stringify(request).slice(0, 80)).toBe('bad-request');
      expect(result.error.message.startsWith(`${field}:`), result.error.message).toBe(true);
    }
    const encBad = [
      [{ payload: 'x', key: { type: 'password', value: 'pw' }, alg: 'RSA1_5', enc: 'A256GCM' }, 'alg'],
      [{ payload: 'x', key: { type: 'password', value: 'pw' }, alg: 'dir', enc: 'A512GCM' }, 'enc'],
      [{ payload: 'x', key: { type: 'password', value: 'pw' }, alg: 'dir', enc: 'A256GCM', cty: 'J'.repeat(JWE_LIMITS.cty + 1) }, 'cty'],
      [{ payload: 'x'.repeat(JWE_LIMITS.payload + 1), key: { type: 'password', value: 'pw' }, alg: 'dir', enc: 'A256GCM' }, 'payload'],
    ] as const;
    for (const [request, field] of encBad) {
      const result = await call('crypto.encrypt', request);
      expect(result.error.code).toBe('bad-request');
      expect(result.error.message.startsWith(`${field}:`), result.error.message).toBe(true);
    }
    // A key that does not fit: a typed code, and the message does not quote the key.
    const misfit = await call('crypto.encrypt', { payload: 'x', key: { type: 'secret', value: secretKey, encoding: 'utf8' }, alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    expect(misfit.error.code).toBe('key-unusable');
    expect(JSON.stringify(misfit)).not.toContain(secretKey);
    const pw = await call('crypto.encrypt', { payload: 'x', key: { type: 'secret', value: secretKey, encoding: 'utf8' }, alg: 'PBES2-HS256+A128KW', enc: 'A256GCM' });
    expect(pw.error.code).toBe('key-unusable');
    const badHex = await call('crypto.decrypt', { token: 'a.b.c.d.e', key: { type: 'secret', value: 'zz', encoding: 'hex' } });
    expect(badHex.ok).toBe(false);
    expect(badHex.error.code).not.toBe('internal');
  });
});
