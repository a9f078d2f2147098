// The key store on disk: encryption at rest, corrupt files set aside, atomic writes, locking (issue 4).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SCRYPT_COST,
  inspectKeyStore,
  KeyStore,
  KeyStoreError,
  setAsideKeyStore,
  type KeyStoreOptions,
  type StoreRecovery,
} from '../../electron/services/keys';
import { filesLike, passphrase, tempDir, testKeychain, unencrypted } from './keys-test-support';

// A switch to make the store's rename fail, for the "crash between temp write and rename" case.
const fsFault = vi.hoisted(() => ({ failRename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof actual.rename = async (from, to) => {
    if (fsFault.failRename && String(from).includes('.tmp-')) {
      throw Object.assign(new Error('EIO: simulated failure'), { code: 'EIO' });
    }
    return actual.rename(from, to);
  };
  return { ...actual, rename, default: { ...actual, rename } };
});

let dir: string;
const file = () => path.join(dir, 'keys.json');
const readText = () => fs.readFileSync(file(), 'utf8');
const open = (options: Partial<KeyStoreOptions> = {}) => KeyStore.open({ dataDir: dir, protection: unencrypted, ...options });

async function rejection(promise: Promise<unknown>): Promise<KeyStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyStoreError);
    return error as KeyStoreError;
  }
  throw new Error('expected a KeyStoreError');
}

beforeEach(() => {
  dir = tempDir('keys-store-');
});
afterEach(() => {
  fsFault.failRename = false;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('encryption at rest', () => {
  it('a passphrase store keeps no private member in clear, and reopens with the passphrase', async () => {
    const store = await KeyStore.open({ dataDir: path.join(dir, 'data'), protection: passphrase('correct horse') });
    const ec = await store.generate('ES256', { label: 'signing key' });
    const secret = await store.import({ type: 'secret', value: 'my-very-own-hmac-secret-value!!!', encoding: 'utf8' });
    const privateJwk = JSON.parse(await store.revealPrivateKey(ec.id, 'jwk')) as { d: string };

    const text = fs.readFileSync(path.join(dir, 'data', 'keys.json'), 'utf8');
    expect(text).not.toContain(privateJwk.d);
    expect(text).not.toContain(Buffer.from('my-very-own-hmac-secret-value!!!').toString('base64url'));
    expect(text).not.toContain('"d"');
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: 'jwt-workbench-keys', version: 2, protection: { kind: 'passphrase', kdf: 'scrypt', N: 2 ** 14 } });
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(dir, 'data', 'keys.json')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, 'data')).mode & 0o777).toBe(0o700);
    }

    const reopened = await KeyStore.open({ dataDir: path.join(dir, 'data'), protection: passphrase('correct horse') });
    expect(await reopened.list()).toEqual(await store.list());
    expect(JSON.parse(await reopened.revealPrivateKey(ec.id, 'jwk'))).toEqual(privateJwk);
    expect(await reopened.verificationKey(secret.imported[0]?.id as string)).toEqual(
      await store.verificationKey(secret.imported[0]?.id as string),
    );
  });

  it('a wrong passphrase is refused with wrong-passphrase and leaves the store untouched', async () => {
    const store = await KeyStore.open({ dataDir: dir, protection: passphrase('right') });
    await store.generate('HS256');
    const before = readText();
    const error = await rejection(KeyStore.open({ dataDir: dir, protection: passphrase('wrong') }));
    expect(error.code).toBe('wrong-passphrase');
    expect(error.message).toBe('the passphrase does not open this key store');
    expect(readText()).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['keys.json']);
  });

  it('uses scrypt N=2^17, r=8, p=1 by default and records the cost beside the salt', async () => {
    await KeyStore.open({ dataDir: dir, protection: { kind: 'passphrase', passphrase: 'default cost' } });
    const { protection } = JSON.parse(readText());
    expect(DEFAULT_SCRYPT_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(protection).toMatchObject({ kind: 'passphrase', N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(protection.salt, 'base64url')).toHaveLength(16);
    await expect(KeyStore.open({ dataDir: dir, protection: { kind: 'passphrase', passphrase: 'default cost' } })).resolves.toBeInstanceOf(KeyStore);
  });

  it('a store is opened only the way it was protected: never a silent fallback', async () => {
    await KeyStore.open({ dataDir: dir, protection: passphrase('pw') });
    const before = readText();
    const asPlain = await rejection(open());
    expect(asPlain.code).toBe('protection-mismatch');
    expect(asPlain.message).toBe('the key store is protected by a passphrase, not by nothing (an unencrypted test store)');
    expect((await rejection(open({ protection: { kind: 'safe-storage', safeStorage: testKeychain() } }))).code).toBe(
      'protection-mismatch',
    );
    expect(readText()).toBe(before);
    const empty = await rejection(open({ protection: { kind: 'passphrase', passphrase: '' } }));
    expect(empty.code).toBe('invalid-argument');
  });

  it('the unencrypted test store exists only when chosen by name', async () => {
    const store = await open();
    const key = await store.generate('EdDSA');
    expect(store.protectionKind).toBe('none');
    const doc = JSON.parse(readText());
    expect(doc.protection).toEqual({ kind: 'none' });
    expect(JSON.parse(doc.keys[0].secret.plaintext)).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(key.hasPrivate).toBe(true);
    const bad = await rejection(open({ protection: { kind: 'none' } as never }));
    expect(bad.code).toBe('invalid-argument');
  });

  it('safe-storage: wraps a data key with the OS keychain; another keychain cannot open it', async () => {
    const keychain = testKeychain();
    const store = await open({ protection: { kind: 'safe-storage', safeStorage: keychain } });
    const key = await store.generate('RS256');
    const reopened = await open({ protection: { kind: 'safe-storage', safeStorage: keychain } });
    expect(await reopened.get(key.id)).toEqual(key);
    await expect(reopened.revealPrivateKey(key.id, 'pem')).resolves.toContain('-----BEGIN PRIVATE KEY-----');

    const before = readText();
    const foreign = await rejection(open({ protection: { kind: 'safe-storage', safeStorage: testKeychain() } }));
    expect(foreign.code).toBe('unlock-failed');
    expect(readText()).toBe(before);
  });

  it('safe-storage that cannot really encrypt is refused, so the caller can ask for a passphrase', async () => {
    const off = await rejection(open({ protection: { kind: 'safe-storage', safeStorage: testKeychain({ available: false }) } }));
    expect(off.code).toBe('encryption-unavailable');
    const basic = await rejection(
      open({ protection: { kind: 'safe-storage', safeStorage: testKeychain({ backend: 'basic_text' }) } }),
    );
    expect(basic.code).toBe('encryption-unavailable');
    expect(fs.existsSync(file())).toBe(false);
  });

  it('changeProtection re-encrypts every private part under the new protection', async () => {
    const store = await open({ protection: passphrase('old') });
    const key = await store.generate('ES384');
    const pem = await store.revealPrivateKey(key.id, 'pem');
    const keychain = testKeychain();
    await store.changeProtection({ kind: 'safe-storage', safeStorage: keychain });
    expect((await rejection(open({ protection: passphrase('old') }))).code).toBe('protection-mismatch');
    const reopened = await open({ protection: { kind: 'safe-storage', safeStorage: keychain } });
    expect(await reopened.revealPrivateKey(key.id, 'pem')).toBe(pem);
    // The instance that changed it keeps working.
    expect(await store.revealPrivateKey(key.id, 'pem')).toBe(pem);
  });
});

