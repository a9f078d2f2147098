// The keys.* methods and stored-key signing through the dispatcher over the real services: each bad
// input is refused with a specific code and message, and the store's state decides what setup/unlock do.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import type { ServicesConfig } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/method-names';
import { TEST_SCRYPT_COST, tempDir, testKeychain } from './keys-test-support';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function host(keys: ServicesConfig['keys'] = {}, dataDir?: string) {
  const dir = dataDir ?? tempDir('keys-contract-');
  if (!dataDir) dirs.push(dir);
  const dispatch = createDispatcher(createHandlers(createServices({ dataDir: dir, keys: { scryptCost: TEST_SCRYPT_COST, ...keys } })));
  const call = (method: MethodName, request: unknown) => dispatch(method, request, { transport: 'http' }) as Promise<any>;
  return { dir, call };
}

async function unlocked() {
  const h = host({ unencryptedTestStore: true });
  expect((await h.call('keys.status', {})).value).toMatchObject({ state: 'unlocked', protection: 'none' });
  return h;
}

describe('keys.status / setup / unlock', () => {
  it('a fresh passphrase host needs setup, refuses weak passphrases, then locks until unlocked', async () => {
    const h = host();
    expect((await h.call('keys.status', {})).value).toEqual({
      state: 'needs-setup',
      protection: null,
      setupChoices: ['passphrase', 'unencrypted-test-store'],
      privateExport: ['file'],
      keyCount: null,
      notice: null,
    });
    expect(await h.call('keys.list', {})).toEqual({
      ok: false,
      error: { code: 'keys-locked', message: 'there is no key store yet: set one up in the Keys view first' },
    });
    expect((await h.call('keys.setup', { protection: 'passphrase', passphrase: 'short' })).error).toEqual({
      code: 'invalid-argument',
      message: 'the passphrase must be at least 8 characters long',
    });
    expect((await h.call('keys.setup', { protection: 'plain' })).error).toMatchObject({
      code: 'bad-request',
      message: 'protection: expected one of "passphrase", "safe-storage", "unencrypted-test-store", got "plain"',
    });
    expect((await h.call('keys.setup', { protection: 'safe-storage' })).error).toMatchObject({ code: 'encryption-unavailable' });
    expect((await h.call('keys.setup', { protection: 'passphrase', passphrase: 'long enough pass' })).value).toMatchObject({
      state: 'unlocked',
      protection: 'passphrase',
      keyCount: 0,
    });
    expect((await h.call('keys.setup', { protection: 'unencrypted-test-store' })).error).toEqual({
      code: 'invalid-argument',
      message: 'the key store is already set up',
    });
    await h.call('keys.generate', { alg: 'ES256' });

    // Another host (a restart) over the same folder: locked, wrong passphrase refused, right one opens.
    const again = host({}, h.dir);
    expect((await again.call('keys.status', {})).value).toMatchObject({ state: 'locked', protection: 'passphrase', keyCount: 1 });
    expect((await again.call('keys.list', {})).error.code).toBe('keys-locked');
    expect((await again.call('keys.setup', { protection: 'unencrypted-test-store' })).error.message).toBe(
      'a key store already exists: unlock it with its passphrase',
    );
    expect((await again.call('keys.unlock', { passphrase: 'not the one' })).error).toEqual({
      code: 'wrong-passphrase',
      message: 'the passphrase does not open this key store',
    });
    expect((await again.call('keys.unlock', { passphrase: 'long enough pass' })).value).toMatchObject({ state: 'unlocked', keyCount: 1 });
    expect((await again.call('keys.unlock', { passphrase: '' })).error.code).toBe('bad-request');
  });

  it('keys.reset moves a store that cannot be unlocked aside, and only that', async () => {
    const h = host();
    await h.call('keys.setup', { protection: 'passphrase', passphrase: 'long enough pass' });
    expect((await h.call('keys.reset', { confirmed: true })).error).toEqual({
      code: 'invalid-argument',
      message: 'the key store is open: remove keys one by one instead of starting over',
    });
    const forgot = host({}, h.dir);
    expect((await forgot.call('keys.reset', {})).error).toMatchObject({ code: 'bad-request', message: 'confirmed: is required (true)' });
    const status = (await forgot.call('keys.reset', { confirmed: true })).value;
    expect(status).toMatchObject({ state: 'needs-setup', notice: expect.stringMatching(/^The previous key store was moved to .*keys\.json\.corrupt-/) });
    expect(fs.readdirSync(h.dir).filter((name) => name.startsWith('keys.json.corrupt-'))).toHaveLength(1);
  });

  it('Electron with a usable keychain opens by itself; the unencrypted flag never opens a passphrase store', async () => {
    const e = host({ safeStorage: testKeychain() });
    expect((await e.call('keys.status', {})).value).toMatchObject({
      state: 'unlocked',
      protection: 'safe-storage',
      setupChoices: ['safe-storage', 'passphrase', 'unencrypted-test-store'],
    });
    const p = host();
    await p.call('keys.setup', { protection: 'passphrase', passphrase: 'long enough pass' });
    expect((await host({ unencryptedTestStore: true }, p.dir).call('keys.status', {})).value).toMatchObject({ state: 'locked' });
    // A keychain store seen from a host without that keychain is unavailable, not overwritten.
    expect((await host({}, e.dir).call('keys.status', {})).value).toMatchObject({ state: 'unavailable', protection: 'safe-storage' });
  });

  it('a corrupt store is reported, and set aside (not deleted) by setup', async () => {
    const h = host();
    fs.writeFileSync(path.join(h.dir, 'keys.json'), '{ not json');
    const status = (await h.call('keys.status', {})).value;
    expect(status.state).toBe('needs-setup');
    expect(status.notice).toMatch(/cannot be read \(corrupt\); setting up a new store moves it aside/);
    const after = (await h.call('keys.setup', { protection: 'unencrypted-test-store' })).value;
    expect(after.notice).toMatch(/It was moved to .*keys\.json\.corrupt-/);
    expect(fs.readdirSync(h.dir).some((name) => name.startsWith('keys.json.corrupt-'))).toBe(true);
  });
});

