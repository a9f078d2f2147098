// keys.discover and crypto.verify's `{ type: 'token-key' }` through the dispatcher over the real services,
// against tiny node:http servers on 127.0.0.1: the issuer's keys found from iss, every refusal with its declared
// code, and a token's own key (jwk, jku) used only when that input is given.
import fs from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import { declaresError } from '../../shared/contract/errors';
import type { MethodName } from '../../shared/contract/method-names';
import { tempDir } from './keys-test-support';
import { serveJson } from './json-server';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function host() {
  const dir = tempDir('key-discovery-contract-');
  dirs.push(dir);
  const dispatch = createDispatcher(createHandlers(createServices({ dataDir: dir })));
  return (method: MethodName, request: unknown) => dispatch(method, request, { transport: 'http' }) as Promise<any>;
}


async function es256() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  return {
    jwk,
    jwks: { keys: [jwk] },
    sign: (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(privateKey),
  };
}

describe('keys.discover', () => {
  it('finds the JWKS from the token\'s iss; that JWKS then verifies the token', async () => {
    const call = host();
    const keys = await es256();
    const server = await serveJson((base) => ({
      '/.well-known/openid-configuration': { issuer: base, jwks_uri: `${base}/keys` },
      '/keys': keys.jwks,
    }));
    try {
      const token = await keys.sign({ iss: server.base, sub: 'bob' });
      const found = await call('keys.discover', { token });
      expect(found).toMatchObject({ ok: true, value: { keys: 1, jwksUri: `${server.base}/keys`, metadataUrl: `${server.base}/.well-known/openid-configuration` } });
      expect(JSON.parse(found.value.jwks)).toEqual(keys.jwks);
      const verified = await call('crypto.verify', { token, key: { type: 'jwks', value: found.value.jwks } });
      expect(verified.value).toMatchObject({ valid: true, key: { kid: 'k1' } });
    } finally {
      await server.close();
    }
  });

  it('answers each refusal with its declared code', async () => {
    const call = host();
    const keys = await es256();
    const server = await serveJson(() => ({ '/.well-known/openid-configuration': { issuer: 'https://elsewhere.example', jwks_uri: 'https://elsewhere.example/keys' } }));
    try {
      const cases: [token: string, code: string][] = [
        [await keys.sign({ sub: 'no-iss' }), 'iss-missing'],
        [await keys.sign({ iss: 'file:///etc/passwd' }), 'iss-not-url'],
        [await keys.sign({ iss: server.base }), 'issuer-mismatch'],
        ['not.a-token', 'token-invalid'],
      ];
      for (const [token, code] of cases) {
        const answer = await call('keys.discover', { token });
        expect(answer, code).toMatchObject({ ok: false, error: { code } });
        expect(declaresError('keys.discover', code)).toBe(true);
      }
      expect(server.requests).toEqual(['/.well-known/openid-configuration']);
      expect((await call('keys.discover', {})).error).toMatchObject({ code: 'bad-request' });
    } finally {
      await server.close();
    }
  });
});

describe('crypto.verify with the token\'s own key', () => {
  it('uses an embedded jwk only with { type: "token-key" }, and says the key is self-asserted', async () => {
    const call = host();
    const attacker = await es256();
    const other = await es256();
    const { kid: _kid, ...jwk } = attacker.jwk;
    const token = await attacker.sign({ sub: 'admin' }, { jwk });

    // Any other key: the header's jwk is never looked at.
    const refused = await call('crypto.verify', { token, key: { type: 'jwks', value: JSON.stringify(other.jwks) } });
    expect(refused.value).toMatchObject({ valid: false, reason: 'signature-mismatch' });

    const trusted = await call('crypto.verify', { token, key: { type: 'token-key' } });
    expect(trusted).toMatchObject({ ok: true, value: { valid: true, key: { source: 'self-asserted:jwk' } } });
  });

  it('fetches a jku only with { type: "token-key" }', async () => {
    const call = host();
    const keys = await es256();
    const server = await serveJson(() => ({ '/jwks': keys.jwks }));
    try {
      const token = await keys.sign({ sub: 'bob' }, { jku: `${server.base}/jwks` });
      const other = await es256();
      const refused = await call('crypto.verify', { token, key: { type: 'jwk', value: JSON.stringify(other.jwk) } });
      expect(refused.value).toMatchObject({ valid: false });
      expect(server.requests).toEqual([]);

      const trusted = await call('crypto.verify', { token, key: { type: 'token-key' } });
      expect(trusted.value).toMatchObject({ valid: true, key: { kid: 'k1', source: `self-asserted:jku:${server.base}/jwks` } });
      expect(server.requests).toEqual(['/jwks']);
    } finally {
      await server.close();
    }
  });

  it('answers no-token-key for a token without one, a verdict for one that does not decode, and never signs with it', async () => {
    const call = host();
    const keys = await es256();
    const plain = await call('crypto.verify', { token: await keys.sign({ sub: 'bob' }), key: { type: 'token-key' } });
    expect(plain).toMatchObject({ ok: false, error: { code: 'no-token-key' } });
    const broken = await call('crypto.verify', { token: 'not.a-token', key: { type: 'token-key' } });
    expect(broken.value).toMatchObject({ valid: false, reason: 'malformed-token' });
    const sign = await call('crypto.sign', { headerText: '{"alg":"ES256"}', payloadText: '{}', key: { type: 'token-key' } });
    expect(sign.error).toMatchObject({ code: 'bad-request' });
    // The page cannot point the host at a URL of its choosing through this input: it has no other member.
    const named = await call('crypto.verify', { token: 'a.b.c', key: { type: 'token-key', url: 'http://127.0.0.1:1/jwks' } });
    expect(named.error).toMatchObject({ code: 'bad-request' });
  });
});
