// Import of every accepted key form, and the exact message of each kind of bad input (issue 4).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyStore, KeyStoreError } from '../../electron/services/keys';
import { readKeyInput } from '../../electron/services/keys/import';
import type { KeyInput } from '../../shared/core/keys';

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

async function importError(input: KeyInput): Promise<KeyStoreError> {
  try {
    await readKeyInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(KeyStoreError);
    return error as KeyStoreError;
  }
  throw new Error('import succeeded');
}

async function expectImportError(input: KeyInput, message: string) {
  const error = await importError(input);
  expect(error.code).toBe('import-invalid');
  expect(error.message).toBe(message);
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

    const set = await readKeyInput(
      jwksText([jwkOf(rsa.publicKey), { ...jwkOf(ed.publicKey), kid: 'e' }, { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' }]),
    );
    expect(set.map((k) => [k.material.kty, k.kid])).toEqual([
      ['RSA', null],
      ['OKP', 'e'],
      ['oct', null],
    ]);
    // `auto` tells a JWKS from a JWK by its keys member.
    const auto = await readKeyInput({ type: 'auto', value: JSON.stringify({ keys: [jwkOf(ed.publicKey)] }) });
    expect(auto[0]?.thumbprint).toBe(thumbprintOf(ed.publicKey));
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
    await expectImportError(pem(fixture('rsa-2048-csr.pem')), 'PEM block type CERTIFICATE REQUEST is not a key');
    await expectImportError(
      pem(fixture('ec-p256-encrypted-pkcs8.pem')),
      'PEM ENCRYPTED PRIVATE KEY is encrypted with a passphrase; decrypt it first (e.g. openssl pkey -in key.pem -out plain.pem)',
    );
    await expectImportError(pem('-----BEGIN PUBLIC KEY-----\nMFkw\n'), 'PEM block PUBLIC KEY has no matching END line');
    await expectImportError(pem('ssh-ed25519 AAAAC3Nza'), 'text has no PEM block (-----BEGIN …-----)');
    const broken = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
    expect((await importError(pem(broken))).message).toMatch(/^PEM PRIVATE KEY could not be read \(.+\)$/);
  });

  it('keys of types JWS cannot use', async () => {
    await expectImportError(
      pem(fixture('secp256k1-sec1.pem')),
      'PEM EC PRIVATE KEY is an EC key on curve secp256k1, which JWS does not support (P-256, P-384, P-521)',
    );
    await expectImportError(pem(fixture('x25519-pkcs8.pem')), 'PEM PRIVATE KEY is an X25519 key-agreement key, not a signing key');
    await expectImportError(pem(fixture('ed448-pkcs8.pem')), 'PEM PRIVATE KEY is an Ed448 key, which is not supported (Ed25519 is)');
    await expectImportError(
      pem(fixture('rsa-pss-pkcs8.pem')),
      'PEM PRIVATE KEY is an RSA-PSS-restricted key (id-RSASSA-PSS), which a JWK cannot express; convert it to a plain RSA key (rsaEncryption) to use it for PS256/PS384/PS512',
    );
  });

  it('names the block in a multi-block PEM', async () => {
    const text = fixture('rsa-2048-pkcs8.pem') + fixture('rsa-2048-csr.pem');
    await expectImportError(pem(text), 'PEM block type CERTIFICATE REQUEST is not a key');
    const twoKeys = fixture('rsa-2048-pkcs8.pem') + fixture('x25519-pkcs8.pem');
    await expectImportError(pem(twoKeys), 'PEM block 2 (PRIVATE KEY) is an X25519 key-agreement key, not a signing key');
  });

  it('JWK members', async () => {
    const ecPub = jwkOf(ec.publicKey);
    const { crv: _crv, ...noCrv } = ecPub;
    await expectImportError(jwkText(noCrv), 'JWK has kty EC but no crv');
    await expectImportError(jwkText({ n: 'AQAB' }), 'JWK has no kty');
    await expectImportError(jwkText({ kty: 'AKP' }), 'JWK has kty AKP, which is not a signing key type (RSA, EC, OKP, oct)');
    const { y: _y, ...noY } = ecPub;
    await expectImportError(jwkText(noY), 'JWK has kty EC but no y');
    await expectImportError(jwkText({ ...ecPub, crv: 'secp256k1' }), 'JWK has crv secp256k1, which JWS does not support for EC (P-256, P-384, P-521)');
    await expectImportError(
      jwkText({ kty: 'OKP', crv: 'X25519', x: 'AAAA' }),
      'JWK has crv X25519, a key-agreement curve, not a signing curve (Ed25519)',
    );
    await expectImportError(jwkText({ ...ecPub, x: 'not base64url!' }), 'JWK member x is not a base64url string');
    const { qi: _qi, ...noQi } = jwkOf(rsa.privateKey);
    await expectImportError(
      jwkText(noQi),
      'JWK has kty RSA and d but no qi (a private RSA JWK needs d, p, q, dp, dq, qi)',
    );
    await expectImportError(jwkText({ kty: 'oct', k: '' }), 'JWK has kty oct but an empty k');
    await expectImportError(jwkText({ ...ecPub, use: 'enc' }), 'JWK has use "enc": only signature keys (use sig) are imported');
    await expectImportError(jwkText({ ...ecPub, key_ops: ['encrypt'] }), 'JWK key_ops ["encrypt"] allow neither sign nor verify');
    await expectImportError(jwkText({ ...ecPub, alg: 'RSA-OAEP' }), 'JWK has alg RSA-OAEP: it is an encryption key, not a signing key');
    await expectImportError(jwkText({ ...ecPub, alg: 'ES256' }), 'JWK has alg ES256, which does not fit a EC P-384 key');
    await expectImportError(jwkText({ ...ecPub, kid: 7 }), 'JWK kid is not a non-empty string');
    await expectImportError(jwkText([ecPub]), 'JWK is not a JSON object');
  });

  it('numbers OpenSSL rejects, and private parts that belong to another key', async () => {
    const ecPub = jwkOf(ec.publicKey) as { x: string };
    const offCurve = { ...ecPub, x: Buffer.alloc(48, 7).toString('base64url') };
    expect((await importError(jwkText(offCurve))).message).toMatch(/^JWK is not a valid EC P-384 key \(.+\)$/);
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const mixed = { ...jwkOf(ec.privateKey), d: jwkOf(other.privateKey).d };
    await expectImportError(jwkText(mixed), 'JWK private part does not match its public part');
    const otherRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const mixedRsa = { ...jwkOf(otherRsa.privateKey), n: jwkOf(rsa.publicKey).n };
    await expectImportError(jwkText(mixedRsa), 'JWK private part does not match its public part');
  });

  it('JSON syntax errors say where, without quoting the text (it may be a secret)', async () => {
    const error = await importError({ type: 'jwk', value: '{"kty": "oct",\n "k": hunter2}' });
    expect(error.message).toBe('JWK is not valid JSON at line 2, column 7: expected a value');
    expect(error.message).not.toContain('hunter2');
  });

  it('a JWKS names the bad key by its index and imports nothing', async () => {
    const { crv: _crv, ...noCrv } = jwkOf(ec.publicKey);
    await expectImportError(jwksText([jwkOf(rsa.publicKey), jwkOf(ed.publicKey), jwkOf(ec.publicKey), noCrv]), 'JWKS key 3: JWK has kty EC but no crv');
    await expectImportError(jwksText([]), 'JWKS has no keys');
    await expectImportError({ type: 'jwks', value: '{"keys": {}}' }, 'JWKS keys member is not an array');
  });

  it('secrets in the wrong encoding, and text that is no key at all', async () => {
    expect((await importError({ type: 'secret', value: 'abcz', encoding: 'hex' })).message).toMatch(/^secret: not valid hex at position 3/);
    await expectImportError({ type: 'secret', value: '', encoding: 'utf8' }, 'secret: the secret is empty');
    await expectImportError(
      { type: 'auto', value: 'just some words' },
      'text is not a PEM key, a JWK or a JWKS; to import a raw secret, choose its encoding',
    );
    await expectImportError({ type: 'auto', value: '   ' }, 'import text is empty');
    const wrongShape = await importError({ type: 'nonsense', value: 'x' } as unknown as KeyInput);
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
      code: 'import-invalid',
      message: 'JWKS key 2: JWK has kty EC but no crv',
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
