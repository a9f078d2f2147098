import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  KeyError,
  MAX_JWKS_KEYS,
  MAX_KEY_TEXT_CHARS,
  decodeSecret,
  isPreparedKeys,
  keyAlgorithms,
  keyMaterial,
  keyPolicyWarnings,
  prepareKeys,
  type KeyInput,
  type PreparedKey,
  type PreparedKeys,
} from '../../shared/core/keys';
import { hasRocaFingerprint } from '../../shared/core/roca';
import {
  certificateSpki,
  parsePemBlocks,
  pkcs1PrivateToPkcs8,
  pkcs1PublicToSpki,
  sec1ToPkcs8,
} from '../../shared/core/pem';
import { fixtureJson, fixtureText, jwkOf, makeKeys, pem } from './crypto-fixtures';

const keys = makeKeys();

const der = (text: string) => parsePemBlocks(text)[0]!.der;

async function keyError(input: KeyInput, options?: { pssOnly?: boolean }): Promise<KeyError> {
  const error = await prepareKeys(input, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyError);
  return error as KeyError;
}

/** RFC 7638 §3 computed independently: SHA-256 over the required members in lexicographic order. */
function thumbprint(members: Record<string, string>): string {
  const json = JSON.stringify(Object.fromEntries(Object.keys(members).sort().map((k) => [k, members[k]])));
  return crypto.createHash('sha256').update(json).digest('base64url');
}

describe('secrets', () => {
  const bytes = Buffer.from('a 32-byte secret for HS256 tests!');
  it.each([
    ['utf8', bytes.toString('utf8')],
    ['hex', bytes.toString('hex')],
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
  ] as const)('%s decodes to the same bytes and the same key', async (encoding, value) => {
    expect(Buffer.from(decodeSecret(value, encoding))).toEqual(bytes);
    const prepared = await prepareKeys({ type: 'secret', value, encoding });
    expect(prepared.source).toBe('secret');
    const [key] = prepared.keys;
    expect(key).toMatchObject({ kty: 'oct', type: 'secret', bits: bytes.length * 8, algorithms: ['HS256', 'HS384', 'HS512'] });
    expect(key!.thumbprint).toBe(thumbprint({ kty: 'oct', k: bytes.toString('base64url') }));
  });

  it('accepts padded base64 and url-safe characters in base64', () => {
    expect(Buffer.from(decodeSecret('/+8=', 'base64'))).toEqual(Buffer.from([0xff, 0xef]));
    expect(Buffer.from(decodeSecret('_-8', 'base64'))).toEqual(Buffer.from([0xff, 0xef]));
    expect(Buffer.from(decodeSecret('_-8=', 'base64url'))).toEqual(Buffer.from([0xff, 0xef]));
  });

  it('says where a hex secret goes wrong', async () => {
    const e = await keyError({ type: 'secret', value: 'deadbeeg00', encoding: 'hex' });
    expect(e.code).toBe('secret-encoding');
    expect(e.message).toBe('not valid hex at position 7 ("g")');
    expect(e.offset).toBe(7);
    const odd = await keyError({ type: 'secret', value: 'abc', encoding: 'hex' });
    expect(odd.message).toBe('hex needs an even number of digits; got 3');
  });

  it('says where base64 goes wrong, and points base64url users at base64', async () => {
    const e = await keyError({ type: 'secret', value: 'abc$def', encoding: 'base64' });
    expect([e.code, e.message, e.offset]).toEqual(['secret-encoding', 'not valid base64 at position 3 ("$")', 3]);
    const url = await keyError({ type: 'secret', value: 'ab+d', encoding: 'base64url' });
    expect(url.message).toBe('not valid base64url at position 2 ("+") (that is standard base64: use the base64 encoding)');
    const short = await keyError({ type: 'secret', value: 'abcde', encoding: 'base64' });
    expect(short.message).toBe('base64 text of length 5 is truncated');
  });

  it('rejects an empty secret and an unknown encoding', async () => {
    expect((await keyError({ type: 'secret', value: '', encoding: 'utf8' })).code).toBe('secret-empty');
    expect((await keyError({ type: 'secret', value: '==', encoding: 'base64' })).code).toBe('secret-empty');
    const e = await keyError({ type: 'secret', value: 'x', encoding: 'latin1' as never });
    expect([e.code, e.message]).toEqual(['secret-encoding', 'unknown secret encoding "latin1" (use utf8, base64, base64url or hex)']);
  });
});

