// The history file sealed like the key store: with the OS keychain it loads at start; with a passphrase store
// it waits in the host's memory until the unlock, then merges; without a protected store it stays plain.
// Real key store sessions in temp dirs; the keychain is the key store tests' stand-in for Electron's safeStorage.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_FILE, HistoryService } from '../../electron/services/history';
import { createHandlers, createServices } from '../../electron/services/index';
import type { ServicesConfig } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { HistoryEntryData } from '../../shared/contract/history';
import { TEST_SCRYPT_COST, tempDir, testKeychain } from './keys-test-support';

const dirs: string[] = [];
function dataDir(): string {
  const dir = tempDir('history-sealed-');
  dirs.push(dir);
  return path.join(dir, 'data');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const PASSPHRASE = 'correct horse battery';
const entry = (n: number): HistoryEntryData => ({
  token: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLSR7bn0ifQ.secret-signature-${n}`,
  label: `HS256 · sub ${n}`,
  at: 1_700_000_000_000 + n,
});

/** A host's services over `dir`: a fresh instance is a restart (nothing of the previous one's memory). */
const host = (dir: string, keys: ServicesConfig['keys'] = {}) => createServices({ dataDir: dir, keys: { scryptCost: TEST_SCRYPT_COST, ...keys } });
const fileText = (dir: string) => fs.readFileSync(path.join(dir, HISTORY_FILE), 'utf8');
const fileJson = (dir: string) => JSON.parse(fileText(dir)) as Record<string, unknown>;

/** A passphrase store set up, the history opted in and saved sealed; returns the data dir. */
async function passphraseHistory(entries: HistoryEntryData[]): Promise<string> {
  const dir = dataDir();
  const first = host(dir);
  await first.keys.setup({ protection: 'passphrase', passphrase: PASSPHRASE });
  await first.history.setEnabled(true);
  await first.history.save(entries);
  return dir;
}

describe('history sealed with the OS keychain', () => {
  it('is written encrypted and read back at start, with no passphrase asked', async () => {
    const dir = dataDir();
    const keychain = testKeychain();
    const first = host(dir, { safeStorage: keychain });
    expect(await first.history.setEnabled(true)).toEqual({ enabled: true, entries: [], notice: null, sealed: true, locked: false });
    expect(await first.history.save([entry(2), entry(1)])).toEqual({ saved: 2, locked: false });

    const text = fileText(dir);
    expect(text).not.toContain('secret-signature');
    expect(text).not.toContain('sub 1');
    expect(fileJson(dir)).toMatchObject({ format: 'jwt-workbench/history', version: 2, protection: 'safe-storage' });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, HISTORY_FILE)).mode & 0o777).toBe(0o600);

    const restarted = host(dir, { safeStorage: keychain });
    expect(await restarted.history.get()).toEqual({ enabled: true, entries: [entry(2), entry(1)], notice: null, sealed: true, locked: false });
    // The window was shown them: its next save replaces the list, nothing merged behind its back.
    await restarted.history.save([entry(3)]);
    expect((await restarted.history.get()).entries).toEqual([entry(3)]);
  });

  it('seals a history kept in clear before the store was protected', async () => {
    const dir = dataDir();
    const before = host(dir); // no key store here yet: plain, as README warns
    await before.history.setEnabled(true);
    await before.history.save([entry(1)]);
    expect(fileJson(dir)).toMatchObject({ version: 1 });
    expect(fileText(dir)).toContain('secret-signature-1');

    const after = host(dir, { safeStorage: testKeychain() });
    expect(await after.history.get()).toMatchObject({ enabled: true, entries: [entry(1)], sealed: true });
    expect(fileJson(dir)).toMatchObject({ version: 2, protection: 'safe-storage' });
    expect(fileText(dir)).not.toContain('secret-signature');
  });

  it('sets a damaged sealed file aside with a clear message and starts an empty sealed one', async () => {
    const dir = dataDir();
    const keychain = testKeychain();
    const first = host(dir, { safeStorage: keychain });
    await first.history.setEnabled(true);
    await first.history.save([entry(1)]);
    const doc = fileJson(dir) as { sealed: { data: string } };
    const flipped = doc.sealed.data.startsWith('A') ? 'B' : 'A';
    doc.sealed.data = flipped + doc.sealed.data.slice(1);
    const damaged = JSON.stringify(doc);
    fs.writeFileSync(path.join(dir, HISTORY_FILE), damaged);

    const services = host(dir, { safeStorage: keychain });
    const history = new HistoryService({ dataDir: dir, protection: services.keys, now: () => new Date('2026-01-02T03:04:05.678Z') });
    const aside = `${HISTORY_FILE}.undecryptable-2026-01-02T03-04-05-678Z`;
    expect(await history.get()).toEqual({
      enabled: true,
      entries: [],
      notice: `The saved history could not be decrypted with this key store's key (it was sealed by another key store, or altered), so it was set aside as ${aside} and a new one was started.`,
      sealed: true,
      locked: false,
    });
    expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toBe(damaged);
    expect(fileJson(dir)).toMatchObject({ version: 2 });
    expect(await history.get()).toMatchObject({ entries: [], notice: null, sealed: true });
  });
});

