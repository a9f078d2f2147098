// dpop.create / dpop.check through the dispatcher over the real services: a proof made with pasted key text
// or with a stored key (signed in the store, only its public jwk in the proof), checked per RFC 9449 §4.3,
// and each refusal with its declared code.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import { METHOD_ERRORS } from '../../shared/contract/errors';
import type { MethodName } from '../../shared/contract/method-names';
import type { RequestOf, ResponseOf } from '../../shared/contract/methods';
import type { Result } from '../../shared/contract/result';
import { accessTokenHash, DPOP_CHECK_IDS } from '../../shared/core/dpop';
import { decodeToken } from '../../shared/core/decode';
import { tempDir } from './keys-test-support';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function host() {
  const dir = tempDir('dpop-contract-');
  dirs.push(dir);
  const dispatch = createDispatcher(createHandlers(createServices({ dataDir: dir, keys: { unencryptedTestStore: true } })));
  return <M extends MethodName>(method: M, request: RequestOf<M>) => dispatch(method, request, { transport: 'http' }) as Promise<Result<ResponseOf<M>>>;
}

async function value<M extends MethodName>(call: ReturnType<typeof host>, method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const r = await call(method, request);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function codeOf<M extends MethodName>(call: ReturnType<typeof host>, method: M, request: RequestOf<M>): Promise<string> {
  const r = await call(method, request);
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error.code;
}

const ecKey = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const HTU = 'https://api.example/resource?x=1';
const IAT = 1_700_000_000;

function claimsOf(token: string): Record<string, unknown> {
  const decoded = decodeToken(token);
  if (!decoded.ok) throw new Error('does not decode');
  return decoded.token.payload as Record<string, unknown>;
}

describe('dpop.create', () => {
  it('signs a proof with a pasted private PEM: typ dpop+jwt, the public jwk only, ath and nonce; dpop.check passes it', async () => {
    const call = host();
    const { privateKey } = ecKey();
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const made = await value(call, 'dpop.create', { key: { type: 'pem', value: pem }, htm: 'POST', htu: HTU, accessToken: 'at-123', nonce: 'n-1', iat: IAT });
    const decoded = decodeToken(made.proof);
    if (!decoded.ok) throw new Error('proof does not decode');
    expect(decoded.token.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(decoded.token.header.jwk).not.toHaveProperty('d');
    expect(claimsOf(made.proof)).toMatchObject({ htm: 'POST', htu: 'https://api.example/resource', iat: IAT, nonce: 'n-1', ath: await accessTokenHash('at-123') });
    const jwk = privateKey.export({ format: 'jwk' });
    expect(made.jkt).toBe(crypto.createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url'));

    const check = await value(call, 'dpop.check', { proof: made.proof, htm: 'POST', htu: 'HTTPS://API.example:443/resource', accessToken: 'at-123', nonce: 'n-1', now: IAT + 10 });
    expect(check).toMatchObject({ valid: true, reason: null, jkt: made.jkt });
    expect(check.checks.map((c) => c.check)).toEqual(DPOP_CHECK_IDS.filter((id) => id !== 'malformed-token' && id !== 'cnf-jkt'));
  });

  it('signs with a stored key in the host: the proof names its thumbprint and carries no private member', async () => {
    const call = host();
    const stored = await value(call, 'keys.generate', { alg: 'ES384' });
    const made = await value(call, 'dpop.create', { key: { type: 'stored', id: stored.id }, htm: 'GET', htu: HTU, iat: IAT });
    expect(made.jkt).toBe(stored.thumbprint);
    const header = decodeToken(made.proof);
    const { crv, x, y } = stored.publicJwk as Record<string, string>;
    expect(header.ok && header.token.header).toMatchObject({ alg: 'ES384', jwk: { kty: 'EC', crv, x, y } });
    expect(header.ok && Object.keys(header.token.header.jwk as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect((await value(call, 'dpop.check', { proof: made.proof, htm: 'GET', htu: HTU, now: IAT })).valid).toBe(true);
  });

  it('refuses what cannot sign a proof, each with its declared code', async () => {
    const call = host();
    const { publicKey, privateKey } = ecKey();
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const privateJwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    expect(await codeOf(call, 'dpop.create', { key: { type: 'pem', value: publicPem }, htm: 'GET', htu: HTU })).toBe('key-not-private');
    expect(await codeOf(call, 'dpop.create', { key: { type: 'secret', value: 'a-shared-secret', encoding: 'utf8' }, htm: 'GET', htu: HTU })).toBe('key-not-asymmetric');
    expect(await codeOf(call, 'dpop.create', { key: { type: 'jwk', value: privateJwk }, htm: 'GET', htu: 'ftp://x.example/' })).toBe('htu-invalid');
    expect(await codeOf(call, 'dpop.create', { key: { type: 'jwk', value: privateJwk }, htm: 'GE T', htu: HTU })).toBe('htm-invalid');
    expect(await codeOf(call, 'dpop.create', { key: { type: 'jwk', value: '{"kty":"EC"' }, htm: 'GET', htu: HTU })).toMatch(/^(jwk|key)-/);
    expect(await codeOf(call, 'dpop.create', { key: { type: 'stored', id: 'no-such-key' }, htm: 'GET', htu: HTU })).toBe('not-found');
    const imported = await value(call, 'keys.import', { input: { type: 'pem', value: publicPem } });
    expect(await codeOf(call, 'dpop.create', { key: { type: 'stored', id: imported.imported[0]!.id }, htm: 'GET', htu: HTU })).toBe('no-private-part');
    // The request is validated before anything runs.
    expect(await codeOf(call, 'dpop.create', { key: { type: 'jwk', value: privateJwk }, htu: HTU } as never)).toBe('bad-request');
    for (const code of ['key-not-private', 'key-not-asymmetric', 'htu-invalid', 'htm-invalid', 'not-found', 'no-private-part']) {
      expect(METHOD_ERRORS['dpop.create']).toContain(code);
    }
  });
});

describe('dpop.check', () => {
  it('names the failing check: another URL, another method, a stale iat, a thief’s key for a bound token', async () => {
    const call = host();
    const holder = ecKey().privateKey;
    const key = { type: 'jwk' as const, value: JSON.stringify(holder.export({ format: 'jwk' })) };
    const made = await value(call, 'dpop.create', { key, htm: 'GET', htu: HTU, iat: IAT });
    const check = (request: Partial<RequestOf<'dpop.check'>>) => value(call, 'dpop.check', { proof: made.proof, htm: 'GET', htu: HTU, now: IAT, ...request });
    expect(await check({ htu: 'https://api.example/other' })).toMatchObject({ valid: false, reason: 'htu' });
    expect(await check({ htm: 'POST' })).toMatchObject({ valid: false, reason: 'htm' });
    expect(await check({ now: IAT + 301 })).toMatchObject({ valid: false, reason: 'iat' });
    expect((await check({ now: IAT + 301, maxAge: 600 })).valid).toBe(true);
    expect(await check({ nonce: 'expected-nonce' })).toMatchObject({ valid: false, reason: 'nonce' });

    // An access token bound to another key: the proof (with the right ath) still fails cnf-jkt.
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const bound = `${b64({ alg: 'ES256', typ: 'at+jwt' })}.${b64({ sub: 'u', cnf: { jkt: 'someone-elses-thumbprint' } })}.c2ln`;
    const thief = await value(call, 'dpop.create', { key, htm: 'GET', htu: HTU, iat: IAT, accessToken: bound });
    const verdict = await value(call, 'dpop.check', { proof: thief.proof, htm: 'GET', htu: HTU, now: IAT, accessToken: bound });
    expect(verdict).toMatchObject({ valid: false, reason: 'cnf-jkt' });
    expect(verdict.checks.find((c) => c.check === 'ath')?.ok).toBe(true);

    expect(await value(call, 'dpop.check', { proof: 'not a proof', htm: 'GET', htu: HTU })).toMatchObject({ valid: false, reason: 'malformed-token', jkt: null });
  });
});
