// Generation, export forms, thumbprints, and full round trips for every key type (issue 4).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GENERATE_ALGS,
  generateKey,
  jwkThumbprint,
  keyFileStem,
  keygenOutput,
  KeyStore,
  KeyStoreError,
  PRIVATE_MEMBERS,
  writeKeyFiles,
  type GenerateAlg,
} from '../../electron/services/keys';
import { SignError } from '../../shared/core/sign';
import { verifyToken } from '../../shared/core/verify';
import { tempDir, unencrypted, passphrase } from './keys-test-support';

// RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
const RFC7638_JWK = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjB' +
    'ZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8' +
    'KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_' +
    'xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

const HEADER = '{"typ":"JWT"}';
const PAYLOAD = '{"sub":"1234567890","name":"round trip","iat":1516239022}';

function privateMembersIn(jwk: object | null): string[] {
  return jwk === null ? [] : Object.keys(jwk).filter((name) => (PRIVATE_MEMBERS as readonly string[]).includes(name));
}

async function rejection(promise: Promise<unknown>): Promise<KeyStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyStoreError);
    return error as KeyStoreError;
  }
  throw new Error('expected a KeyStoreError');
}

describe('thumbprints (RFC 7638)', () => {
  it('computes the §3.1 example, and uses the kid of a JWK or else the thumbprint', async () => {
    expect(await jwkThumbprint(RFC7638_JWK)).toBe(RFC7638_THUMBPRINT);
    const dir = tempDir('keys-thumb-');
    try {
      const store = await KeyStore.open({ dataDir: dir, protection: unencrypted });
      const withKid = await store.import({ type: 'jwk', value: JSON.stringify(RFC7638_JWK) });
      expect(withKid.imported[0]).toMatchObject({ thumbprint: RFC7638_THUMBPRINT, kid: '2011-04-29', alg: 'RS256', algorithms: ['RS256'] });
      await store.remove(withKid.imported[0]?.id as string);
      const { kid: _kid, alg: _alg, ...bare } = RFC7638_JWK;
      const noKid = await store.import({ type: 'jwk', value: JSON.stringify(bare) });
      expect(noKid.imported[0]).toMatchObject({ thumbprint: RFC7638_THUMBPRINT, kid: RFC7638_THUMBPRINT, alg: null });
      expect(noKid.imported[0]?.algorithms).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generateKey', () => {
  it.each([
    ['RS256', undefined, 'RSA', 2048],
    ['PS384', 3072, 'RSA', 3072],
    ['ES256', undefined, 'EC', 'P-256'],
    ['ES384', undefined, 'EC', 'P-384'],
    ['ES512', undefined, 'EC', 'P-521'],
    ['EdDSA', undefined, 'OKP', 'Ed25519'],
    ['HS256', undefined, 'oct', 256],
    ['HS384', undefined, 'oct', 384],
    ['HS512', undefined, 'oct', 512],
    ['HS256', 136, 'oct', 136],
  ] as const)('%s (bits %s) → %s %s', async (alg, bits, kty, sizeOrCurve) => {
    const key = await generateKey(alg, bits === undefined ? {} : { bits });
    expect(key.alg).toBe(alg);
    expect(key.privateJwk).toMatchObject({ kty, kid: key.kid, alg });
    expect(key.kid).toBe(await jwkThumbprint(key.privateJwk));
    if (kty === 'oct') {
      expect(key.publicJwk).toBeNull();
      expect(Buffer.from(key.privateJwk.k as string, 'base64url').length * 8).toBe(sizeOrCurve);
      return;
    }
    expect(key.publicJwk).toMatchObject({ kty, kid: key.kid, alg, use: 'sig' });
    expect(privateMembersIn(key.publicJwk)).toEqual([]);
    const publicKey = crypto.createPublicKey({ key: key.publicJwk as crypto.JsonWebKey, format: 'jwk' });
    if (kty === 'RSA') expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(sizeOrCurve);
    else expect(key.publicJwk?.crv).toBe(sizeOrCurve);
    // The private JWK is a working key whose public half is publicJwk.
    const privateKey = crypto.createPrivateKey({ key: key.privateJwk as crypto.JsonWebKey, format: 'jwk' });
    expect(crypto.createPublicKey(privateKey).export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
  });

  it('takes a kid, and rejects sizes and algorithms it does not generate', async () => {
    expect((await generateKey('ES256', { kid: 'my key 1' })).privateJwk.kid).toBe('my key 1');
    const cases: [GenerateAlg | string, object, string, string][] = [
      ['RS256', { bits: 1024 }, 'invalid-argument', 'RSA keys are generated with 2048, 3072, 4096 bits, not 1024'],
      ['HS256', { bits: 120 }, 'invalid-argument', 'an HMAC secret has a whole number of bytes between 128 and 4096 bits, not 120'],
      ['HS256', { bits: 130 }, 'invalid-argument', 'an HMAC secret has a whole number of bytes between 128 and 4096 bits, not 130'],
      ['ES256', { bits: 384 }, 'invalid-argument', 'ES256 keys have 256 bits; --bits 384 does not apply'],
      ['ES256K', {}, 'unsupported-alg', `cannot generate a key for ES256K (${GENERATE_ALGS.join(', ')})`],
      ['ES256', { kid: '' }, 'invalid-argument', 'a kid is 1 to 256 characters without control characters'],
    ];
    for (const [alg, options, code, message] of cases) {
      const error = await rejection(generateKey(alg as GenerateAlg, options));
      expect([error.code, error.message]).toEqual([code, message]);
    }
  });

  it('an RSA 4096 generation does not block the event loop', async () => {
    // Control: a synchronous generation holds the loop for its whole duration, and the probe sees it.
    const probe = () => {
      let last = performance.now();
      let maxGap = 0;
      let ticks = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks++;
      }, 5);
      return { stop: () => (clearInterval(timer), { maxGap, ticks }) };
    };
    const blocking = probe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const syncStart = performance.now();
    crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const syncTook = performance.now() - syncStart;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(blocking.stop().maxGap).toBeGreaterThanOrEqual(syncTook - 1);

    const running = probe();
    const start = performance.now();
    const key = await generateKey('RS512', { bits: 4096 });
    const took = performance.now() - start;
    const { maxGap, ticks } = running.stop();
    expect(crypto.createPublicKey({ key: key.publicJwk as crypto.JsonWebKey, format: 'jwk' }).asymmetricKeyDetails?.modulusLength).toBe(4096);
    // The loop kept ticking through the whole generation (5 ms timer; generous slack for a busy machine).
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 50));
    expect(maxGap).toBeLessThan(Math.max(150, took / 4));
  }, 60_000);
});

