// Import of every accepted key form, and the exact code and message of each kind of bad input (issue 4).
// The store reads keys with the core importer (shared/core/keys.ts): a refused key is the core's KeyError.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyStore, KeyStoreError } from '../../electron/services/keys';
import { readKeyInput } from '../../electron/services/keys/import';
import { KeyError, MAX_JWKS_KEYS, MAX_KEY_TEXT_CHARS, type KeyErrorCode, type KeyInput } from '../../shared/core/keys';

const fixtures = path.resolve(__dirname, '../fixtures/keys-import');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** The thumbprint computed with node:crypto and hashing by hand, independent of the code under test. */
function thumbprintOf(key: crypto.KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const required: Record<string, string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };
  const members = required[jwk.kty as string] as string[];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

/**
 * node:crypto will not export an RSA-PSS key as a JWK: the same SPKI with the rsaEncryption OID (its last
 * byte 0x0a → 0x01; node writes no PSS parameters) is the plain RSA key whose n and e the thumbprint hashes.
 */
function rsaPssAsRsa(key: crypto.KeyObject): crypto.KeyObject {
  return crypto.createPublicKey({ key: relabelPss(key.export({ type: 'spki', format: 'der' })), format: 'der', type: 'spki' });
}

function relabelPss(der: Buffer): Buffer {
  const pss = Buffer.from('06092a864886f70d01010a', 'hex');
  const at = der.indexOf(pss);
  expect(at).toBeGreaterThan(0);
  const out = Buffer.from(der);
  out[at + pss.length - 1] = 0x01;
  return out;
}

async function importError(input: KeyInput): Promise<KeyError | KeyStoreError> {
  try {
    await readKeyInput(input);
  } catch (error) {
    if (!(error instanceof KeyError)) expect(error).toBeInstanceOf(KeyStoreError);
    return error as KeyError | KeyStoreError;
  }
  throw new Error('import succeeded');
}

