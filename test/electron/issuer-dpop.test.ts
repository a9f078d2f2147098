// DPoP (RFC 9449) at the mock issuer, as a client sees it over HTTP: the nonce challenge, a bound access token
// (cnf.jkt, token_type DPoP), and a protected resource that wants the same key again — so a stolen bound token
// is useless without its private key.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopProof, singleSigningKey } from '../../shared/core/dpop';
import { prepareKeys } from '../../shared/core/keys';
import type { PreparedKey } from '../../shared/core/keys';
import { decodePart, startTestIssuer, T0 } from './issuer-helpers';
import type { TestIssuer } from './issuer-helpers';

let it_: TestIssuer;
let holder: PreparedKey;
let thief: PreparedKey;
const iat = Math.floor(T0 / 1000);

async function privateKey(): Promise<PreparedKey> {
  const { privateKey: key } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return singleSigningKey((await prepareKeys({ type: 'jwk', value: JSON.stringify(key.export({ format: 'jwk' })) })).keys);
}

beforeAll(async () => {
  it_ = await startTestIssuer();
  holder = await privateKey();
  thief = await privateKey();
});
afterAll(() => it_?.close());

const proofFor = (key: PreparedKey, htm: string, path: string, extra: { nonce?: string; accessToken?: string; htu?: string } = {}) =>
  createDpopProof(key, { htm, htu: extra.htu ?? it_.url(path), iat, ...(extra.nonce !== undefined && { nonce: extra.nonce }), ...(extra.accessToken !== undefined && { accessToken: extra.accessToken }) });

const login = (proof: string) =>
  it_.form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice', password: 'wonderland' }, { DPoP: proof });

/** Walks the nonce dance at the token endpoint; answers the bound token response and the nonce used. */
async function boundLogin(key: PreparedKey): Promise<{ body: Record<string, string>; nonce: string }> {
  const first = await login((await proofFor(key, 'POST', '/token')).proof);
  const nonce = first.headers.get('dpop-nonce')!;
  const second = await login((await proofFor(key, 'POST', '/token', { nonce })).proof);
  expect(second.status).toBe(200);
  return { body: (await second.json()) as Record<string, string>, nonce };
}

describe('token endpoint', () => {
  it('answers a proof without its nonce with use_dpop_nonce and a DPoP-Nonce, then binds the token to the proof key', async () => {
    const first = await login((await proofFor(holder, 'POST', '/token')).proof);
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const proof = await proofFor(holder, 'POST', '/token', { nonce: nonce! });
    const second = await login(proof.proof);
    expect(second.status).toBe(200);
    const body = (await second.json()) as Record<string, string>;
    expect(body.token_type).toBe('DPoP');
    expect(decodePart(body.access_token!, 1).cnf).toEqual({ jkt: proof.jkt });
    expect(second.headers.get('dpop-nonce')).toBeTruthy();

    // The same proof again is a replay.
    const replay = await login(proof.proof);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringMatching(/already used/) });
  });

  it('refuses a proof for another URL or method, and a login without DPoP stays a Bearer token', async () => {
    const { nonce } = await boundLogin(holder);
    const wrongUrl = await login((await proofFor(holder, 'POST', '/token', { nonce, htu: 'https://elsewhere.example/token' })).proof);
    expect(wrongUrl.status).toBe(400);
    expect(await wrongUrl.json()).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringMatching(/htu/) });
    const wrongMethod = await login((await proofFor(holder, 'GET', '/token', { nonce })).proof);
    expect(await wrongMethod.json()).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringMatching(/htm/) });

    const plain = await it_.passwordLogin();
    expect(plain.token_type).toBe('Bearer');
    expect(decodePart(plain.access_token, 1).cnf).toBeUndefined();
  });

  it('is announced in discovery', async () => {
    const doc = (await (await fetch(it_.url('/.well-known/openid-configuration'))).json()) as Record<string, unknown>;
    expect(doc.dpop_signing_alg_values_supported).toContain('ES256');
  });
});

describe('protected resource', () => {
  it('wants the bound token as DPoP with a proof by its key: Bearer, a thief’s proof and a missing nonce are refused', async () => {
    const { body } = await boundLogin(holder);
    const token = body.access_token!;
    const get = (authorization: string, proof?: string) =>
      fetch(it_.url('/resource/me'), { headers: { Authorization: authorization, ...(proof !== undefined && { DPoP: proof }) } });

    const asBearer = await get(`Bearer ${token}`);
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP /);

    const noProof = await get(`DPoP ${token}`);
    expect(noProof.status).toBe(401);

    // The resource asks for its nonce first.
    const challenge = await get(`DPoP ${token}`, (await proofFor(holder, 'GET', '/resource/me', { accessToken: token })).proof);
    expect(challenge.status).toBe(401);
    expect(await challenge.json()).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = challenge.headers.get('dpop-nonce')!;

    // A stolen token with the thief's own key: the proof is fine, but not by the key the token is bound to.
    const stolen = await get(`DPoP ${token}`, (await proofFor(thief, 'GET', '/resource/me', { accessToken: token, nonce })).proof);
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringMatching(/cnf-jkt/) });

    const good = await get(`DPoP ${token}`, (await proofFor(holder, 'GET', '/resource/me', { accessToken: token, nonce })).proof);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ sub: 'alice', cnf: { jkt: holder.thumbprint } });
  });

  it('refuses an unbound token sent with the DPoP scheme, and introspection reports the binding', async () => {
    const plain = await it_.passwordLogin();
    const res = await fetch(it_.url('/resource/me'), { headers: { Authorization: `DPoP ${plain.access_token}` } });
    expect(res.status).toBe(401);

    const { body } = await boundLogin(holder);
    const intro = await it_.form('/introspect', { token: body.access_token! }, { Authorization: it_.basic });
    expect(await intro.json()).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: holder.thumbprint } });
  });
});