describe('keygenOutput: what `jwtdbg keygen` prints', () => {
  it('JWK form: exactly kid, alg, public, private', async () => {
    const key = await generateKey('ES256');
    const out = await keygenOutput(key, 'jwk');
    expect(Object.keys(out)).toEqual(['kid', 'alg', 'public', 'private']);
    expect(out).toEqual({ kid: key.kid, alg: 'ES256', public: key.publicJwk, private: key.privateJwk });
    const secret = await keygenOutput(await generateKey('HS256'), 'jwk');
    expect(secret.public).toBeNull();
  });

  it('PEM form: SPKI and PKCS#8 of the same key', async () => {
    const key = await generateKey('EdDSA');
    const out = await keygenOutput(key, 'pem');
    expect(Object.keys(out)).toEqual(['kid', 'alg', 'public', 'private']);
    expect(out.public).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(out.private).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const fromPem = crypto.createPublicKey(crypto.createPrivateKey(out.private as string)).export({ format: 'jwk' });
    expect(crypto.createPublicKey(out.public as string).export({ format: 'jwk' })).toEqual(fromPem);
    expect(fromPem.x).toBe(key.publicJwk?.x);
    const error = await rejection(keygenOutput(await generateKey('HS512'), 'pem'));
    expect([error.code, error.message]).toEqual(['format-unsupported', 'HS512 secrets have no PEM form; use the JWK format']);
  });
});