describe('a corrupt or unreadable store is set aside, never overwritten', () => {
  async function expectSetAside(content: string, reason: RegExp) {
    fs.writeFileSync(file(), content);
    const seen: StoreRecovery[] = [];
    const store = await open({ onRecovery: (r) => seen.push(r), now: () => new Date('2024-05-01T10:20:30.456Z') });
    expect(seen).toHaveLength(1);
    expect(store.recoveries).toEqual(seen);
    const [recovery] = seen as [StoreRecovery];
    expect(recovery.movedTo).toBe(`${file()}.corrupt-2024-05-01T10-20-30.456Z`);
    expect(recovery.reason).toMatch(reason);
    expect(recovery.message).toContain(recovery.movedTo);
    expect(fs.readFileSync(recovery.movedTo, 'utf8')).toBe(content);
    expect(await store.list()).toEqual([]);
    expect(JSON.parse(readText())).toMatchObject({ version: 2, keys: [] });
    await store.generate('HS256');
    expect(await store.list()).toHaveLength(1);
  }

  it('bad JSON', async () => {
    await expectSetAside('{"format": "jwt-workbench-keys", "version": 1, "keys": [', /^it is not valid JSON$/);
  });

  it('the wrong schema', async () => {
    await expectSetAside('{"some": "other file"}', /not a JWT Workbench key store/);
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    await expectSetAside(
      JSON.stringify({ format: 'jwt-workbench-keys', version: 1, protection: { kind: 'none' }, keys: {} }),
      /keys member is not an array/,
    );
  });

  it('a FIFO in place of the store is set aside without blocking on it', async () => {
    execFileSync('mkfifo', [file()]);
    const seen: StoreRecovery[] = [];
    const store = await open({ onRecovery: (r) => seen.push(r) });
    expect(seen).toMatchObject([{ scope: 'store', reason: 'it is a FIFO (named pipe)' }]);
    expect(fs.statSync(seen[0]?.movedTo as string).isFIFO()).toBe(true);
    expect(await store.list()).toEqual([]);
  }, 10_000);

  it('a store that changes into garbage while open is set aside on the next call', async () => {
    const seen: StoreRecovery[] = [];
    const store = await open({ onRecovery: (r) => seen.push(r) });
    await store.generate('HS384');
    fs.writeFileSync(file(), 'garbage');
    expect(await store.list()).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(fs.readFileSync(seen[0]?.movedTo as string, 'utf8')).toBe('garbage');
  });

  it('a store from a newer version is left untouched, not set aside', async () => {
    const newer = JSON.stringify({ format: 'jwt-workbench-keys', version: 3, whatever: true });
    fs.writeFileSync(file(), newer);
    const error = await rejection(open());
    expect(error.code).toBe('store-version-unsupported');
    expect(readText()).toBe(newer);
    expect(fs.readdirSync(dir)).toEqual(['keys.json']);
  });

  it('inspectKeyStore tells what is there without changing it; setAsideKeyStore is the forgotten-passphrase exit', async () => {
    expect(await inspectKeyStore(dir)).toEqual({ file: file(), state: 'absent', protection: null, keyCount: null });
    const store = await open({ protection: passphrase('forgotten') });
    await store.generate('ES512');
    expect(await inspectKeyStore(dir)).toEqual({ file: file(), state: 'ready', protection: 'passphrase', keyCount: 1 });
    const before = readText();
    const movedTo = await setAsideKeyStore(dir);
    expect(movedTo).toMatch(/keys\.json\.corrupt-/);
    expect(fs.readFileSync(movedTo as string, 'utf8')).toBe(before);
    const fresh = await open({ protection: passphrase('new one') });
    expect(await fresh.list()).toEqual([]);
    fs.writeFileSync(file(), '[]');
    expect((await inspectKeyStore(dir)).state).toBe('corrupt');
  });
});