describe('keys.* bad input names what is wrong', () => {
  it('generate', async () => {
    const { call } = await unlocked();
    expect((await call('keys.generate', { alg: 'ES257' })).error).toMatchObject({ code: 'unsupported-alg', message: expect.stringContaining('cannot generate a key for ES257') });
    expect((await call('keys.generate', { alg: 'RS256', bits: 1024 })).error.code).toBe('invalid-argument');
    expect((await call('keys.generate', { alg: 'ES256', bits: 384 })).error).toEqual({ code: 'invalid-argument', message: 'ES256 keys have 256 bits; --bits 384 does not apply' });
    expect((await call('keys.generate', { alg: 'ES256', bits: 1.5 })).error).toMatchObject({ code: 'bad-request', details: { path: 'bits' } });
    expect((await call('keys.generate', {})).error).toMatchObject({ code: 'bad-request', message: 'alg: is required (a string)' });
    const key = (await call('keys.generate', { alg: 'HS384', kid: 'my-kid', label: 'mine' })).value;
    expect(key).toMatchObject({ kid: 'my-kid', label: 'mine', kty: 'oct', size: 384, alg: 'HS384', hasPrivate: true, publicJwk: null });
  });

  it('import: PEM of the wrong type, JWK without crv, nothing imported', async () => {
    const { call } = await unlocked();
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n';
    // The store reads keys with the core importer: its KeyError codes are the answer (keys.import declares them).
    expect((await call('keys.import', { input: { type: 'pem', value: csr } })).error).toEqual({
      code: 'pem-unsupported',
      message: 'PEM block type CERTIFICATE REQUEST is not a key',
    });
    expect((await call('keys.import', { input: { type: 'jwk', value: '{"kty":"EC","x":"AA","y":"AA"}' } })).error).toEqual({
      code: 'jwk-invalid',
      message: 'JWK has kty EC but no crv',
    });
    expect((await call('keys.import', { input: { type: 'stored', id: 'x' } })).error).toMatchObject({ code: 'bad-request', details: { path: 'input.type' } });
    expect((await call('keys.list', {})).value).toEqual([]);
  });

  it('update, remove, exportPublic, exportPrivate', async () => {
    const { call } = await unlocked();
    const es = (await call('keys.generate', { alg: 'ES256' })).value;
    const hs = (await call('keys.generate', { alg: 'HS256' })).value;
    const missing = '00000000-0000-0000-0000-000000000000';
    expect((await call('keys.update', { id: missing, label: 'x' })).error).toEqual({ code: 'not-found', message: `no stored key has id "${missing}"` });
    expect((await call('keys.update', { id: es.id })).error).toEqual({ code: 'invalid-argument', message: 'nothing to change: give a label or a kid' });
    expect((await call('keys.update', { id: es.id, kid: 'bad kid\n' })).error.code).toBe('invalid-argument');
    expect((await call('keys.update', { id: es.id, kid: 'k-1', label: 'L' })).value).toMatchObject({ kid: 'k-1', label: 'L', publicJwk: { kid: 'k-1' } });
    expect((await call('keys.exportPublic', { ids: [], format: 'jwks' })).error).toMatchObject({ code: 'bad-request', details: { path: 'ids' } });
    expect((await call('keys.exportPublic', { ids: [es.id, hs.id], format: 'jwk' })).error).toEqual({
      code: 'invalid-argument',
      message: 'a JWK export takes exactly one key (got 2); use jwks for several',
    });
    expect((await call('keys.exportPublic', { ids: [hs.id], format: 'pem' })).error.code).toBe('no-public-part');
    const jwks = (await call('keys.exportPublic', { ids: [es.id], format: 'jwks' })).value;
    expect(jwks).toMatchObject({ format: 'jwks', fileName: 'jwks.json', mediaType: 'application/jwk-set+json' });
    expect(JSON.parse(jwks.text)).toEqual({ keys: [es.publicJwk && { ...es.publicJwk, kid: 'k-1' }] });
    const pem = (await call('keys.exportPublic', { ids: [es.id], format: 'pem' })).value;
    expect(pem).toMatchObject({ fileName: 'k-1.public.pem', text: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/) });

    expect((await call('keys.exportPrivate', { id: es.id, format: 'pem', destination: 'file' })).error).toMatchObject({
      code: 'bad-request',
      message: 'confirmed: is required (true)',
    });
    expect((await call('keys.exportPrivate', { id: es.id, format: 'pem', destination: 'clipboard', confirmed: true })).error).toEqual({
      code: 'not-supported',
      message: 'this host exports private keys only to: file',
    });
    const saved = (await call('keys.exportPrivate', { id: es.id, format: 'pem', destination: 'file', confirmed: true })).value;
    expect(saved.status).toBe('saved');
    expect(fs.readFileSync(saved.path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(fs.statSync(saved.path).mode & 0o777).toBe(0o600);

    expect((await call('keys.remove', { id: es.id })).value).toEqual({ removed: es.id });
    expect((await call('keys.remove', { id: es.id })).error.code).toBe('not-found');
  });

  it('crypto.sign / crypto.verify with a stored key', async () => {
    const { call } = await unlocked();
    const es = (await call('keys.generate', { alg: 'ES256', kid: 'es' })).value;
    const pub = (await call('keys.import', { input: { type: 'jwk', value: JSON.stringify({ ...es.publicJwk, kid: 'pub' }) } })).value;
    const signed = (await call('crypto.sign', { headerText: '{"typ":"JWT"}', payloadText: '{"a":1}', key: { type: 'stored', id: es.id } })).value;
    expect(signed).toMatchObject({ alg: 'ES256', kid: 'es' });
    expect((await call('crypto.verify', { token: signed.token, key: { type: 'stored', id: es.id } })).value).toMatchObject({ valid: true, alg: 'ES256' });
    expect((await call('crypto.sign', { headerText: '{}', payloadText: '{}', key: { type: 'stored', id: es.id }, alg: 'RS256' })).error).toMatchObject({
      code: 'alg-not-allowed',
    });
    expect((await call('crypto.sign', { headerText: '{', payloadText: '{}', key: { type: 'stored', id: es.id } })).error.code).not.toBe('internal');
    expect((await call('crypto.sign', { headerText: '{}', payloadText: '{}', key: { type: 'stored', id: 'nope' } })).error.code).toBe('not-found');
    expect((await call('crypto.verify', { token: signed.token, key: { type: 'stored', id: 'x'.repeat(65) } })).error).toMatchObject({ code: 'bad-request', details: { path: 'key.id' } });
    expect(pub.existing).toHaveLength(1); // same thumbprint: the store already has it
    expect((await call('keys.list', { alg: 'ES256', purpose: 'sign' })).value.map((k: { id: string }) => k.id)).toEqual([es.id]);
    expect((await call('keys.list', { alg: 'RS256' })).value).toEqual([]);
  });
});