describe('writeKeyFiles: `jwtdbg keygen --out DIR`', () => {
  it('writes the private part 0600 and the public part beside it, never over an existing file', async () => {
    const dir = tempDir('keys-files-');
    try {
      const key = await generateKey('ES256');
      const files = await writeKeyFiles(await keygenOutput(key, 'pem'), dir, 'pem');
      expect(files).toEqual({
        privatePath: path.join(dir, `${key.kid}.private.pem`),
        publicPath: path.join(dir, `${key.kid}.public.pem`),
      });
      if (process.platform !== 'win32') expect(fs.statSync(files.privatePath).mode & 0o777).toBe(0o600);
      const fromFile = crypto.createPrivateKey(fs.readFileSync(files.privatePath, 'utf8'));
      expect(crypto.createPublicKey(fromFile).export({ format: 'jwk' })).toEqual(
        crypto.createPublicKey(fs.readFileSync(files.publicPath as string, 'utf8')).export({ format: 'jwk' }),
      );
      const again = await rejection(writeKeyFiles(await keygenOutput(key, 'pem'), dir, 'pem'));
      expect([again.code, again.message]).toEqual(['file-write-failed', `cannot write ${files.privatePath} (it already exists)`]);

      const secret = await generateKey('HS256', { kid: '../odd kid' });
      expect(keyFileStem(secret.kid)).toBe('__odd_kid');
      const secretFiles = await writeKeyFiles(await keygenOutput(secret, 'jwk'), dir, 'jwk');
      expect(secretFiles).toEqual({ publicPath: null, privatePath: path.join(dir, '__odd_kid.private.jwk') });
      expect(JSON.parse(fs.readFileSync(secretFiles.privatePath, 'utf8'))).toEqual(secret.privateJwk);

      // A public file in the way: nothing is left behind, not even the private file.
      const other = await generateKey('EdDSA', { kid: 'blocked' });
      fs.writeFileSync(path.join(dir, 'blocked.public.jwk'), 'occupied');
      expect((await rejection(writeKeyFiles(await keygenOutput(other, 'jwk'), dir, 'jwk'))).code).toBe('file-write-failed');
      expect(fs.existsSync(path.join(dir, 'blocked.private.jwk'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('round trip: generate → export (JWK, PEM) → import → sign → verify with the exported public key', () => {
  let dir: string;
  let source: KeyStore;
  let viaPem: KeyStore;
  let viaJwk: KeyStore;

  beforeAll(async () => {
    dir = tempDir('keys-roundtrip-');
    source = await KeyStore.open({ dataDir: path.join(dir, 'a'), protection: passphrase('source') });
    viaPem = await KeyStore.open({ dataDir: path.join(dir, 'b'), protection: unencrypted });
    viaJwk = await KeyStore.open({ dataDir: path.join(dir, 'c'), protection: passphrase('other') });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(GENERATE_ALGS.map((alg) => [alg]))('%s', async (alg) => {
    const generated = await source.generate(alg);
    expect(generated).toMatchObject({ alg, algorithms: [alg], hasPrivate: true, kid: generated.thumbprint });
    const privateJwkText = await source.revealPrivateKey(generated.id, 'jwk');

    const imported = await viaJwk.import({ type: 'jwk', value: privateJwkText });
    expect(imported.imported[0]).toMatchObject({ thumbprint: generated.thumbprint, kid: generated.kid, alg, hasPrivate: true });
    const signedViaJwk = await viaJwk.sign(imported.imported[0]?.id as string, { headerText: HEADER, payloadText: PAYLOAD });
    expect(signedViaJwk.alg).toBe(alg);
    expect(signedViaJwk.kid).toBe(generated.kid);

    if (alg.startsWith('HS')) {
      const error = await rejection(source.revealPrivateKey(generated.id, 'pem'));
      expect(error.code).toBe('format-unsupported');
      // No public form: the secret verifies, given by the store or as the raw secret.
      const k = (JSON.parse(privateJwkText) as { k: string }).k;
      for (const key of [await source.verificationKey(generated.id), { type: 'secret' as const, value: k, encoding: 'base64url' as const }]) {
        expect((await verifyToken(signedViaJwk.token, key)).valid).toBe(true);
      }
      expect((await source.verify(generated.id, signedViaJwk.token)).valid).toBe(true);
      return;
    }

    const privatePemText = await source.revealPrivateKey(generated.id, 'pem');
    expect(privatePemText).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const fromPem = await viaPem.import({ type: 'pem', value: privatePemText });
    // A PEM has no alg: the key is not pinned, and the signer needs to be told which algorithm.
    expect(fromPem.imported[0]).toMatchObject({ thumbprint: generated.thumbprint, alg: null, hasPrivate: true });
    const signedViaPem = await viaPem.sign(fromPem.imported[0]?.id as string, { headerText: HEADER, payloadText: PAYLOAD, alg });

    const publicJwk = await source.exportPublicJwk(generated.id);
    const publicPem = await source.exportPublicPem(generated.id);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    for (const token of [signedViaJwk.token, signedViaPem.token]) {
      const withJwk = await verifyToken(token, { type: 'jwk', value: JSON.stringify(publicJwk) });
      expect([withJwk.valid, withJwk.alg, withJwk.reason]).toEqual([true, alg, null]);
      const withPem = await verifyToken(token, { type: 'pem', value: publicPem });
      expect([withPem.valid, withPem.reason]).toEqual([true, null]);
      expect((await source.verify(generated.id, token)).valid).toBe(true);
    }
    // And a token altered by one byte of payload does not verify.
    const [h, p, s] = signedViaJwk.token.split('.') as [string, string, string];
    const altered = `${h}.${Buffer.from(PAYLOAD.replace('round', 'ROUND')).toString('base64url')}.${s}`;
    expect(p).not.toBe(altered.split('.')[1]);
    expect((await source.verify(generated.id, altered)).reason).toBe('signature-mismatch');
  }, 30_000);
});

describe('using stored keys', () => {
  let dir: string;
  let store: KeyStore;

  beforeAll(async () => {
    dir = tempDir('keys-use-');
    store = await KeyStore.open({ dataDir: dir, protection: unencrypted });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keysForAlg offers the keys that fit: any for verify, only private ones for sign', async () => {
    const es = await store.generate('ES256');
    const rsaPublic = (
      await store.import({
        type: 'pem',
        value: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string,
      })
    ).imported[0];
    const ps = await store.generate('PS256');
    expect((await store.keysForAlg('ES256')).map((k) => k.id)).toEqual([es.id]);
    expect((await store.keysForAlg('PS256')).map((k) => k.id)).toEqual([rsaPublic?.id, ps.id]);
    expect((await store.keysForAlg('PS256', 'sign')).map((k) => k.id)).toEqual([ps.id]);
    expect((await store.keysForAlg('RS256')).map((k) => k.id)).toEqual([rsaPublic?.id]); // ps is pinned to PS256
    expect(await store.keysForAlg('none')).toEqual([]);

    const error = await rejection(store.sign(rsaPublic?.id as string, { headerText: HEADER, payloadText: PAYLOAD, alg: 'RS256' }));
    expect(error.code).toBe('no-private-part');
    const pinned = await rejection(store.sign(ps.id, { headerText: HEADER, payloadText: PAYLOAD, alg: 'RS256' }));
    expect([pinned.code, pinned.message]).toEqual(['alg-not-allowed', `key ${ps.kid} (RSA 2048) signs PS256, not RS256`]);
    expect((await rejection(store.sign('no-such-id', { headerText: HEADER, payloadText: PAYLOAD }))).code).toBe('not-found');
    // Problems with the header are the shared signer's, with its codes.
    await expect(store.sign(es.id, { headerText: '{"alg":', payloadText: PAYLOAD })).rejects.toBeInstanceOf(SignError);
  });

  it('exports a JWKS of selected keys or of all public keys; a secret has no public form', async () => {
    const ed = await store.generate('EdDSA', { kid: 'ed-1' });
    const hs = await store.generate('HS256', { kid: 'hs-1' });
    expect(await store.exportJwks([ed.id])).toEqual({ keys: [await store.exportPublicJwk(ed.id)] });
    const all = await store.exportJwks();
    expect(all.keys.map((k) => k.kid)).toContain('ed-1');
    expect(all.keys.map((k) => k.kid)).not.toContain('hs-1');
    for (const jwk of all.keys) expect(privateMembersIn(jwk)).toEqual([]);
    for (const error of [await rejection(store.exportJwks([hs.id])), await rejection(store.exportPublicJwk(hs.id)), await rejection(store.exportPublicPem(hs.id))]) {
      expect(error.code).toBe('no-public-part');
    }
    const twin = await store.generate('ES384', { kid: 'ed-1' });
    expect((await rejection(store.exportJwks([ed.id, twin.id]))).message).toBe('two selected keys share kid "ed-1"');
  });

  it('edits kid and label, removes keys, and names a missing id', async () => {
    const key = await store.generate('ES512', { label: 'first' });
    const edited = await store.update(key.id, { kid: 'renamed', label: 'second' });
    expect(edited).toMatchObject({ kid: 'renamed', label: 'second', thumbprint: key.thumbprint });
    expect((await store.exportPublicJwk(key.id)).kid).toBe('renamed');
    const signed = await store.sign(key.id, { headerText: HEADER, payloadText: PAYLOAD });
    expect(JSON.parse(Buffer.from(signed.token.split('.')[0] as string, 'base64url').toString())).toEqual({ alg: 'ES512', typ: 'JWT' });
    expect(signed.kid).toBe('renamed');
    expect((await rejection(store.update(key.id, { label: 'bad\u0007label' }))).code).toBe('invalid-argument');
    await store.remove(key.id);
    const missing = await rejection(store.get(key.id));
    expect([missing.code, missing.message]).toEqual(['not-found', `no stored key has id "${key.id}"`]);
    expect((await rejection(store.remove(key.id))).code).toBe('not-found');
  });

  it('writes a private key to a file with mode 0600, as PEM or JWK', async () => {
    const key = await store.generate('RS256');
    const pemFile = path.join(dir, 'export', 'key.pem');
    fs.mkdirSync(path.dirname(pemFile));
    expect(await store.exportPrivateKeyToFile(key.id, { format: 'pem', path: pemFile })).toEqual({ path: pemFile });
    if (process.platform !== 'win32') expect(fs.statSync(pemFile).mode & 0o777).toBe(0o600);
    const exported = crypto.createPrivateKey(fs.readFileSync(pemFile, 'utf8'));
    expect(crypto.createPublicKey(exported).export({ format: 'jwk' }).n).toBe((await store.exportPublicJwk(key.id)).n);
    const jwkFile = path.join(dir, 'export', 'key.jwk');
    await store.exportPrivateKeyToFile(key.id, { format: 'jwk', path: jwkFile });
    expect(JSON.parse(fs.readFileSync(jwkFile, 'utf8'))).toMatchObject({ kty: 'RSA', kid: key.kid, alg: 'RS256' });
    expect(fs.readdirSync(path.dirname(pemFile)).sort()).toEqual(['key.jwk', 'key.pem']);
  });
});