describe('PEM: ASN.1 wrapping matches node:crypto byte for byte', () => {
  it('PKCS#1 RSA public → SPKI', () => {
    const spki = keys.rsa.publicKey.export({ type: 'spki', format: 'der' });
    const pkcs1 = keys.rsa.publicKey.export({ type: 'pkcs1', format: 'der' });
    expect(Buffer.from(pkcs1PublicToSpki(pkcs1))).toEqual(spki);
  });

  it('PKCS#1 RSA private → PKCS#8', () => {
    const pkcs8 = keys.rsa.privateKey.export({ type: 'pkcs8', format: 'der' });
    const pkcs1 = keys.rsa.privateKey.export({ type: 'pkcs1', format: 'der' });
    expect(Buffer.from(pkcs1PrivateToPkcs8(pkcs1))).toEqual(pkcs8);
  });

  it.each(['p256', 'p384', 'p521'] as const)('SEC1 EC private → PKCS#8 (%s)', (name) => {
    const k = keys[name].privateKey;
    const pkcs8 = k.export({ type: 'pkcs8', format: 'der' });
    const sec1 = k.export({ type: 'sec1', format: 'der' });
    expect(Buffer.from(sec1ToPkcs8(sec1))).toEqual(pkcs8);
  });

  it.each(['rsa-cert.pem', 'ec-cert.pem', 'ed25519-cert.pem'])('certificate SPKI of %s', (file) => {
    const text = fixtureText(`keys/${file}`);
    const expected = new crypto.X509Certificate(text).publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(certificateSpki(der(text)))).toEqual(expected);
  });

  it('rejects structures that are not what they claim', () => {
    expect(() => pkcs1PublicToSpki(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toThrow('RSAPublicKey has 1 fields, expected 2');
    expect(() => sec1ToPkcs8(Uint8Array.of(0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x00))).toThrow('no curve parameters');
    expect(() => pkcs1PublicToSpki(Uint8Array.of(0x30, 0x82, 0x01))).toThrow(/DER ends early|runs past/);
  });
});

describe('PEM keys', () => {
  const rsaPublicJwk = keys.rsa.publicKey.export({ format: 'jwk' });

  it.each([
    ['SPKI', () => pem(keys.rsa.publicKey, 'spki'), 'public'],
    ['PKCS#1 public', () => pem(keys.rsa.publicKey, 'pkcs1'), 'public'],
    ['PKCS#8 private', () => pem(keys.rsa.privateKey, 'pkcs8'), 'private'],
    ['PKCS#1 private', () => pem(keys.rsa.privateKey, 'pkcs1'), 'private'],
  ] as const)('RSA %s', async (_, text, type) => {
    const prepared = await prepareKeys({ type: 'pem', value: text() });
    expect(prepared.source).toBe('pem');
    const [key] = prepared.keys;
    expect(key).toMatchObject({ kty: 'RSA', type, bits: 2048, rsaExponent: 65537, crv: null, kid: null, index: null });
    expect(key!.algorithms).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    // A private key yields its public half for verification.
    expect(key!.publicJwk).toEqual({ kty: 'RSA', n: rsaPublicJwk.n, e: rsaPublicJwk.e });
    expect(key!.thumbprint).toBe(thumbprint({ kty: 'RSA', n: rsaPublicJwk.n!, e: rsaPublicJwk.e! }));
    expect(keyMaterial(key!).privateJwk === null).toBe(type === 'public');
  });

  it.each([
    ['p256', 'P-256', ['ES256'], 256],
    ['p384', 'P-384', ['ES384'], 384],
    ['p521', 'P-521', ['ES512'], 521],
  ] as const)('EC %s: SPKI, PKCS#8 and SEC1 give the same key', async (name, crv, algorithms, bits) => {
    const pair = keys[name];
    const jwk = pair.publicKey.export({ format: 'jwk' });
    for (const text of [pem(pair.publicKey, 'spki'), pem(pair.privateKey, 'pkcs8'), pem(pair.privateKey, 'sec1')]) {
      const [key] = (await prepareKeys({ type: 'pem', value: text })).keys;
      expect(key).toMatchObject({ kty: 'EC', crv, algorithms, bits });
      expect(key!.publicJwk).toEqual({ kty: 'EC', crv, x: jwk.x, y: jwk.y });
    }
  });

  it('Ed25519 SPKI and PKCS#8', async () => {
    const jwk = keys.ed25519.publicKey.export({ format: 'jwk' });
    for (const text of [pem(keys.ed25519.publicKey, 'spki'), pem(keys.ed25519.privateKey, 'pkcs8')]) {
      const [key] = (await prepareKeys({ type: 'pem', value: text })).keys;
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', algorithms: ['EdDSA', 'Ed25519'] });
      expect(key!.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
    }
  });

  it.each([
    ['rsa-cert.pem', 'RSA', ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']],
    ['ec-cert.pem', 'EC', ['ES256']],
    ['ed25519-cert.pem', 'OKP', ['EdDSA', 'Ed25519']],
  ] as const)('X.509 certificate %s yields its public key', async (file, kty, algorithms) => {
    const text = fixtureText(`keys/${file}`);
    const prepared = await prepareKeys({ type: 'pem', value: text });
    expect(prepared.source).toBe('certificate');
    expect(prepared.keys[0]).toMatchObject({ kty, type: 'public', algorithms });
    const expected = new crypto.X509Certificate(text).publicKey.export({ format: 'jwk' });
    expect(prepared.keys[0]!.publicJwk).toMatchObject(expected);
  });

  it('skips the EC PARAMETERS block openssl ecparam -genkey writes first', async () => {
    const [key] = (await prepareKeys({ type: 'pem', value: fixtureText('keys/ec-params-and-key.pem') })).keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', type: 'private' });
  });

  it('an id-RSASSA-PSS key allows PS* only', async () => {
    for (const file of ['rsa-pss.key.pem', 'rsa-pss.pub.pem']) {
      const [key] = (await prepareKeys({ type: 'pem', value: fixtureText(`keys/${file}`) })).keys;
      expect(key).toMatchObject({ kty: 'RSA', algorithms: ['PS256', 'PS384', 'PS512'] });
      expect(keyMaterial(key!).pssOnly).toBe(true);
    }
  });

  it('names a PEM block that is not a key', async () => {
    const e = await keyError({ type: 'pem', value: fixtureText('keys/csr.pem') });
    expect([e.code, e.message]).toEqual(['pem-unsupported', 'PEM block type CERTIFICATE REQUEST is not a key']);
  });

  it('refuses encrypted private keys with a way out', async () => {
    for (const file of ['rsa-encrypted-pkcs8.pem', 'rsa-encrypted-legacy.pem']) {
      const e = await keyError({ type: 'pem', value: fixtureText(`keys/${file}`) });
      expect(e.code).toBe('pem-encrypted');
      expect(e.message).toMatch(/is encrypted; decrypt it first/);
    }
  });

  it('reports broken PEM and DER', async () => {
    expect((await keyError({ type: 'pem', value: 'no pem here' })).code).toBe('pem-invalid');
    const mismatch = await keyError({ type: 'pem', value: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' });
    expect([mismatch.code, mismatch.message]).toEqual(['pem-invalid', 'PEM block BEGIN PUBLIC KEY ends with END PRIVATE KEY']);
    const badBase64 = await keyError({ type: 'pem', value: '-----BEGIN PUBLIC KEY-----\nAA*A\n-----END PUBLIC KEY-----\n' });
    expect([badBase64.code, badBase64.message]).toEqual(['pem-invalid', 'PEM block PUBLIC KEY is not valid base64 (character "*")']);
    const spki = pem(keys.p256.publicKey, 'spki').split('\n');
    spki.splice(2, 1); // drop a line of the body: the DER no longer adds up
    const truncated = await keyError({ type: 'pem', value: spki.join('\n') });
    expect(truncated.code).toBe('pem-invalid');
    expect(truncated.message).toMatch(/^the PUBLIC KEY is not valid DER: /);
  });

  it('names key types that JWS cannot use', async () => {
    const ed448 = crypto.generateKeyPairSync('ed448').publicKey;
    expect(await keyError({ type: 'pem', value: pem(ed448, 'spki') })).toMatchObject({ code: 'key-unsupported', message: 'Ed448 keys are not supported (EdDSA here means Ed25519)' });
    const x25519 = crypto.generateKeyPairSync('x25519').publicKey;
    expect(await keyError({ type: 'pem', value: pem(x25519, 'spki') })).toMatchObject({ code: 'key-not-for-signing' });
    const k1 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
    expect(await keyError({ type: 'pem', value: pem(k1, 'spki') })).toMatchObject({ code: 'key-unsupported', message: 'EC curve secp256k1 (ES256K) is not supported' });
  });
});

describe('JWK', () => {
  it('reads each key type, public and private', async () => {
    const cases = [
      [keys.rsa.publicKey, 'RSA', 'public'],
      [keys.rsa.privateKey, 'RSA', 'private'],
      [keys.p384.publicKey, 'EC', 'public'],
      [keys.p384.privateKey, 'EC', 'private'],
      [keys.ed25519.privateKey, 'OKP', 'private'],
    ] as const;
    for (const [k, kty, type] of cases) {
      const prepared = await prepareKeys({ type: 'jwk', value: jwkOf(k, { kid: 'k1', use: 'sig' }) });
      expect(prepared.source).toBe('jwk');
      expect(prepared.keys[0]).toMatchObject({ kty, type, kid: 'k1', use: 'sig', index: null });
      expect(JSON.stringify(prepared)).not.toMatch(/"d"|"p"|"q"|"dp"|"dq"|"qi"/);
    }
    const oct = await prepareKeys({ type: 'jwk', value: JSON.stringify({ kty: 'oct', k: 'c2VjcmV0', alg: 'HS384' }) });
    expect(oct.keys[0]).toMatchObject({ kty: 'oct', type: 'secret', alg: 'HS384', algorithms: ['HS384'], bits: 48 });
  });

  it('a JWK alg narrows the key to that algorithm', async () => {
    const [key] = (await prepareKeys({ type: 'jwk', value: jwkOf(keys.rsa.publicKey, { alg: 'PS384' }) })).keys;
    expect(key).toMatchObject({ alg: 'PS384', algorithms: ['PS384'] });
  });

  it.each([
    [{ kty: 'EC', x: 'AA', y: 'AA' }, 'jwk-invalid', 'JWK has kty EC but no crv'],
    [{ crv: 'P-256' }, 'jwk-invalid', 'JWK has no kty'],
    [{ kty: 'RSA', e: 'AQAB' }, 'jwk-invalid', 'JWK has kty RSA but no n'],
    [{ kty: 'RSA', n: 'ab+c', e: 'AQAB' }, 'jwk-invalid', 'JWK member n is not base64url: invalid character "+" at position 2'],
    [{ kty: 'oct', k: '' }, 'jwk-invalid', 'JWK has an empty k'],
    [{ kty: 'oct', k: 'c2VjcmV0', use: 'enc' }, 'key-not-for-signing', 'JWK has use "enc": not a signature key'],
    [{ kty: 'oct', k: 'c2VjcmV0', alg: 'A256KW' }, 'key-not-for-signing', 'JWK has alg A256KW, an encryption algorithm'],
    [{ kty: 'oct', k: 'c2VjcmV0', alg: 'RS256' }, 'jwk-invalid', 'JWK alg RS256 does not fit kty oct (RS256 needs an RSA key)'],
    [{ kty: 'oct', k: 'c2VjcmV0', key_ops: ['encrypt'] }, 'key-not-for-signing', 'JWK key_ops ["encrypt"] allow neither sign nor verify'],
    [{ kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' }, 'key-unsupported', 'EC curve "secp256k1" is not supported (P-256, P-384 and P-521 are)'],
    [{ kty: 'OKP', crv: 'X25519', x: 'AA' }, 'key-not-for-signing', 'X25519 keys are for key agreement, not signatures'],
    [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }, 'jwk-invalid', 'RSA private JWK without p: the CRT parameters p, q, dp, dq, qi are required'],
    [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, 'jwk-invalid', /^JWK is not a valid EC key: /],
    [{ kty: 'XYZ' }, 'key-unsupported', 'JWK kty "XYZ" is not supported (oct, RSA, EC and OKP are)'],
  ] as const)('%j → %s', async (jwk, code, message) => {
    const e = await keyError({ type: 'jwk', value: JSON.stringify(jwk) });
    expect(e.code).toBe(code);
    if (typeof message === 'string') expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
  });

  it('reports JSON errors by position, never quoting the text (it may be a secret)', async () => {
    const e = await keyError({ type: 'jwk', value: '{"kty":' });
    expect([e.code, e.message]).toEqual(['jwk-invalid', 'JWK is not valid JSON at line 1, column 8: expected a value']);
    const secret = await keyError({ type: 'jwk', value: '{"kty":"oct","k": hunter2}' });
    expect(secret.message).toBe('JWK is not valid JSON at line 1, column 19: expected a value');
    expect(secret.message).not.toContain('hunter2');
  });

  it('refuses an empty kid', async () => {
    const e = await keyError({ type: 'jwk', value: jwkOf(keys.p256.publicKey, { kid: '' }) });
    expect([e.code, e.message]).toEqual(['jwk-invalid', 'JWK kid is empty']);
  });

  it('refuses a private key whose public members belong to another key', async () => {
    const mixed = { ...JSON.parse(jwkOf(keys.rsa.privateKey)), n: keys.rsaOther.publicKey.export({ format: 'jwk' }).n };
    const e = await keyError({ type: 'jwk', value: JSON.stringify(mixed) });
    expect([e.code, e.message]).toEqual(['key-pair-mismatch', 'the private key does not belong to its public part (n, e): it belongs to another key']);
  });

  it('refuses RSA moduli under 512 bits; 512 is read, with the rsa-key-small warning', async () => {
    const tiny = { kty: 'RSA', n: Buffer.from('c5'.repeat(31) + 'c7', 'hex').toString('base64url'), e: 'AQAB' };
    const e = await keyError({ type: 'jwk', value: JSON.stringify(tiny) });
    expect([e.code, e.message]).toEqual(['key-unsupported', 'the RSA modulus is 256 bits; keys under 512 bits are refused (RFC 7518 §3.3 requires 2048)']);
    const small = crypto.generateKeyPairSync('rsa', { modulusLength: 512 }).publicKey;
    const [key] = (await prepareKeys({ type: 'pem', value: pem(small, 'spki') })).keys;
    expect(key!.bits).toBe(512);
    expect(keyPolicyWarnings(key!, 'RS256').map((w) => w.rule)).toEqual(['rsa-key-small']);
  });

  it('pssOnly: an RSA key kept as a JWK read as an id-RSASSA-PSS key; nothing else can be one', async () => {
    const [key] = (await prepareKeys({ type: 'jwk', value: jwkOf(keys.rsa.privateKey) }, { pssOnly: true })).keys;
    expect(key).toMatchObject({ kty: 'RSA', type: 'private', algorithms: ['PS256', 'PS384', 'PS512'] });
    expect(keyMaterial(key!).pssOnly).toBe(true);
    const [plain] = (await prepareKeys({ type: 'jwk', value: jwkOf(keys.rsa.privateKey) })).keys;
    expect(plain!.thumbprint).toBe(key!.thumbprint);
    expect(await keyError({ type: 'jwk', value: jwkOf(keys.p256.publicKey) }, { pssOnly: true })).toMatchObject({
      code: 'key-unsupported',
      message: 'a P-256 EC key cannot be an RSA-PSS key',
    });
    expect((await keyError({ type: 'secret', value: 'x'.repeat(32), encoding: 'utf8' }, { pssOnly: true })).code).toBe('key-unsupported');
  });
});

describe('JWKS', () => {
  const set = {
    keys: [
      JSON.parse(jwkOf(keys.rsa.publicKey, { kid: 'rsa-1', use: 'sig', alg: 'RS256' })),
      { kty: 'oct', kid: 'wrap', use: 'enc', k: 'c2VjcmV0' },
      JSON.parse(jwkOf(keys.p256.publicKey, { kid: 'ec-1' })),
      { kty: 'EC', kid: 'broken' },
      JSON.parse(jwkOf(keys.ed25519.publicKey, { kid: 'ed-1', key_ops: ['verify'] })),
    ],
  };

  it('keeps every usable key with kid, kty, alg, use and position, and says why others were skipped', async () => {
    const prepared = await prepareKeys({ type: 'jwks', value: JSON.stringify(set) });
    expect(prepared.source).toBe('jwks');
    expect(prepared.keys.map((k) => [k.kid, k.kty, k.alg, k.use, k.index])).toEqual([
      ['rsa-1', 'RSA', 'RS256', 'sig', 0],
      ['ec-1', 'EC', null, null, 2],
      ['ed-1', 'OKP', null, null, 4],
    ]);
    expect(prepared.skipped).toEqual([
      { index: 1, kid: 'wrap', code: 'key-not-for-signing', reason: 'JWK has use "enc": not a signature key' },
      { index: 3, kid: 'broken', code: 'jwk-invalid', reason: 'JWK has kty EC but no crv' },
    ]);
    expect(keyAlgorithms(prepared)).toEqual({ verify: ['RS256', 'ES256', 'EdDSA', 'Ed25519'], sign: [] });
  });

  it('an empty or unusable JWKS is an error', async () => {
    expect(await keyError({ type: 'jwks', value: '{"keys":[]}' })).toMatchObject({ code: 'jwks-empty', message: 'JWKS has no keys' });
    const e = await keyError({ type: 'jwks', value: JSON.stringify({ keys: [set.keys[1], set.keys[3]] }) });
    expect(e.code).toBe('jwks-empty');
    expect(e.message).toBe('JWKS has no usable signature key: JWKS key #1 (kid wrap): JWK has use "enc": not a signature key; JWKS key #2 (kid broken): JWK has kty EC but no crv');
    expect((await keyError({ type: 'jwks', value: '{"keys":{}}' })).code).toBe('jwk-invalid');
  });

  it('RFC 7520 §3 keys: public and private JWKs of the cookbook', async () => {
    for (const file of ['3_1.ec_public_key', '3_2.ec_private_key', '3_3.rsa_public_key', '3_4.rsa_private_key', '3_5.symmetric_key_mac_computation']) {
      const jwk = fixtureJson(`rfc7520/jwk/${file}.json`);
      const [key] = (await prepareKeys({ type: 'jwk', value: JSON.stringify(jwk) })).keys;
      expect(key!.kid).toBe(jwk.kid);
    }
    // 3.6 is an AES key marked for encryption.
    const enc = await keyError({ type: 'jwk', value: JSON.stringify(fixtureJson('rfc7520/jwk/3_6.symmetric_key_encryption.json')) });
    expect(enc.code).toBe('key-not-for-signing');
  });
});

describe('auto detection and the prepared object', () => {
  it.each([
    ['PEM', () => pem(keys.p256.publicKey, 'spki'), 'pem'],
    ['certificate', () => fixtureText('keys/ec-cert.pem'), 'certificate'],
    ['JWK', () => `  ${jwkOf(keys.p256.publicKey)}\n`, 'jwk'],
    ['JWKS', () => JSON.stringify({ keys: [JSON.parse(jwkOf(keys.p256.publicKey))] }), 'jwks'],
  ] as const)('%s', async (_, text, source) => {
    expect((await prepareKeys({ type: 'auto', value: text() })).source).toBe(source);
  });

  it('explains text that is no key at all', async () => {
    const e = await keyError({ type: 'auto', value: 'my-shared-secret' });
    expect(e.code).toBe('key-unreadable');
    expect(e.message).toMatch(/shared secret must be given as a secret/);
    expect((await keyError({ type: 'auto', value: '{"hello":1}' })).code).toBe('key-unreadable');
    expect((await keyError({ type: 'auto', value: '{' })).code).toBe('key-unreadable');
    expect((await keyError(null as never)).code).toBe('key-unreadable');
    expect((await keyError({ type: 'x509', value: '' } as never)).code).toBe('key-unreadable');
  });

  it('thumbprints follow RFC 7638 (RFC 8037 A.3 vector)', async () => {
    const vector = fixtureJson('rfc8037/appendix-a.json');
    const [key] = (await prepareKeys({ type: 'jwk', value: JSON.stringify(vector.privateJwk) })).keys;
    expect(key!.thumbprint).toBe(vector.thumbprint);
    expect(key!.publicJwk).toEqual(vector.publicJwk);
  });

  it('only objects made by prepareKeys count as prepared, and they carry no private material', async () => {
    const prepared = await prepareKeys({ type: 'pem', value: pem(keys.rsa.privateKey, 'pkcs8') });
    expect(isPreparedKeys(prepared)).toBe(true);
    expect(isPreparedKeys({ ...prepared })).toBe(false);
    expect(Object.isFrozen(prepared) && Object.isFrozen(prepared.keys[0])).toBe(true);
    const d = keys.rsa.privateKey.export({ format: 'jwk' }).d as string;
    expect(JSON.stringify(prepared)).not.toContain(d);
    expect(keyMaterial(prepared.keys[0]!).privateJwk?.d).toBe(d);
  });

  it('keyAlgorithms: what a key verifies and signs', async () => {
    const secret = await prepareKeys({ type: 'secret', value: 'x'.repeat(32), encoding: 'utf8' });
    expect(keyAlgorithms(secret)).toEqual({ verify: ['HS256', 'HS384', 'HS512'], sign: ['HS256', 'HS384', 'HS512'] });
    const pub: PreparedKeys = await prepareKeys({ type: 'pem', value: pem(keys.ed25519.publicKey, 'spki') });
    expect(keyAlgorithms(pub)).toEqual({ verify: ['EdDSA', 'Ed25519'], sign: [] });
    const priv = await prepareKeys({ type: 'pem', value: pem(keys.p521.privateKey, 'sec1') });
    expect(keyAlgorithms(priv)).toEqual({ verify: ['ES512'], sign: ['ES512'] });
  });
});

describe('PEM with several blocks', () => {
  it('a private key and its certificate are one key, kept private and named by the certificate, in either order', async () => {
    const cert = fixtureText('keys/ec-cert.pem');
    const key = fixtureText('keys/ec-cert.key.pem');
    for (const text of [cert + key, key + cert]) {
      const prepared = await prepareKeys({ type: 'pem', value: text });
      expect(prepared.source).toBe('pem');
      expect(prepared.keys).toHaveLength(1);
      expect(prepared.keys[0]).toMatchObject({ kty: 'EC', type: 'private', certificateSubject: 'JWT Workbench test EC' });
      expect(keyMaterial(prepared.keys[0]!).privateJwk?.d).toBe(crypto.createPrivateKey(key).export({ format: 'jwk' }).d);
    }
  });

  it('in a certificate chain only the first certificate (the leaf) counts', async () => {
    const prepared = await prepareKeys({ type: 'pem', value: fixtureText('keys/rsa-cert.pem') + fixtureText('keys/ec-cert.pem') });
    expect(prepared.source).toBe('certificate');
    expect(prepared.keys.map((k) => [k.kty, k.certificateSubject])).toEqual([['RSA', 'JWT Workbench test RSA']]);
  });

  it('unrelated keys in one PEM are several keys', async () => {
    const prepared = await prepareKeys({ type: 'pem', value: pem(keys.rsa.privateKey, 'pkcs8') + pem(keys.p256.publicKey, 'spki') });
    expect(prepared.source).toBe('pem');
    expect(prepared.keys.map((k) => [k.kty, k.type])).toEqual([
      ['RSA', 'private'],
      ['EC', 'public'],
    ]);
  });

  it('a block that is not a key, or an encrypted one, refuses the whole text and is named', async () => {
    const key = pem(keys.p256.privateKey, 'pkcs8');
    expect(await keyError({ type: 'pem', value: key + fixtureText('keys/csr.pem') })).toMatchObject({
      code: 'pem-unsupported',
      message: 'PEM block type CERTIFICATE REQUEST is not a key',
    });
    expect(await keyError({ type: 'pem', value: key + fixtureText('keys/rsa-encrypted-pkcs8.pem') })).toMatchObject({
      code: 'pem-encrypted',
      message: 'PEM block 2 (ENCRYPTED PRIVATE KEY) is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)',
    });
    const x25519 = pem(crypto.generateKeyPairSync('x25519').publicKey, 'spki');
    expect(await keyError({ type: 'pem', value: key + x25519 })).toMatchObject({
      code: 'key-not-for-signing',
      message: 'PEM block 2 (PUBLIC KEY): X25519 keys are for key agreement, not signatures',
    });
  });

  it("names a certificate's key by its subject: the CN, else its other attributes", async () => {
    const [noCn] = (await prepareKeys({ type: 'pem', value: fixtureText('keys/ec-cert-no-cn.pem') })).keys;
    expect(noCn!.certificateSubject).toBe('O=JWT Workbench, C=FR');
    const [plain] = (await prepareKeys({ type: 'pem', value: pem(keys.p256.publicKey, 'spki') })).keys;
    expect(plain!.certificateSubject).toBeNull();
  });
});

describe('JWKS policy', () => {
  const rsa = (extra: object = {}) => JSON.parse(jwkOf(keys.rsa.publicKey, extra)) as object;
  const ec = (extra: object = {}) => JSON.parse(jwkOf(keys.p256.publicKey, extra)) as object;
  const oct = (extra: object = {}) => ({ kty: 'oct', k: keys.secret.toString('base64url'), ...extra });
  const set = (...members: object[]) => ({ type: 'jwks' as const, value: JSON.stringify({ keys: members }) });

  it('a set mixing a shared secret with public keys is refused (jwks-mixed)', async () => {
    expect(await keyError(set(rsa({ kid: 'r' }), ec(), oct({ kid: 'h' })))).toMatchObject({
      code: 'jwks-mixed',
      message:
        'JWKS mixes a shared secret (JWKS key #3) with public-key keys (JWKS key #1): a token could be verified with either kind (key confusion); keep secrets and public keys in separate sets',
    });
    // Only usable keys count: a secret marked for encryption is skipped, not mixed in.
    const withEnc = await prepareKeys(set(rsa(), oct({ use: 'enc' })));
    expect(withEnc.keys.map((k) => k.kty)).toEqual(['RSA']);
    // Secrets alone, or public keys alone, are fine.
    expect((await prepareKeys(set(oct({ kid: 'a' }), oct({ kid: 'b', k: 'c2VjcmV0' })))).keys).toHaveLength(2);
    expect((await prepareKeys(set(rsa(), ec()))).keys).toHaveLength(2);
  });

  it('two usable keys with one kid that verify the same alg are refused (jwks-duplicate-kid); keys without a kid do not count', async () => {
    expect(await keyError(set(ec({ kid: 'a' }), rsa({ kid: 'b' }), ec({ kid: 'a' })))).toMatchObject({
      code: 'jwks-duplicate-kid',
      message: 'JWKS key #1 and JWKS key #3 share kid "a" and both verify ES256: a verifier cannot tell which one the issuer meant',
    });
    // RFC 7517 §4.5: keys of different types may share a kid (equivalent alternatives); the alg tells them apart.
    expect((await prepareKeys(set(rsa({ kid: 'a' }), ec({ kid: 'a' })))).keys.map((k) => k.kid)).toEqual(['a', 'a']);
    expect((await prepareKeys(set(rsa(), ec(), rsa()))).keys).toHaveLength(3);
    // A skipped member (an encryption key) does not make its kid ambiguous.
    const skipped = await prepareKeys(set(rsa({ kid: 'a' }), ec({ kid: 'a', use: 'enc' })));
    expect([skipped.keys.length, skipped.skipped.map((s) => s.kid)]).toEqual([1, ['a']]);
  });

  it('a set of more than MAX_JWKS_KEYS keys, and text longer than MAX_KEY_TEXT_CHARS, are too large', async () => {
    const many = Array.from({ length: MAX_JWKS_KEYS + 1 }, () => oct());
    expect(await keyError(set(...many))).toMatchObject({ code: 'key-too-large', message: `JWKS has ${MAX_JWKS_KEYS + 1} keys; at most ${MAX_JWKS_KEYS} are read` });
    expect((await keyError({ type: 'secret', value: 'x'.repeat(MAX_KEY_TEXT_CHARS + 1), encoding: 'utf8' })).code).toBe('key-too-large');
  });
});

describe('ROCA (CVE-2017-15361)', () => {
  const modulusJwk = (file: string) => {
    const n = BigInt(fixtureText(`roca/${file}`).trim());
    return JSON.stringify({ kty: 'RSA', n: Buffer.from(n.toString(16).padStart(512, '0'), 'hex').toString('base64url'), e: 'AQAB' });
  };
  const rules = (key: PreparedKey, alg: string) => keyPolicyWarnings(key, alg).map((w) => w.rule);

  it('flags the published vulnerable keys for every RSA algorithm, as an SPKI, a certificate or a JWK', async () => {
    const [spki] = (await prepareKeys({ type: 'pem', value: fixtureText('roca/pubkey03.pem') })).keys;
    const [cert] = (await prepareKeys({ type: 'pem', value: fixtureText('roca/cert04.pem') })).keys;
    const [jwk] = (await prepareKeys({ type: 'jwk', value: modulusJwk('mod03.txt') })).keys;
    expect(cert!.certificateSubject).toBe('localhost');
    for (const key of [spki!, cert!, jwk!]) {
      for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']) expect(rules(key, alg)).toEqual(['rsa-key-roca']);
    }
    expect(keyPolicyWarnings(jwk!, 'RS256')[0]!.message).toMatch(/^the RSA modulus has the ROCA fingerprint \(CVE-2017-15361/);
  });

  it('does not flag normal keys', async () => {
    const [negative] = (await prepareKeys({ type: 'jwk', value: modulusJwk('mod04.txt') })).keys;
    expect(rules(negative!, 'RS256')).toEqual([]);
    for (const pair of [keys.rsa, keys.rsaOther]) {
      const [key] = (await prepareKeys({ type: 'pem', value: pem(pair.publicKey, 'spki') })).keys;
      expect(rules(key!, 'PS256')).toEqual([]);
    }
    // The weak test key keeps exactly its own warnings.
    const [weak] = (await prepareKeys({ type: 'pem', value: pem(keys.rsaWeak.publicKey, 'spki') })).keys;
    expect(rules(weak!, 'RS256')).toEqual(['rsa-key-small', 'rsa-exponent-weak']);
  });

  it('flags a modulus built as RSALib built its primes, p = k·M + (65537^a mod M), and not its neighbours', () => {
    const smallPrimes = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n, 73n, 79n, 83n, 89n, 97n, 101n, 103n, 107n, 109n, 113n, 127n, 131n, 137n, 139n, 149n, 151n, 157n, 163n, 167n];
    const M = smallPrimes.reduce((a, b) => a * b, 1n);
    const powMod = (base: bigint, exp: bigint, mod: bigint) => {
      let result = 1n;
      for (let b = base % mod, e = exp; e > 0n; e >>= 1n, b = (b * b) % mod) if (e & 1n) result = (result * b) % mod;
      return result;
    };
    const random = (bytes: number) => BigInt(`0x${crypto.randomBytes(bytes).toString('hex')}`);
    for (let i = 0; i < 5; i++) {
      const p = random(64) * M + powMod(65537n, random(8), M);
      const q = random(64) * M + powMod(65537n, random(8), M);
      expect(hasRocaFingerprint(p * q)).toBe(true);
      // 2 is a power of 65537 modulo none of 3, 5, 7… all at once; n + 2·M keeps every residue, n + 2 changes them.
      expect(hasRocaFingerprint(p * q + 2n * M)).toBe(true);
      expect(hasRocaFingerprint(p * q + 2n)).toBe(false);
    }
    expect([0n, 1n, 2n, 3n].map(hasRocaFingerprint)).toEqual([false, false, false, false]);
  });
});
