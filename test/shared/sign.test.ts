import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareKeys, type KeyInput } from '../../shared/core/keys';
import { SignError, signToken, type SignRequest } from '../../shared/core/sign';
import { verifyToken } from '../../shared/core/verify';
import { ALL_ALGS, fixtureJson, fixtureText, jwkOf, makeKeys, pem, type Alg } from './crypto-fixtures';

const keys = makeKeys();

async function signError(request: SignRequest): Promise<SignError> {
  const error = await signToken(request).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignError);
  return error as SignError;
}

/** The private key a signer is given, and the public key a verifier is given, per alg. */
function keysFor(alg: Alg): { sign: KeyInput; verify: KeyInput; publicKey: crypto.KeyObject | Buffer } {
  if (alg.startsWith('HS')) {
    const value = keys.secret.toString('base64');
    return { sign: { type: 'secret', value, encoding: 'base64' }, verify: { type: 'secret', value, encoding: 'base64' }, publicKey: keys.secret };
  }
  const pair = alg.startsWith('RS') || alg.startsWith('PS') ? keys.rsa : alg === 'ES256' ? keys.p256 : alg === 'ES384' ? keys.p384 : alg === 'ES512' ? keys.p521 : keys.ed25519;
  return { sign: { type: 'pem', value: pem(pair.privateKey, 'pkcs8') }, verify: { type: 'pem', value: pem(pair.publicKey, 'spki') }, publicKey: pair.publicKey };
}

/** Independent check with node:crypto of a compact JWS's signature. */
function nodeVerifies(token: string, alg: Alg, key: crypto.KeyObject | Buffer): boolean {
  const dot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('HS')) return crypto.createHmac(hash, key as Buffer).update(input).digest().equals(signature);
  if (alg.startsWith('RS')) return crypto.verify(hash, input, key as crypto.KeyObject, signature);
  if (alg.startsWith('PS')) {
    return crypto.verify(hash, input, { key: key as crypto.KeyObject, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, signature);
  }
  if (alg.startsWith('ES')) return crypto.verify(hash, input, { key: key as crypto.KeyObject, dsaEncoding: 'ieee-p1363' }, signature);
  return crypto.verify(null, input, key as crypto.KeyObject, signature);
}

const segments = (token: string) => token.split('.').map((s) => Buffer.from(s, 'base64url').toString('utf8'));

describe('RFC vectors reproduced exactly', () => {
  const a = fixtureJson('rfc7515/appendix-a.json');

  it('RFC 7515 A.1 (HS256, header with CR LF) gives the RFC token byte for byte', async () => {
    const result = await signToken({ headerText: a['A.1'].headerText, payloadText: a.payloadText, key: { type: 'jwk', value: JSON.stringify(a['A.1'].jwk) } });
    expect(result.token).toBe(a['A.1'].token);
    expect(result.warnings).toEqual([]);
  });

  it('RFC 7515 A.2 (RS256 is deterministic) gives the RFC token', async () => {
    const result = await signToken({ headerText: a['A.2'].headerText, payloadText: a.payloadText, key: { type: 'jwk', value: JSON.stringify(a['A.2'].jwk) } });
    expect(result.token).toBe(a['A.2'].token);
  });

  it('RFC 8037 A.4 (Ed25519 is deterministic) gives the RFC token', async () => {
    const v = fixtureJson('rfc8037/appendix-a.json');
    const result = await signToken({ headerText: v.headerText, payloadText: v.payloadText, key: { type: 'jwk', value: JSON.stringify(v.privateJwk) } });
    expect(result.token).toBe(v.token);
    expect(result.warnings).toEqual(['the payload is not JSON: the token is a JWS, but not a JWT']);
  });

  it.each(['A.3', 'A.4'])('RFC 7515 %s (ECDSA is randomized): same signing input, a signature the RFC key verifies', async (section) => {
    const v = a[section];
    const payloadText = v.payloadText ?? a.payloadText;
    const result = await signToken({ headerText: v.headerText, payloadText, key: { type: 'jwk', value: JSON.stringify(v.jwk) } });
    const [h, p] = v.token.split('.');
    expect(result.token.startsWith(`${h}.${p}.`)).toBe(true);
    expect(nodeVerifies(result.token, v.alg, crypto.createPublicKey({ key: v.jwk, format: 'jwk' }))).toBe(true);
  });
});

