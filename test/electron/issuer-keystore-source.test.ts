// KeyStoreSigningKeySource: the issuer's signing keys kept in the key store, with their roles (current,
// retired and when) in a roles file of ids only — so a restart signs with the same key and keeps publishing
// retired ones, and nothing private is written outside the (encrypted) store.
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyStore } from '../../electron/services/keys/index';
import { KeyStoreSigningKeySource, ROLES_FILE_NAME } from '../../electron/services/issuer/keystore-source';
import { SigningKeyError } from '../../electron/services/issuer/keys';
import { TEST_SCRYPT_COST, tempDir } from './keys-test-support';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function open(dir: string, options: { alg?: 'ES256' | 'RS256' | 'HS256' | 'EdDSA'; keyId?: string; passphrase?: string } = {}) {
  const store = await KeyStore.open({
    dataDir: dir,
    protection: options.passphrase ? { kind: 'passphrase', passphrase: options.passphrase, cost: TEST_SCRYPT_COST } : { kind: 'unencrypted-test-store' },
  });
  const source = await KeyStoreSigningKeySource.open({ store, dir: path.join(dir, 'issuer'), ...(options.alg && { alg: options.alg }), ...(options.keyId && { keyId: options.keyId }), now: 1_000 });
  return { store, source };
}

function newDir(): string {
  const dir = tempDir('issuer-keysource-');
  dirs.push(dir);
  return dir;
}

describe('KeyStoreSigningKeySource', () => {
  it('generates a key in the store on first use, and signs with the same key after a restart', async () => {
    const dir = newDir();
    const first = await open(dir, { alg: 'ES256', passphrase: 'a passphrase for tests' });
    const key = first.source.current();
    expect(key.alg).toBe('ES256');
    expect((await first.store.list()).map((k) => k.kid)).toEqual([key.kid]);
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey);

    const again = await open(dir, { passphrase: 'a passphrase for tests' });
    expect(again.source.current().kid).toBe(key.kid);
    await jwtVerify(token, await importJWK(again.source.current().publicJwk!, 'ES256'));
    // The roles file holds ids only.
    const roles = fs.readFileSync(path.join(dir, 'issuer', ROLES_FILE_NAME), 'utf8');
    expect(roles).not.toMatch(/"d"|"k"|PRIVATE/);
  });

  it('rotation retires the current key with its time, and both survive a restart; release removes a generated key', async () => {
    const dir = newDir();
    const { source, store } = await open(dir, { alg: 'EdDSA' });
    const old = source.current();
    const next = await source.rotate(5_000);
    expect(next.kid).not.toBe(old.kid);
    expect(source.retired().map((k) => [k.kid, k.retiredAt])).toEqual([[old.kid, 5_000]]);

    const again = await open(dir);
    expect(again.source.current().kid).toBe(next.kid);
    expect(again.source.retired().map((k) => [k.kid, k.retiredAt])).toEqual([[old.kid, 5_000]]);

    again.source.release(old.kid);
    expect(again.source.retired()).toEqual([]);
    await expect.poll(async () => (await store.list()).map((k) => k.kid).includes(old.kid)).toBe(false);
  });

  it('signs with a chosen stored key (never removing it), and refuses one that cannot sign', async () => {
    const dir = newDir();
    const store = await KeyStore.open({ dataDir: dir, protection: { kind: 'unencrypted-test-store' } });
    const chosen = await store.generate('RS256', { label: 'mine' });
    const source = await KeyStoreSigningKeySource.open({ store, dir: path.join(dir, 'issuer'), keyId: chosen.id, now: 0 });
    expect(source.current()).toMatchObject({ kid: chosen.kid, alg: 'RS256' });
    await source.rotate(10);
    source.release(chosen.kid);
    await new Promise((r) => setTimeout(r, 50));
    expect((await store.list()).some((k) => k.id === chosen.id)).toBe(true);

    // A key of another family than the asked alg, and a public key alone, cannot sign.
    const mismatch = KeyStoreSigningKeySource.open({ store, dir: path.join(dir, 'issuer2'), keyId: chosen.id, alg: 'ES256', now: 0 });
    await expect(mismatch).rejects.toBeInstanceOf(SigningKeyError);
    await expect(mismatch).rejects.toThrow(/cannot sign ES256/);
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const imported = await store.import({ type: 'jwk', value: JSON.stringify(await exportJWK(publicKey)) });
    const publicOnly = KeyStoreSigningKeySource.open({ store, dir: path.join(dir, 'issuer3'), keyId: imported.imported[0]!.id, now: 0 });
    await expect(publicOnly).rejects.toThrow(/has no private part/);
  });

  it('an HMAC key is never published', async () => {
    const { source } = await open(newDir(), { alg: 'HS256' });
    expect(source.current()).toMatchObject({ alg: 'HS256', publicJwk: null });
  });
});