describe('file system failures are typed errors', () => {
  it('a data folder that cannot be created, and an export path that cannot be written', async () => {
    fs.writeFileSync(path.join(dir, 'not-a-folder'), '');
    const error = await rejection(KeyStore.open({ dataDir: path.join(dir, 'not-a-folder', 'data'), protection: unencrypted }));
    expect(error.code).toBe('store-io-failed');
    expect(error.message).toBe(`cannot create the data folder ${path.join(dir, 'not-a-folder', 'data')} (ENOTDIR)`);
    const store = await open();
    const key = await store.generate('ES256');
    const target = path.join(dir, 'missing', 'key.pem');
    const failed = await rejection(store.exportPrivateKeyToFile(key.id, { format: 'pem', path: target }));
    expect([failed.code, failed.message]).toEqual(['file-write-failed', `cannot write ${target} (ENOENT)`]);
  });
});

describe('atomic writes', () => {
  it('a failing rename leaves the previous store intact and no temp file behind', async () => {
    const store = await open();
    const kept = await store.generate('HS256', { label: 'kept' });
    const before = readText();
    fsFault.failRename = true;
    const error = await rejection(store.update(kept.id, { label: 'lost' }));
    expect(error.code).toBe('store-write-failed');
    expect(error.message).toBe('cannot write the key store (EIO); the previous version is intact');
    expect(readText()).toBe(before);
    expect(filesLike(dir, 'keys.json.tmp-')).toEqual([]);
    expect((await store.get(kept.id)).label).toBe('kept');
    fsFault.failRename = false;
    expect((await store.update(kept.id, { label: 'saved' })).label).toBe('saved');
    expect(JSON.parse(readText()).keys[0].label).toBe('saved');
  });
});