describe('sign → verify round trips', () => {
  it.each(ALL_ALGS)('%s', async (alg) => {
    const k = keysFor(alg);
    const headerText = `{ "alg": "${alg}", "typ": "JWT" }`;
    const payloadText = '{"sub":"alice","exp":4100000000}';
    const result = await signToken({ headerText, payloadText, key: k.sign });
    expect(result.alg).toBe(alg);
    expect(nodeVerifies(result.token, alg, k.publicKey)).toBe(true);
    const verified = await verifyToken(result.token, k.verify);
    expect([verified.valid, verified.ok, verified.alg]).toEqual([true, true, alg]);
  });

  it('every private key form signs', async () => {
    const forms: [KeyInput, Alg][] = [
      [{ type: 'pem', value: pem(keys.rsa.privateKey, 'pkcs1') }, 'RS384'],
      [{ type: 'pem', value: pem(keys.p256.privateKey, 'sec1') }, 'ES256'],
      [{ type: 'jwk', value: jwkOf(keys.p521.privateKey) }, 'ES512'],
      [{ type: 'jwks', value: JSON.stringify({ keys: [JSON.parse(jwkOf(keys.ed25519.privateKey, { kid: 'ed' }))] }) }, 'Ed25519'],
      [{ type: 'secret', value: 'a'.repeat(64), encoding: 'utf8' }, 'HS512'],
    ];
    for (const [key, alg] of forms) {
      const result = await signToken({ headerText: JSON.stringify({ alg }), payloadText: '{}', key });
      const verified = await verifyToken(result.token, key);
      expect(verified.valid, `${alg}: ${verified.message}`).toBe(true);
    }
  });
});

