// DPoP proofs (RFC 9449): createDpopProof → verifyDpopProof round trips, and every §4.3 check failing on its own
// on proofs made with node:crypto (never by the code under test).
import crypto, { type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import {
  DEFAULT_DPOP_MAX_AGE,
  DPOP_IAT_SKEW,
  DpopError,
  checkDpopProof,
  createDpopProof,
  normalizeHtu,
  verifyDpopProof,
  type DpopCheckOptions,
  type DpopCheckResult,
} from '../../shared/core/dpop';
import { prepareKeys, type PreparedKey } from '../../shared/core/keys';
import { b64u, nodeToken, pem, type Alg } from './crypto-fixtures';

const NOW = 1_700_000_000;
const HTM = 'POST';
const HTU = 'https://server.example.com/token';

interface Pair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

let p256: Pair;
let ed25519: Pair;
let rsa: Pair;
let other: Pair;
beforeAll(() => {
  p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  ed25519 = crypto.generateKeyPairSync('ed25519');
  rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
});

/** The public JWK of a key, as node:crypto exports it. */
function publicJwk(key: KeyObject): Record<string, string> {
  return key.export({ format: 'jwk' }) as Record<string, string>;
}

/** RFC 7638 thumbprint computed here, independently: SHA-256 of the required members in lexicographic order. */
function thumbprint(key: KeyObject): string {
  const jwk = publicJwk(key);
  const required = jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'OKP' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n'];
  const json = `{${required.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return b64u(crypto.createHash('sha256').update(json).digest());
}

const sha256b64u = (text: string): string => b64u(crypto.createHash('sha256').update(text).digest());

/** A proof signed by node:crypto with P-256; header and claims may be changed or removed (undefined). */
function nodeProof(headerChanges: Record<string, unknown> = {}, claimChanges: Record<string, unknown> = {}, signer: Pair = p256, alg: Alg = 'ES256'): string {
  const header = { typ: 'dpop+jwt', alg, jwk: publicJwk(signer.publicKey), ...headerChanges };
  const claims = { jti: 'e1j3V_bKic8-LAEB', htm: HTM, htu: HTU, iat: NOW, ...claimChanges };
  return nodeToken(alg, signer.privateKey, JSON.parse(JSON.stringify(header)) as object, JSON.parse(JSON.stringify(claims)) as object);
}

const OPTIONS: DpopCheckOptions = { htm: HTM, htu: HTU, now: NOW };

function failed(result: DpopCheckResult): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => c.check);
}

async function privateKey(pair: Pair): Promise<PreparedKey> {
  return (await prepareKeys({ type: 'pem', value: pem(pair.privateKey, 'pkcs8') })).keys[0] as PreparedKey;
}

describe('createDpopProof → verifyDpopProof', () => {
  it.each([
    ['ES256', () => p256],
    ['EdDSA', () => ed25519],
    ['RS256', () => rsa],
  ] as const)('round trips with %s', async (alg, pairOf) => {
    const pair = pairOf();
    const accessToken = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
    const made = await createDpopProof(await privateKey(pair), {
      htm: 'GET',
      htu: 'https://resource.example.org/protected?x=1#frag',
      accessToken,
      nonce: 'n-0S6_WzA2Mj',
      iat: NOW,
    });
    expect(made.alg).toBe(alg);
    expect(made.jkt).toBe(thumbprint(pair.publicKey));

    const decoded = decodeToken(made.proof);
    if (!decoded.ok) throw new Error('the proof does not decode');
    const { header, payload } = decoded.token;
    expect(header).toEqual({ typ: 'dpop+jwt', alg, jwk: publicJwk(pair.publicKey) });
    expect(JSON.stringify(header.jwk)).not.toMatch(/"d"/);
    const claims = payload as Record<string, unknown>;
    expect(claims).toMatchObject({ htm: 'GET', htu: 'https://resource.example.org/protected', iat: NOW, nonce: 'n-0S6_WzA2Mj' });
    expect(claims.ath).toBe(sha256b64u(accessToken));
    expect(typeof claims.jti).toBe('string');
    expect((claims.jti as string).length).toBeGreaterThanOrEqual(16);

    // The signature is checked by node:crypto too, not only by the code that made it.
    const [h, p, s] = made.proof.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    const data = Buffer.from(`${h}.${p}`);
    const ok =
      alg === 'ES256'
        ? crypto.verify('sha256', data, { key: pair.publicKey, dsaEncoding: 'ieee-p1363' }, sig)
        : crypto.verify(alg === 'EdDSA' ? null : 'sha256', data, pair.publicKey, sig);
    expect(ok).toBe(true);

    const result = await verifyDpopProof(made.proof, {
      htm: 'GET',
      htu: 'https://resource.example.org/protected',
      accessToken,
      nonce: 'n-0S6_WzA2Mj',
      now: NOW,
    });
    expect(failed(result)).toEqual([]);
    expect(result).toMatchObject({ valid: true, reason: null, jkt: thumbprint(pair.publicKey) });
    expect(result.checks.map((c) => c.check)).toEqual(['format', 'typ', 'alg', 'jwk', 'signature', 'htm', 'htu', 'iat', 'jti', 'ath', 'nonce']);
  });

  it('uses a fresh jti for each proof', async () => {
    const key = await privateKey(p256);
    const jti = async () => ((decodeToken((await createDpopProof(key, { htm: HTM, htu: HTU })).proof) as { token: { payload: { jti: string } } }).token.payload.jti);
    expect(await jti()).not.toBe(await jti());
  });

  it('refuses keys and requests that cannot make a proof', async () => {
    const publicOnly = (await prepareKeys({ type: 'pem', value: pem(p256.publicKey, 'spki') })).keys[0] as PreparedKey;
    const secret = (await prepareKeys({ type: 'secret', value: 'a'.repeat(40), encoding: 'utf8' })).keys[0] as PreparedKey;
    const key = await privateKey(p256);
    const code = async (make: () => Promise<unknown>) => make().then(() => 'no error', (e: unknown) => (e instanceof DpopError ? e.code : `other: ${String(e)}`));
    expect(await code(() => createDpopProof(publicOnly, { htm: HTM, htu: HTU }))).toBe('key-not-private');
    expect(await code(() => createDpopProof(secret, { htm: HTM, htu: HTU }))).toBe('key-not-asymmetric');
    expect(await code(() => createDpopProof(key, { htm: HTM, htu: 'not a url' }))).toBe('htu-invalid');
    expect(await code(() => createDpopProof(key, { htm: HTM, htu: 'ftp://example.com/x' }))).toBe('htu-invalid');
    expect(await code(() => createDpopProof(key, { htm: 'GET X', htu: HTU }))).toBe('htm-invalid');
    // jose will not sign with an RSA key under 2048 bits: a typed refusal, not a crash.
    const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(await code(async () => createDpopProof(await privateKey(small), { htm: HTM, htu: HTU }))).toBe('key-unusable');
  });
});

describe('checkDpopProof on proofs made with node:crypto', () => {
  it('accepts a well-formed proof, with every check passing', async () => {
    const accessToken = 'opaque-access-token';
    const proof = nodeProof({}, { ath: sha256b64u(accessToken), nonce: 'srv-nonce' });
    const result = await verifyDpopProof(proof, { ...OPTIONS, accessToken, nonce: 'srv-nonce' });
    expect(failed(result)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.jkt).toBe(thumbprint(p256.publicKey));
  });

  it('accepts an EdDSA proof and an RS256 proof made by node:crypto', async () => {
    expect(failed(await verifyDpopProof(nodeProof({}, {}, ed25519, 'EdDSA'), OPTIONS))).toEqual([]);
    expect(failed(await verifyDpopProof(nodeProof({}, {}, rsa, 'RS256'), OPTIONS))).toEqual([]);
  });

  it('takes a decoded proof (the debugger entry point)', async () => {
    const decoded = decodeToken(nodeProof({}, { htm: 'DELETE' }));
    if (!decoded.ok) throw new Error('does not decode');
    const result = await checkDpopProof(decoded.token, OPTIONS);
    expect(result).toMatchObject({ valid: false, reason: 'htm' });
  });

  const cases: [string, () => string, Partial<DpopCheckOptions>, string[]][] = [
    ['typ is not dpop+jwt', () => nodeProof({ typ: 'JWT' }), {}, ['typ']],
    ['wrong htm', () => nodeProof(), { htm: 'GET' }, ['htm']],
    ['htm differs in case (methods are case-sensitive)', () => nodeProof({}, { htm: 'post' }), {}, ['htm']],
    ['htu with a different path', () => nodeProof(), { htu: 'https://server.example.com/other' }, ['htu']],
    ['htu on another port', () => nodeProof(), { htu: 'https://server.example.com:8443/token' }, ['htu']],
    ['htu on another scheme', () => nodeProof(), { htu: 'http://server.example.com/token' }, ['htu']],
    ['iat too old', () => nodeProof(), { now: NOW + DEFAULT_DPOP_MAX_AGE + 1 }, ['iat']],
    ['iat too old for --max-age', () => nodeProof(), { now: NOW + 61, maxAge: 60 }, ['iat']],
    ['iat in the future', () => nodeProof(), { now: NOW - DPOP_IAT_SKEW - 1 }, ['iat']],
    ['iat not a number', () => nodeProof({}, { iat: '1700000000' }), {}, ['iat']],
    ['missing jti', () => nodeProof({}, { jti: undefined }), {}, ['jti']],
    ['empty jti', () => nodeProof({}, { jti: '' }), {}, ['jti']],
    ['wrong ath', () => nodeProof({}, { ath: sha256b64u('another token') }), { accessToken: 'the token' }, ['ath']],
    ['missing ath with an access token', () => nodeProof(), { accessToken: 'the token' }, ['ath']],
    ['wrong nonce', () => nodeProof({}, { nonce: 'old' }), { nonce: 'new' }, ['nonce']],
    ['missing nonce when one is required', () => nodeProof(), { nonce: 'new' }, ['nonce']],
    ['missing htm', () => nodeProof({}, { htm: undefined }), {}, ['htm']],
    ['missing htu', () => nodeProof({}, { htu: undefined }), {}, ['htu']],
  ];
  it.each(cases)('fails on its own: %s', async (_name, make, options, expected) => {
    const result = await verifyDpopProof(make(), { ...OPTIONS, ...options });
    expect(failed(result)).toEqual(expected);
    expect(result.valid).toBe(false);
    expect(result.reason).toBe(expected[0]);
  });

  it('reads typ as a media type: case-insensitive, "application/" optional (RFC 7515 §4.1.9)', async () => {
    expect(failed(await verifyDpopProof(nodeProof({ typ: 'DPoP+JWT' }), OPTIONS))).toEqual([]);
    expect(failed(await verifyDpopProof(nodeProof({ typ: 'application/dpop+jwt' }), OPTIONS))).toEqual([]);
    expect(failed(await verifyDpopProof(nodeProof({ typ: undefined }), OPTIONS))).toEqual(['typ']);
  });

  it('refuses a JWS JSON serialization (a proof is a compact JWT)', async () => {
    const [h, p, sig] = nodeProof().split('.') as [string, string, string];
    const result = await verifyDpopProof(JSON.stringify({ protected: h, payload: p, signature: sig }), OPTIONS);
    expect(failed(result)).toEqual(['format']);
  });

  it('accepts iat at the edges of the window', async () => {
    expect((await verifyDpopProof(nodeProof(), { ...OPTIONS, now: NOW + DEFAULT_DPOP_MAX_AGE })).valid).toBe(true);
    expect((await verifyDpopProof(nodeProof(), { ...OPTIONS, now: NOW - DPOP_IAT_SKEW })).valid).toBe(true);
  });

  it('refuses a jwk holding a private member, naming the member but not its value', async () => {
    const d = (p256.privateKey.export({ format: 'jwk' }) as { d: string }).d;
    const result = await verifyDpopProof(nodeProof({ jwk: { ...publicJwk(p256.publicKey), d } }), OPTIONS);
    expect(result.reason).toBe('jwk');
    expect(failed(result)).toEqual(['jwk', 'signature']);
    const message = result.checks.find((c) => c.check === 'jwk')?.message ?? '';
    expect(message).toMatch(/\bd\b/);
    expect(message).not.toContain(d);
    expect(result.jkt).toBeNull();
  });

  it('refuses alg HS256 (a MAC), even with a valid HMAC over the proof', async () => {
    const secret = crypto.randomBytes(32);
    const h = b64u(JSON.stringify({ typ: 'dpop+jwt', alg: 'HS256', jwk: publicJwk(p256.publicKey) }));
    const p = b64u(JSON.stringify({ jti: 'x1', htm: HTM, htu: HTU, iat: NOW }));
    const proof = `${h}.${p}.${b64u(crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest())}`;
    const result = await verifyDpopProof(proof, OPTIONS);
    expect(result.reason).toBe('alg');
    expect(failed(result)).toEqual(['alg', 'signature']);
  });

  it('refuses alg none', async () => {
    const h = b64u(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: publicJwk(p256.publicKey) }));
    const p = b64u(JSON.stringify({ jti: 'x1', htm: HTM, htu: HTU, iat: NOW }));
    const result = await verifyDpopProof(`${h}.${p}.`, OPTIONS);
    expect(result.reason).toBe('alg');
  });

  it('refuses a proof signed by another key than its jwk', async () => {
    const proof = nodeProof({ jwk: publicJwk(other.publicKey) });
    const result = await verifyDpopProof(proof, OPTIONS);
    expect(failed(result)).toEqual(['signature']);
    expect(result.jkt).toBe(thumbprint(other.publicKey));
  });

  it('refuses a jwk the alg cannot use (an EC key under EdDSA)', async () => {
    const proof = nodeProof({ jwk: publicJwk(p256.publicKey) }, {}, ed25519, 'EdDSA');
    expect((await verifyDpopProof(proof, OPTIONS)).reason).toBe('jwk');
  });

  it('refuses a proof without a jwk', async () => {
    const result = await verifyDpopProof(nodeProof({ jwk: undefined }), OPTIONS);
    expect(failed(result)).toEqual(['jwk', 'signature']);
  });

  it('checks cnf.jkt of a JWT access token against the proof key', async () => {
    const bound = (key: KeyObject) => nodeToken('ES256', other.privateKey, { typ: 'at+jwt' }, { sub: 'u', cnf: { jkt: thumbprint(key) } });
    const good = bound(p256.publicKey);
    const ok = await verifyDpopProof(nodeProof({}, { ath: sha256b64u(good) }), { ...OPTIONS, accessToken: good });
    expect(failed(ok)).toEqual([]);
    expect(ok.checks.map((c) => c.check)).toContain('cnf-jkt');

    const wrong = bound(other.publicKey);
    const bad = await verifyDpopProof(nodeProof({}, { ath: sha256b64u(wrong) }), { ...OPTIONS, accessToken: wrong });
    expect(failed(bad)).toEqual(['cnf-jkt']);
    expect(bad.reason).toBe('cnf-jkt');
  });

  it('says malformed-token with the decoder error code for a proof decode refuses', async () => {
    const result = await verifyDpopProof('not.a-token', OPTIONS);
    expect(result).toMatchObject({ valid: false, reason: 'malformed-token', jkt: null });
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]?.message).toMatch(/^segment-count: /);
  });

  it('refuses a proof whose payload is not a JSON object', async () => {
    const result = await verifyDpopProof(nodeProof().split('.')[0] + '.' + b64u('[1]') + '.' + nodeProof().split('.')[2], OPTIONS);
    expect(result.reason).toBe('format');
  });
});

describe('normalizeHtu (RFC 9449 §4.3, RFC 3986 §6)', () => {
  it.each([
    ['HTTPS://Example.COM:443/a', 'https://example.com/a'],
    ['http://example.com:80', 'http://example.com/'],
    ['https://example.com/a/./b/../c', 'https://example.com/a/c'],
    ['https://example.com/%7euser/%2f', 'https://example.com/~user/%2F'],
    ['https://example.com/a?q=1#f', 'https://example.com/a'],
  ])('%s is %s', (given, expected) => {
    expect(normalizeHtu(given)).toBe(expected);
    expect(normalizeHtu(expected)).toBe(expected);
  });

  it('keeps what differs: path case, a non-default port', () => {
    expect(normalizeHtu('https://example.com/A')).not.toBe(normalizeHtu('https://example.com/a'));
    expect(normalizeHtu('https://example.com:8443/a')).not.toBe(normalizeHtu('https://example.com/a'));
  });

  it('is null for what is not an http(s) URI', () => {
    expect(normalizeHtu('example.com/a')).toBeNull();
    expect(normalizeHtu('mailto:a@example.com')).toBeNull();
  });

  it('a proof for HTTPS://Example.COM:443/a verifies for https://example.com/a', async () => {
    const proof = nodeProof({}, { htu: 'HTTPS://Example.COM:443/a' });
    expect(failed(await verifyDpopProof(proof, { ...OPTIONS, htu: 'https://example.com/a?x=y' }))).toEqual([]);
  });
});
