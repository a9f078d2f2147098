// Electron main's key store wiring, with electron's objects faked: when safeStorage counts as protection,
// and the private-key exporter (save dialog, cancel, clipboard cleared after a minute only if unchanged).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { usableSafeStorage } from '../../electron/main/key-protection';
import { CLIPBOARD_CLEAR_SECONDS, createElectronPrivateExporter } from '../../electron/main/private-export';
import { KeyStore } from '../../electron/services/keys';
import { tempDir, testKeychain, unencrypted } from './keys-test-support';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('usableSafeStorage', () => {
  it('takes the keychain only when it really encrypts', () => {
    const keychain = testKeychain({ backend: 'gnome_libsecret' });
    expect(usableSafeStorage(keychain, 'linux')).toBe(keychain);
    expect(usableSafeStorage(testKeychain({ backend: 'basic_text' }), 'linux')).toBeNull();
    expect(usableSafeStorage(testKeychain({ available: false }), 'darwin')).toBeNull();
    const mac = testKeychain();
    expect(usableSafeStorage(mac, 'darwin')).toBe(mac);
    const throwing = { ...mac, isEncryptionAvailable: () => { throw new Error('not ready'); } };
    expect(usableSafeStorage(throwing, 'win32')).toBeNull();
  });
});

describe('createElectronPrivateExporter', () => {
  async function storeWithKey() {
    const dir = tempDir('main-export-');
    dirs.push(dir);
    const store = await KeyStore.open({ dataDir: dir, protection: unencrypted });
    const key = await store.generate('ES256', { kid: 'k' });
    return { dir, store, key };
  }

  function fakeClipboard() {
    let text = '';
    // Electron's clipboard API is asynchronous (Promise-returning readText/writeText).
    return {
      writeText: vi.fn(async (t: string) => void (text = t)),
      readText: async () => text,
      clear: vi.fn(() => void (text = '')),
    };
  }

  it('a cancelled save dialog writes nothing', async () => {
    const { dir, store, key } = await storeWithKey();
    const showSaveDialog = vi.fn(async () => ({ canceled: true, filePath: '' }));
    const exporter = createElectronPrivateExporter({ dialog: { showSaveDialog } as never, clipboard: fakeClipboard(), window: () => null, defaultDir: () => dir });
    expect(await exporter.export({ store, key, format: 'pem', destination: 'file' })).toEqual({ status: 'cancelled' });
    expect(showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: path.join(dir, 'k.private.pem') }));
    expect(fs.readdirSync(dir).filter((f) => f.includes('private'))).toEqual([]);
  });

  it('the clipboard is cleared after a minute, unless something else was copied meanwhile', async () => {
    const { store, key } = await storeWithKey();
    const timers: { run: () => void; ms: number }[] = [];
    const clipboard = fakeClipboard();
    const exporter = createElectronPrivateExporter({
      dialog: { showSaveDialog: vi.fn() } as never,
      clipboard,
      window: () => null,
      defaultDir: () => '/tmp',
      setTimer: (run, ms) => timers.push({ run, ms }),
    });
    expect(await exporter.export({ store, key, format: 'jwk', destination: 'clipboard' })).toEqual({ status: 'copied', clearsAfterSeconds: CLIPBOARD_CLEAR_SECONDS });
    expect(JSON.parse(await clipboard.readText())).toMatchObject({ kty: 'EC', kid: 'k', d: expect.any(String) });
    expect(timers[0]!.ms).toBe(60_000);
    timers[0]!.run();
    await vi.waitFor(async () => expect(await clipboard.readText()).toBe(''));

    await exporter.export({ store, key, format: 'pem', destination: 'clipboard' });
    await clipboard.writeText('something the user copied later');
    timers[1]!.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(clipboard.clear).toHaveBeenCalledTimes(1);
    expect(await clipboard.readText()).toBe('something the user copied later');
  });
});