async function expectImportError(input: KeyInput, code: KeyErrorCode, message: string | RegExp) {
  const error = await importError(input);
  expect(error).toBeInstanceOf(KeyError);
  expect(error.code).toBe(code);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed = crypto.generateKeyPairSync('ed25519');
const jwkOf = (key: crypto.KeyObject) => key.export({ format: 'jwk' }) as Record<string, unknown>;
const pem = (value: string): KeyInput => ({ type: 'pem', value });
const jwkText = (value: unknown): KeyInput => ({ type: 'jwk', value: JSON.stringify(value) });
const jwksText = (keys: unknown[]): KeyInput => ({ type: 'jwks', value: JSON.stringify({ keys }) });

describe('accepted forms', () => {
  it('reads PKCS#8, PKCS#1 and SEC1 private keys and SPKI and PKCS#1 public keys', async () => {
    const cases: [string, crypto.KeyObject, boolean][] = [
      [rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, rsa.publicKey, true],
      [rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, rsa.publicKey, true],
      [rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string, rsa.publicKey, false],
      [rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string, rsa.publicKey, false],
      [ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string, ec.publicKey, true],
      [ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, ec.publicKey, true],
      [ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, ed.publicKey, true],
      [ed.publicKey.export({ type: 'spki', format: 'pem' }) as string, ed.publicKey, false],
    ];
    for (const [text, publicKey, hasPrivate] of cases) {
      const [key, ...rest] = await readKeyInput(pem(text));
      expect(rest).toEqual([]);
      expect(key?.thumbprint).toBe(thumbprintOf(publicKey));
      expect(key?.material.hasPrivate).toBe(hasPrivate);
    }
  });

  it('reads the SEC1 file openssl ecparam -genkey writes (EC PARAMETERS block first)', async () => {
    const text = fixture('ec-p256-sec1-with-params.pem');
    const [key] = await readKeyInput(pem(text));
    expect(key?.material).toMatchObject({ kty: 'EC', crv: 'P-256', size: 256, hasPrivate: true });
    expect(key?.thumbprint).toBe(thumbprintOf(crypto.createPublicKey(text)));
  });

  it('reads the public key of an X.509 certificate and suggests its CN as label', async () => {
    for (const [name, kty] of [
      ['ec-p256-cert.pem', 'EC'],
      ['rsa-2048-cert.pem', 'RSA'],
      ['ed25519-cert.pem', 'OKP'],
    ] as const) {
      const text = fixture(name);
      const [key] = await readKeyInput(pem(text));
      expect(key?.material.kty).toBe(kty);
      expect(key?.material.hasPrivate).toBe(false);
      expect(key?.thumbprint).toBe(thumbprintOf(new crypto.X509Certificate(text).publicKey));
    }
    const [ecCert] = await readKeyInput(pem(fixture('ec-p256-cert.pem')));
    expect(ecCert?.labelHint).toBe('JWT Workbench test EC');
  });

  it('a private key and its own certificate in one file are one key, kept with its private part', async () => {
    const text = fixture('ec-p256-cert.pem') + fixture('ec-p256-sec1-with-params.pem');
    const keys = await readKeyInput({ type: 'auto', value: text });
    expect(keys).toHaveLength(1);
    expect(keys[0]?.material.hasPrivate).toBe(true);
    expect(keys[0]?.labelHint).toBe('JWT Workbench test EC');
  });

  it('in a certificate chain only the leaf counts', async () => {
    const chain = fixture('rsa-2048-cert.pem') + fixture('ec-p256-cert.pem');
    const keys = await readKeyInput(pem(chain));
    expect(keys.map((k) => k.material.kty)).toEqual(['RSA']);
  });

  it('reads JWKs (public and private) keeping kid and alg, and a JWKS of several keys', async () => {
    const [pub] = await readKeyInput(jwkText({ ...jwkOf(rsa.publicKey), kid: 'r1', alg: 'PS256', use: 'sig' }));
    expect(pub).toMatchObject({ kid: 'r1', alg: 'PS256', material: { kty: 'RSA', size: 2048, hasPrivate: false } });
    const [priv] = await readKeyInput(jwkText(jwkOf(ec.privateKey)));
    expect(priv?.material).toMatchObject({ kty: 'EC', crv: 'P-384', hasPrivate: true });
    expect(priv?.material.jwk.d).toBe(jwkOf(ec.privateKey).d);

    const set = await readKeyInput(jwksText([jwkOf(rsa.publicKey), { ...jwkOf(ed.publicKey), kid: 'e' }, jwkOf(ec.publicKey)]));
    expect(set.map((k) => [k.material.kty, k.kid])).toEqual([
      ['RSA', null],
      ['OKP', 'e'],
      ['EC', null],
    ]);
    const secrets = await readKeyInput(jwksText([{ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', kid: 's1' }, { kty: 'oct', k: 'b3RoZXI', kid: 's2' }]));
    expect(secrets.map((k) => [k.material.kty, k.kid, k.material.size])).toEqual([
      ['oct', 's1', 160],
      ['oct', 's2', 40],
    ]);
    // `auto` tells a JWKS from a JWK by its keys member.
    const auto = await readKeyInput({ type: 'auto', value: JSON.stringify({ keys: [jwkOf(ed.publicKey)] }) });
    expect(auto[0]?.thumbprint).toBe(thumbprintOf(ed.publicKey));
  });

  it('reads an id-RSASSA-PSS key (PKCS#8 and SPKI) as an RSA key for PS256/PS384/PS512 only', async () => {
    const privateText = fixture('rsa-pss-pkcs8.pem');
    const publicText = crypto.createPublicKey(privateText).export({ type: 'spki', format: 'pem' }) as string;
    const [priv] = await readKeyInput(pem(privateText));
    const [pub] = await readKeyInput(pem(publicText));
    expect(priv?.material).toMatchObject({ kty: 'RSA', size: 2048, hasPrivate: true, pssOnly: true });
    expect(pub?.material).toMatchObject({ kty: 'RSA', size: 2048, hasPrivate: false, pssOnly: true });
    expect(priv?.thumbprint).toBe(pub?.thumbprint);
    expect(priv?.thumbprint).toBe(thumbprintOf(rsaPssAsRsa(crypto.createPublicKey(privateText))));
  });

  it('reads raw secrets in every encoding, the same bytes the verify core reads', async () => {
    const bytes = Buffer.from('an HMAC secret of some length!!');
    for (const [encoding, value] of [
      ['utf8', bytes.toString('utf8')],
      ['hex', bytes.toString('hex')],
      ['base64', bytes.toString('base64')],
      ['base64url', bytes.toString('base64url')],
    ] as const) {
      const [key] = await readKeyInput({ type: 'secret', value, encoding });
      expect(key?.material).toMatchObject({ kty: 'oct', size: bytes.length * 8, hasPrivate: true });
      expect(Buffer.from(key?.material.jwk.k as string, 'base64url')).toEqual(bytes);
    }
  });
});

describe('bad input names what is wrong', () => {
  it('PEM blocks that are not keys', async () => {
    await expectImportError(pem(fixture('rsa-2048-csr.pem')), 'pem-unsupported', 'PEM block type CERTIFICATE REQUEST is not a key');
    await expectImportError(
      pem(fixture('ec-p256-encrypted-pkcs8.pem')),
      'pem-encrypted',
      'the ENCRYPTED PRIVATE KEY is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)',
    );
    await expectImportError(pem('-----BEGIN PUBLIC KEY-----\nMFkw\n'), 'pem-invalid', 'PEM block PUBLIC KEY has no END line');
    await expectImportError(pem('ssh-ed25519 AAAAC3Nza'), 'pem-invalid', 'no PEM block found');
    const broken = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
    await expectImportError(pem(broken), 'pem-invalid', /^the PRIVATE KEY is not valid DER: .+$/);
  });

  it('keys of types JWS cannot use', async () => {
    await expectImportError(pem(fixture('secp256k1-sec1.pem')), 'key-unsupported', 'EC curve secp256k1 (ES256K) is not supported');
    await expectImportError(pem(fixture('x25519-pkcs8.pem')), 'key-not-for-signing', 'X25519 keys are for key agreement, not signatures');
    await expectImportError(pem(fixture('ed448-pkcs8.pem')), 'key-unsupported', 'Ed448 keys are not supported (EdDSA here means Ed25519)');
  });

  it('names the block in a multi-block PEM', async () => {
    const text = fixture('rsa-2048-pkcs8.pem') + fixture('rsa-2048-csr.pem');
    await expectImportError(pem(text), 'pem-unsupported', 'PEM block type CERTIFICATE REQUEST is not a key');
    const twoKeys = fixture('rsa-2048-pkcs8.pem') + fixture('x25519-pkcs8.pem');
    await expectImportError(pem(twoKeys), 'key-not-for-signing', 'PEM block 2 (PRIVATE KEY): X25519 keys are for key agreement, not signatures');
  });

  it('JWK members', async () => {
    const ecPub = jwkOf(ec.publicKey);
    const { crv: _crv, ...noCrv } = ecPub;
    await expectImportError(jwkText(noCrv), 'jwk-invalid', 'JWK has kty EC but no crv');
    await expectImportError(jwkText({ n: 'AQAB' }), 'jwk-invalid', 'JWK has no kty');
    await expectImportError(jwkText({ kty: 'AKP' }), 'key-unsupported', 'ML-DSA keys (kty AKP) are not supported on this runtime');
    const { y: _y, ...noY } = ecPub;
    await expectImportError(jwkText(noY), 'jwk-invalid', 'JWK has kty EC but no y');
    await expectImportError(jwkText({ ...ecPub, crv: 'secp256k1' }), 'key-unsupported', 'EC curve "secp256k1" is not supported (P-256, P-384 and P-521 are)');
    await expectImportError(jwkText({ kty: 'OKP', crv: 'X25519', x: 'AAAA' }), 'key-not-for-signing', 'X25519 keys are for key agreement, not signatures');
    await expectImportError(jwkText({ ...ecPub, x: 'not base64url!' }), 'jwk-invalid', 'JWK member x is not base64url: invalid character " " at position 3');
    const { qi: _qi, ...noQi } = jwkOf(rsa.privateKey);
    await expectImportError(jwkText(noQi), 'jwk-invalid', 'RSA private JWK without qi: the CRT parameters p, q, dp, dq, qi are required');
    await expectImportError(jwkText({ kty: 'oct', k: '' }), 'jwk-invalid', 'JWK has an empty k');
    await expectImportError(jwkText({ ...ecPub, use: 'enc' }), 'key-not-for-signing', 'JWK has use "enc": not a signature key');
    await expectImportError(jwkText({ ...ecPub, key_ops: ['encrypt'] }), 'key-not-for-signing', 'JWK key_ops ["encrypt"] allow neither sign nor verify');
    await expectImportError(jwkText({ ...ecPub, alg: 'RSA-OAEP' }), 'key-not-for-signing', 'JWK has alg RSA-OAEP, an encryption algorithm');
    await expectImportError(jwkText({ ...ecPub, alg: 'ES256' }), 'jwk-invalid', 'JWK alg ES256 does not fit curve P-384 (ES384 does)');
    await expectImportError(jwkText({ ...ecPub, kid: 7 }), 'jwk-invalid', 'JWK member kid must be a string');
    await expectImportError(jwkText({ ...ecPub, kid: '' }), 'jwk-invalid', 'JWK kid is empty');
    await expectImportError(jwkText([ecPub]), 'jwk-invalid', 'a JWK or JWKS must be a JSON object');
  });

  it('numbers WebCrypto rejects, and private parts that belong to another key', async () => {
    const ecPub = jwkOf(ec.publicKey) as { x: string };
    const offCurve = { ...ecPub, x: Buffer.alloc(48, 7).toString('base64url') };
    await expectImportError(jwkText(offCurve), 'jwk-invalid', /^JWK is not a valid EC key: .+$/);
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const mixed = { ...jwkOf(ec.privateKey), d: jwkOf(other.privateKey).d };
    await expectImportError(jwkText(mixed), 'jwk-invalid', /^JWK private part is not a valid EC key, or not the one of its public members: /);
    const otherRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const mixedRsa = { ...jwkOf(otherRsa.privateKey), n: jwkOf(rsa.publicKey).n };
    await expectImportError(jwkText(mixedRsa), 'key-pair-mismatch', 'the private key does not belong to its public part (n, e): it belongs to another key');
  });

  it('JSON syntax errors say where, without quoting the text (it may be a secret)', async () => {
    const error = await importError({ type: 'jwk', value: '{"kty": "oct",\n "k": hunter2}' });
    expect([error.code, error.message]).toEqual(['jwk-invalid', 'JWK is not valid JSON at line 2, column 7: expected a value']);
    expect(error.message).not.toContain('hunter2');
  });

  it('a JWKS names the bad key by its index and imports nothing', async () => {
    const { crv: _crv, ...noCrv } = jwkOf(ec.publicKey);
    await expectImportError(jwksText([jwkOf(rsa.publicKey), jwkOf(ed.publicKey), jwkOf(ec.publicKey), noCrv]), 'jwk-invalid', 'JWKS key #4: JWK has kty EC but no crv');
    // A member a verifier would merely pass over (an encryption key) is refused too: an import is all or nothing.
    await expectImportError(jwksText([jwkOf(rsa.publicKey), { ...jwkOf(ec.publicKey), use: 'enc' }]), 'key-not-for-signing', 'JWKS key #2: JWK has use "enc": not a signature key');
    await expectImportError(jwksText([]), 'jwks-empty', 'JWKS has no keys');
    await expectImportError({ type: 'jwks', value: '{"keys": {}}' }, 'jwk-invalid', 'JWKS "keys" is not an array');
  });

  it('a JWKS mixing secrets with public keys, or giving one kid to two keys, is refused', async () => {
    const mixed = await importError(jwksText([{ ...jwkOf(rsa.publicKey), kid: 'r' }, { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', kid: 'h' }]));
    expect([mixed.code, mixed.message]).toEqual([
      'jwks-mixed',
      'JWKS mixes a shared secret (JWKS key #2) with public-key keys (JWKS key #1): a token could be verified with either kind (key confusion); keep secrets and public keys in separate sets',
    ]);
    const twice = await importError(jwksText([{ ...jwkOf(ed.publicKey), kid: 'k' }, { ...jwkOf(rsa.publicKey), kid: 'r' }, { ...jwkOf(crypto.generateKeyPairSync('ed25519').publicKey), kid: 'k' }]));
    expect([twice.code, twice.message]).toEqual(['jwks-duplicate-kid', 'JWKS key #1 and JWKS key #3 share kid "k" and both verify EdDSA: a verifier cannot tell which one the issuer meant']);
    // Keys of different types may share a kid (RFC 7517 §4.5): both are imported.
    expect((await readKeyInput(jwksText([{ ...jwkOf(rsa.publicKey), kid: 'k' }, { ...jwkOf(ed.publicKey), kid: 'k' }]))).length).toBe(2);
  });

  it('text far larger than any key, and a JWKS of too many keys', async () => {
    await expectImportError({ type: 'auto', value: ' '.repeat(MAX_KEY_TEXT_CHARS + 1) }, 'key-too-large', /^the key text has \d+ characters; a key is at most/);
    const many = Array.from({ length: MAX_JWKS_KEYS + 1 }, () => ({ kty: 'oct', k: 'AAAA' }));
    await expectImportError(jwksText(many), 'key-too-large', `JWKS has ${MAX_JWKS_KEYS + 1} keys; at most ${MAX_JWKS_KEYS} are read`);
  });

  it('secrets in the wrong encoding, and text that is no key at all', async () => {
    await expectImportError({ type: 'secret', value: 'abcz', encoding: 'hex' }, 'secret-encoding', 'not valid hex at position 3 ("z")');
    await expectImportError({ type: 'secret', value: '', encoding: 'utf8' }, 'secret-empty', 'the secret is empty');
    await expectImportError(
      { type: 'auto', value: 'just some words' },
      'key-unreadable',
      'not a PEM key or certificate, a JWK or a JWKS (a shared secret must be given as a secret, with its encoding)',
    );
    await expectImportError({ type: 'auto', value: '   ' }, 'key-unreadable', 'the key text is empty');
    const wrongShape = await importError({ type: 'nonsense', value: 'x' } as unknown as KeyInput);
    expect(wrongShape).toBeInstanceOf(KeyStoreError);
    expect(wrongShape.code).toBe('invalid-argument');
  });
});

describe('import into a store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-import-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a JWKS with one bad key imports nothing; a good one imports all, once', async () => {
    const store = await KeyStore.open({ dataDir: dir, protection: { kind: 'unencrypted-test-store' } });
    const good = [{ ...jwkOf(rsa.publicKey), kid: 'a' }, { ...jwkOf(ed.publicKey), kid: 'b' }];
    await expect(store.import(jwksText([...good, { kty: 'EC' }]))).rejects.toMatchObject({
      code: 'jwk-invalid',
      message: 'JWKS key #3: JWK has kty EC but no crv',
    });
    expect(await store.list()).toEqual([]);

    const first = await store.import(jwksText(good));
    expect(first.imported.map((k) => k.kid)).toEqual(['a', 'b']);
    expect(first.existing).toEqual([]);
    const again = await store.import(jwksText(good));
    expect(again.imported).toEqual([]);
    expect(again.existing.map((k) => k.id)).toEqual(first.imported.map((k) => k.id));
    expect(await store.list()).toHaveLength(2);
  });

  it('a stored public key gains its private part when the private key is imported', async () => {
    const store = await KeyStore.open({ dataDir: dir, protection: { kind: 'unencrypted-test-store' } });
    const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const { imported } = await store.import(pem(spki), { label: 'from SPKI' });
    expect(imported[0]).toMatchObject({ hasPrivate: false, label: 'from SPKI', kid: thumbprintOf(rsa.publicKey) });
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const upgraded = await store.import(pem(pkcs1));
    expect(upgraded.imported[0]).toMatchObject({ id: imported[0]?.id, hasPrivate: true, label: 'from SPKI' });
    expect(await store.list()).toHaveLength(1);
  });

  it('an RSA-PSS key stays PS256/384/512 only: listed, signing, verifying, and after the store is reopened', async () => {
    const store = await KeyStore.open({ dataDir: dir, protection: { kind: 'unencrypted-test-store' } });
    const privateText = fixture('rsa-pss-pkcs8.pem');
    const { imported } = await store.import(pem(privateText));
    const id = imported[0]?.id as string;
    expect(imported[0]).toMatchObject({ kty: 'RSA', size: 2048, description: 'RSA-PSS 2048', algorithms: ['PS256', 'PS384', 'PS512'], hasPrivate: true });
    expect((await store.keysForAlg('RS256')).map((k) => k.id)).toEqual([]);
    expect((await store.keysForAlg('PS384', 'sign')).map((k) => k.id)).toEqual([id]);
    await expect(store.sign(id, { headerText: '{}', payloadText: '{}', alg: 'RS256' })).rejects.toMatchObject({ code: 'alg-not-allowed' });
    const signed = await store.sign(id, { headerText: '{"typ":"JWT"}', payloadText: '{"sub":"pss"}', alg: 'PS384' });
    const [header, payload, signature] = signed.token.split('.') as [string, string, string];
    const publicKey = crypto.createPublicKey(privateText);
    const pssOk = crypto.verify('sha384', Buffer.from(`${header}.${payload}`), { key: publicKey, saltLength: 48 }, Buffer.from(signature, 'base64url'));
    expect(pssOk).toBe(true);

    // An RS256 token over the same modulus (node signs it with the key relabelled rsaEncryption) is refused by policy.
    const rsaPrivate = crypto.createPrivateKey({ key: relabelPss(crypto.createPrivateKey(privateText).export({ type: 'pkcs8', format: 'der' })), format: 'der', type: 'pkcs8' });
    const rsInput = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}`;
    const rsToken = `${rsInput}.${crypto.sign('sha256', Buffer.from(rsInput), rsaPrivate).toString('base64url')}`;
    expect((await store.verify(id, rsToken)).reason).toBe('alg-not-allowed');
    expect((await store.verify(id, signed.token)).valid).toBe(true);

    const reopened = await KeyStore.open({ dataDir: dir, protection: { kind: 'unencrypted-test-store' } });
    expect((await reopened.get(id)).algorithms).toEqual(['PS256', 'PS384', 'PS512']);
    expect((await reopened.verify(id, rsToken)).reason).toBe('alg-not-allowed');
    // Its public key imported again (SPKI) is the same stored key.
    const again = await reopened.import(pem(publicKey.export({ type: 'spki', format: 'pem' }) as string));
    expect(again.existing.map((k) => k.id)).toEqual([id]);
  });

  it('describes each imported key: type, size or curve, algorithms, thumbprint, label, date', async () => {
    const now = new Date('2024-05-01T10:00:00.000Z');
    const store = await KeyStore.open({ dataDir: dir, protection: { kind: 'unencrypted-test-store' }, now: () => now });
    const { imported } = await store.import({ type: 'auto', value: fixture('ec-p256-cert.pem') });
    expect(imported[0]).toMatchObject({
      kty: 'EC',
      curve: 'P-256',
      size: 256,
      description: 'EC P-256',
      alg: null,
      algorithms: ['ES256'],
      hasPrivate: false,
      label: 'JWT Workbench test EC',
      createdAt: '2024-05-01T10:00:00.000Z',
    });
    const secret = await store.import({ type: 'secret', value: '0123456789abcdef0123456789abcdef', encoding: 'hex' });
    expect(secret.imported[0]).toMatchObject({
      kty: 'oct',
      size: 128,
      algorithms: ['HS256', 'HS384', 'HS512'],
      publicJwk: null,
      hasPrivate: true,
    });
  });
});