describe('history under a passphrase store', () => {
  it('is locked at start: new saves wait in memory, the sealed file untouched; the unlock merges them in', async () => {
    const dir = await passphraseHistory([entry(2), entry(1)]);
    const sealedBefore = fileText(dir);
    expect(sealedBefore).not.toContain('secret-signature');

    const services = host(dir);
    expect(await services.history.get()).toEqual({ enabled: true, entries: [], notice: null, sealed: true, locked: true });
    expect(await services.history.save([entry(3)])).toEqual({ saved: 1, locked: true });
    expect(fileText(dir)).toBe(sealedBefore); // nothing written in clear, nothing lost
    expect(await services.history.get()).toMatchObject({ entries: [entry(3)], locked: true });

    await services.keys.unlock(PASSPHRASE);
    expect(await services.history.get()).toEqual({ enabled: true, entries: [entry(3), entry(2), entry(1)], notice: null, sealed: true, locked: false });
    expect(fileText(dir)).not.toContain('secret-signature');

    const restarted = host(dir);
    await restarted.keys.unlock(PASSPHRASE);
    expect((await restarted.history.get()).entries).toEqual([entry(3), entry(2), entry(1)]);
  });

  it('writes what was acknowledged while locked at the unlock itself, deduplicated and capped like the renderer', async () => {
    const kept = Array.from({ length: 15 }, (_, i) => entry(i)); // older visits
    const dir = await passphraseHistory(kept);
    const services = host(dir);
    await services.history.get();
    // Newer visits while locked, one of them a token already kept (seen again later).
    const later = [...Array.from({ length: 10 }, (_, i) => entry(100 + i)), { ...entry(3), at: entry(200).at }];
    await services.history.save(later);
    const before = fileText(dir);
    await services.keys.unlock(PASSPHRASE);
    await vi.waitFor(() => expect(fileText(dir)).not.toBe(before), { timeout: 10_000, interval: 20 });

    // A second host reads the file the unlock wrote, without this one's history being asked anything.
    const other = host(dir);
    await other.keys.unlock(PASSPHRASE);
    const merged = (await other.history.get()).entries;
    expect(merged).toHaveLength(20);
    expect(merged[0]).toEqual({ ...entry(3), at: entry(200).at });
    expect(merged.filter((e) => e.token === entry(3).token)).toHaveLength(1);
    expect(merged.map((e) => e.at)).toEqual([...merged.map((e) => e.at)].sort((a, b) => b - a));
    expect(merged.slice(1, 11)).toEqual(Array.from({ length: 10 }, (_, i) => entry(109 - i)));
    expect(merged.at(-1)).toEqual(entry(6)); // the oldest ones dropped
  });

  it('a save racing the unlock (before any window saw the merge) does not drop the sealed entries', async () => {
    const dir = await passphraseHistory([entry(1)]);
    const services = host(dir);
    await services.history.save([entry(2)]);
    await services.keys.unlock(PASSPHRASE);
    await services.history.save([entry(3), entry(2)]); // a window that never saw entry 1
    expect((await services.history.get()).entries).toEqual([entry(3), entry(2), entry(1)]);
    // Once a window was shown the history, its save is the whole list again.
    await services.history.save([entry(3)]);
    expect((await services.history.get()).entries).toEqual([entry(3)]);
  });

  it('opting in while locked writes only an empty marker, sealed with the history at the unlock', async () => {
    const dir = dataDir();
    const first = host(dir);
    await first.keys.setup({ protection: 'passphrase', passphrase: PASSPHRASE });
    const services = host(dir);
    expect(await services.history.setEnabled(true)).toEqual({ enabled: true, entries: [], notice: null, sealed: false, locked: true });
    expect(fileJson(dir)).toEqual({ format: 'jwt-workbench/history', version: 1, entries: [] });
    await services.history.save([entry(1)]);
    expect(fileText(dir)).not.toContain('secret-signature');
    await services.keys.unlock(PASSPHRASE);
    expect(await services.history.get()).toMatchObject({ entries: [entry(1)], sealed: true, locked: false });
    expect(fileJson(dir)).toMatchObject({ version: 2, protection: 'passphrase' });
  });

  it('opting out while locked deletes the file and forgets what was held', async () => {
    const dir = await passphraseHistory([entry(1)]);
    const services = host(dir);
    await services.history.save([entry(2)]);
    expect(await services.history.setEnabled(false)).toEqual({ enabled: false, entries: [], notice: null, sealed: false, locked: false });
    expect(fs.existsSync(path.join(dir, HISTORY_FILE))).toBe(false);
    await expect(services.history.save([entry(3)])).rejects.toMatchObject({ code: 'history-disabled' });
    await services.keys.unlock(PASSPHRASE);
    expect(await services.history.get()).toMatchObject({ enabled: false, entries: [] });
    expect(fs.existsSync(path.join(dir, HISTORY_FILE))).toBe(false);
  });

  it('opting out once unlocked deletes the sealed file', async () => {
    const dir = await passphraseHistory([entry(1)]);
    const services = host(dir);
    await services.keys.unlock(PASSPHRASE);
    expect(await services.history.get()).toMatchObject({ entries: [entry(1)], sealed: true });
    await services.history.setEnabled(false);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith(HISTORY_FILE))).toEqual([]);
  });

  it('Clear while locked drops the sealed entries too', async () => {
    const dir = await passphraseHistory([entry(1)]);
    const services = host(dir);
    await services.history.save([entry(2)]);
    expect(await services.history.clear()).toMatchObject({ enabled: true, entries: [], locked: true });
    await services.keys.unlock(PASSPHRASE);
    expect(await services.history.get()).toMatchObject({ enabled: true, entries: [], sealed: true });
  });

  it('a history sealed by a store that was reset is set aside, never read nor lost', async () => {
    const dir = await passphraseHistory([entry(1)]);
    const sealed = fileText(dir);
    const services = host(dir);
    await services.keys.reset(); // the passphrase forgotten: the store is moved aside
    const state = await services.history.get();
    expect(state).toMatchObject({ enabled: true, entries: [], sealed: false, locked: false });
    expect(state.notice).toMatch(/^The saved history is encrypted with a key store that is no longer here, so it was set aside as history\.json\.undecryptable-\S+ and a new one was started\.$/);
    const aside = fs.readdirSync(dir).filter((name) => name.startsWith(`${HISTORY_FILE}.undecryptable-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(sealed);

    // A new store: the history kept from now on is sealed with its key.
    await services.keys.setup({ protection: 'passphrase', passphrase: 'a brand new passphrase' });
    await services.history.save([entry(2)]);
    expect(fileJson(dir)).toMatchObject({ version: 2, protection: 'passphrase' });
  });

  it('history.save answers locked: true through the contract while the store is locked', async () => {
    const dir = await passphraseHistory([entry(1)]);
    const dispatch = createDispatcher(createHandlers(host(dir)), { onInternalError: (method) => { throw new Error(`${method} failed internally`); } });
    const ctx = { transport: 'http' } as const;
    expect(await dispatch('history.get', {}, ctx)).toEqual({ ok: true, value: { enabled: true, entries: [], notice: null, sealed: true, locked: true } });
    expect(await dispatch('history.save', { entries: [entry(2)] }, ctx)).toEqual({ ok: true, value: { saved: 1, locked: true } });
  });
});

describe('history under the unencrypted test store', () => {
  it('stays plain, as without a store', async () => {
    const dir = dataDir();
    const services = host(dir, { unencryptedTestStore: true });
    expect(await services.history.setEnabled(true)).toMatchObject({ sealed: false, locked: false });
    await services.history.save([entry(1)]);
    expect(fileJson(dir)).toEqual({ format: 'jwt-workbench/history', version: 1, entries: [entry(1)] });
  });
});