describe('exact bytes', () => {
  it('keeps whitespace, member order, escapes and non-ASCII text exactly as typed', async () => {
    const headerText = '{\n  "typ" : "JWT",\n  "alg":"HS256"\n}';
    const payloadText = '{ "z": 1, "a": "caf\\u00e9 ☕", "n": 1.50 }\n';
    const result = await signToken({ headerText, payloadText, key: keysFor('HS256').sign });
    const [h, p] = segments(result.token);
    expect([h, p]).toEqual([headerText, payloadText]);
    expect(result.headerText).toBe(headerText);
  });

  it('fills in a missing alg at the start of the header, keeps the rest, and says so', async () => {
    const headerText = '{ "typ": "JWT",\n  "kid": "k1" }';
    const result = await signToken({ headerText, payloadText: '{}', key: keysFor('ES384').sign, alg: 'ES384' });
    expect(result.headerText).toBe('{"alg":"ES384", "typ": "JWT",\n  "kid": "k1" }');
    expect(segments(result.token)[0]).toBe(result.headerText);
    expect(result.warnings).toContain('the header had no alg: added "alg":"ES384" at its start; the rest is as typed');
    expect((await verifyToken(result.token, keysFor('ES384').verify)).valid).toBe(true);
  });

  it('without any alg, the key supplies its first algorithm', async () => {
    const result = await signToken({ headerText: '{}', payloadText: '{}', key: keysFor('EdDSA').sign });
    expect(result.alg).toBe('EdDSA');
    expect(result.headerText).toBe('{"alg":"EdDSA"}');
    expect(result.warnings[0]).toMatch(/\(the key's default\)/);
  });

  it('RFC 7797 b64:false puts the payload in as is', async () => {
    const headerText = '{"alg":"HS256","b64":false,"crit":["b64"]}';
    const result = await signToken({ headerText, payloadText: '$02', key: keysFor('HS256').sign });
    expect(result.token.split('.')[1]).toBe('$02');
    expect((await verifyToken(result.token, keysFor('HS256').verify)).valid).toBe(true);
    expect((await signError({ headerText, payloadText: '$.02', key: keysFor('HS256').sign })).code).toBe('payload-invalid');
  });
});

describe('disagreements and refusals', () => {
  it('refuses a key that cannot make the header alg', async () => {
    const rsa = keysFor('RS256').sign;
    const e = await signError({ headerText: '{"alg":"HS256"}', payloadText: '{}', key: rsa });
    expect(e.code).toBe('key-type-mismatch');
    expect(e.message).toMatch(/^HS256 needs a shared secret; the key is an RSA key \(to use the key text itself as an HMAC secret, pass it as a secret/);
    expect((await signError({ headerText: '{"alg":"ES384"}', payloadText: '{}', key: keysFor('ES256').sign })).message).toBe('ES384 needs a P-384 EC key; the key is a P-256 EC key');
    expect((await signError({ headerText: '{"alg":"EdDSA"}', payloadText: '{}', key: keysFor('HS256').sign })).code).toBe('key-type-mismatch');
  });

  it('refuses public keys and certificates', async () => {
    expect(await signError({ headerText: '{"alg":"RS256"}', payloadText: '{}', key: keysFor('RS256').verify })).toMatchObject({ code: 'key-not-private', message: 'a public key cannot sign: give the private key' });
    const cert = { type: 'pem', value: fixtureText('keys/rsa-cert.pem') } as const;
    expect((await signError({ headerText: '{"alg":"RS256"}', payloadText: '{}', key: cert })).message).toBe('a certificate cannot sign: give the private key');
  });

  it('signs text as typed even when decode would refuse the token, and says why', async () => {
    const hs = keysFor('HS256').sign;
    const dup = await signToken({ headerText: '{"alg":"HS256","alg":"HS256"}', payloadText: '{}', key: hs });
    expect(dup.warnings).toContainEqual(expect.stringMatching(/^decode refuses the token this makes \(duplicate-member\): The header has the member "alg" twice/));
    expect((await verifyToken(dup.token, hs)).reason).toBe('malformed-token');
    const deep = await signToken({ headerText: '{"alg":"none"}', payloadText: `${'['.repeat(1001)}${']'.repeat(1001)}` });
    expect(deep.warnings).toContainEqual(expect.stringMatching(/^decode refuses the token this makes \(json-too-deep\)/));
    const fine = await signToken({ headerText: '{"alg":"HS256"}', payloadText: '{"sub":"x"}', key: hs });
    expect(fine.warnings.filter((w) => w.startsWith('decode refuses'))).toEqual([]);
  });

  it('warns when the key policy disagrees with the header, but signs', async () => {
    const jwk = { type: 'jwk', value: jwkOf(keys.rsa.privateKey, { alg: 'RS256', kid: 'r1' }) } as const;
    const result = await signToken({ headerText: '{"alg":"PS256","kid":"other"}', payloadText: '{}', key: jwk });
    expect(result.warnings).toEqual([
      "the key's JWK alg is RS256, but the header says PS256: a verifier that honours the key's policy will reject this token",
      'the header\'s kid "other" differs from the signing key\'s kid "r1"',
    ]);
    expect((await verifyToken(result.token, jwk)).reason).toBe('alg-not-allowed');
    expect((await verifyToken(result.token, keysFor('PS256').verify)).valid).toBe(true);
  });

  it('warns about key-policy problems and a non-JWT payload', async () => {
    const short = await signToken({ headerText: '{"alg":"HS256"}', payloadText: 'hello', key: { type: 'secret', value: 'secret', encoding: 'utf8' } });
    expect(short.warnings).toEqual([
      'hmac-secret-short: the secret is 6 bytes; HS256 needs at least 32 (RFC 7518 §3.2)',
      'the payload is not JSON: the token is a JWS, but not a JWT',
    ]);
    const weak = await signToken({ headerText: '{"alg":"RS256"}', payloadText: '[1]', key: { type: 'pem', value: pem(keys.rsaWeak.privateKey, 'pkcs1') } });
    expect(weak.warnings.map((w) => w.split(':')[0])).toEqual(['rsa-key-small', 'rsa-exponent-weak', 'the payload is JSON but not an object']);
  });

  it('picks the signing key of a JWKS by the header kid', async () => {
    const set = { keys: [JSON.parse(jwkOf(keys.p256.privateKey, { kid: 'one' })), JSON.parse(jwkOf(keys.rsa.privateKey, { kid: 'two' })), JSON.parse(jwkOf(keys.rsaOther.privateKey, { kid: 'three' }))] };
    const result = await signToken({ headerText: '{"alg":"RS256","kid":"three"}', payloadText: '{}', key: { type: 'jwks', value: JSON.stringify(set) } });
    expect(result.kid).toBe('three');
    expect(nodeVerifies(result.token, 'RS256', keys.rsaOther.publicKey)).toBe(true);
  });

  it.each([
    [{ headerText: '{"alg":', payloadText: '{}' }, 'header-invalid', /^the header is not JSON: /],
    [{ headerText: '"HS256"', payloadText: '{}' }, 'header-invalid', /^the header must be a JSON object$/],
    [{ headerText: '{"alg":256}', payloadText: '{}' }, 'header-invalid', /alg must be a string/],
    [{ headerText: '{"alg":"HS256"}', payloadText: '{}', alg: 'HS384' }, 'alg-conflict', /header says alg HS256 but HS384 was requested/],
    [{ headerText: '{"alg":"hs256"}', payloadText: '{}' }, 'unsupported-alg', /\(did you mean HS256\?\)/],
    [{ headerText: '{"alg":"HS256"}', payloadText: '{}', key: undefined }, 'key-missing', /a key is needed/],
    [{ headerText: '{"alg":"HS256"}', payloadText: '{}', key: { type: 'secret', value: 'zz', encoding: 'hex' } }, 'invalid-key', /^secret-encoding: not valid hex at position 0/],
  ] as const)('%j → %s', async (request, code, message) => {
    const e = await signError({ key: keysFor('HS256').sign, ...request } as SignRequest);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

describe('alg none', () => {
  it('makes an unsecured token only when asked, and it never verifies', async () => {
    const result = await signToken({ headerText: '{"alg":"none"}', payloadText: '{"sub":"x"}' });
    expect(result.token).toBe(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`);
    expect(result.warnings[0]).toMatch(/unsecured/);
    expect((await verifyToken(result.token, keysFor('HS256').verify)).reason).toBe('alg-none');
  });

  it('says the key was not used, and fills in alg none when requested', async () => {
    const result = await signToken({ headerText: '{"typ":"JWT"}', payloadText: '{}', key: keysFor('HS256').sign, alg: 'none' });
    expect(result.headerText).toBe('{"alg":"none","typ":"JWT"}');
    expect(result.warnings).toContain('the key was not used: alg "none" has no signature');
    expect(result.token.endsWith('.')).toBe(true);
  });

  it('a prepared key can sign repeatedly', async () => {
    const prepared = await prepareKeys(keysFor('ES256').sign);
    const a = await signToken({ headerText: '{"alg":"ES256"}', payloadText: '{"n":1}', key: prepared });
    const b = await signToken({ headerText: '{"alg":"ES256"}', payloadText: '{"n":2}', key: prepared });
    expect((await verifyToken(a.token, prepared)).valid && (await verifyToken(b.token, prepared)).valid).toBe(true);
  });
});