describe('other processes', () => {
  let workerFile: string;
  let buildDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    buildDir = tempDir('keys-worker-');
    workerFile = path.join(buildDir, 'worker.mjs');
    await build({
      entryPoints: [path.resolve(__dirname, 'keys-store-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: workerFile,
      logLevel: 'silent',
      // Bundled CommonJS dependencies call require(); give the ESM bundle one.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
  }, 60_000);
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

  function worker(job: Record<string, unknown>): { child: ChildProcess; line: (text: string) => Promise<void>; exit: Promise<number | null> } {
    const child = spawn(process.execPath, [workerFile, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk) => (out += String(chunk)));
    child.stderr?.on('data', (chunk) => (err += String(chunk)));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.split('\n').includes(text)) return resolve();
          if (child.exitCode !== null) return reject(new Error(`worker exited ${child.exitCode}: ${err}`));
          setTimeout(check, 10);
        };
        check();
      });
    return { child, line, exit };
  }

  it('a writer killed mid-write (SIGKILL) never leaves a torn store', async () => {
    const store = await open();
    for (let i = 0; i < 150; i++) {
      await store.import({ type: 'secret', value: crypto.randomBytes(48).toString('hex'), encoding: 'hex' }, { label: `k${i}` });
    }
    let killedMidWrite = 0;
    for (let round = 0; round < 6; round++) {
      const churn = worker({ mode: 'churn', dataDir: dir });
      await churn.line('ready');
      // Kill the moment a temp file shows: the writer is between creating it and renaming it.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
      const deadline = Date.now() + 5000;
      while (filesLike(dir, 'keys.json.tmp-').length === 0 && Date.now() < deadline) await new Promise(setImmediate);
      churn.child.kill('SIGKILL');
      await churn.exit;
      if (filesLike(dir, 'keys.json.tmp-').length > 0) killedMidWrite++;
      const doc = JSON.parse(readText()); // a torn file would not parse
      expect(doc.keys).toHaveLength(150);
    }
    expect(killedMidWrite).toBeGreaterThan(0);
    // The next open finds no damage and clears what the killed writers left half-done.
    const seen: StoreRecovery[] = [];
    const after = await open({ onRecovery: (r) => seen.push(r) });
    expect(seen).toEqual([]);
    expect(await after.list()).toHaveLength(150);
    expect(filesLike(dir, 'keys.json.tmp-')).toEqual([]);
    expect(filesLike(dir, 'keys.json.corrupt-')).toEqual([]);
  }, 60_000);

  it('concurrent writers in three processes lose no update, and a reader never sees a torn file', async () => {
    await open(); // create the store first so the workers only add
    const writers = ['a', 'b', 'c'].map((prefix) => worker({ mode: 'add', dataDir: dir, count: 8, prefix }));
    let reads = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        JSON.parse(readText());
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const codes = await Promise.all(writers.map((w) => w.exit));
    polling = false;
    await poller;
    expect(codes).toEqual([0, 0, 0]);
    expect(reads).toBeGreaterThan(0);
    const labels = (await (await open()).list()).map((k) => k.label).sort();
    const expected = ['a', 'b', 'c'].flatMap((p) => Array.from({ length: 8 }, (_, i) => `${p}-${i}`)).sort();
    expect(labels).toEqual(expected);
  }, 60_000);

  it('two stores in one process interleave without losing an update', async () => {
    const first = await open();
    const second = await open();
    await Promise.all([first.generate('HS256', { label: 'one' }), second.generate('HS256', { label: 'two' }), first.generate('HS512', { label: 'three' })]);
    expect((await first.list()).map((k) => k.label).sort()).toEqual(['one', 'three', 'two']);
    expect((await second.list()).map((k) => k.label).sort()).toEqual(['one', 'three', 'two']);
  });

  it('a lock held by a live process makes a change wait, then fail with store-locked', async () => {
    const store = await open({ lockTimeoutMs: 300 });
    const holder = worker({ mode: 'hold-lock', lockPath: `${file()}.lock` });
    await holder.line('locked');
    const before = readText();
    const error = await rejection(store.generate('HS256'));
    expect(error.code).toBe('store-locked');
    expect(error.message).toMatch(new RegExp(`^the key store is locked by process ${holder.child.pid} on .+ since .+; close the other JWT Workbench instance or try again$`));
    expect(readText()).toBe(before);
  });

  it('a lock left by a process that died is stale and is taken over', async () => {
    const store = await open({ lockTimeoutMs: 2000 });
    const holder = worker({ mode: 'hold-lock', lockPath: `${file()}.lock` });
    await holder.line('locked');
    holder.child.kill('SIGKILL');
    await holder.exit;
    expect(fs.existsSync(`${file()}.lock`)).toBe(true);
    await store.generate('HS256');
    expect(await store.list()).toHaveLength(1);
    expect(fs.existsSync(`${file()}.lock`)).toBe(false);
  });
});
