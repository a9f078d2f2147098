// Issue 3: the opt-in token history the host keeps. The service over a real temp data dir, and the
// contract methods through the real dispatcher (createHandlers over createServices).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_FILE, HistoryService } from '../../electron/services/history';
import { createHandlers, createServices } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import { HISTORY_LIMITS } from '../../shared/contract/history';
import type { HistoryEntryData } from '../../shared/contract/history';
import { tempDir } from './keys-test-support';

// A switch to make the atomic write's rename fail (a full disk, an I/O error), whoever runs the tests:
// folder permissions do not bind root, so they cannot simulate it in CI.
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

const dirs: string[] = [];
function dataDir(): string {
  const dir = tempDir('history-');
  dirs.push(dir);
  return path.join(dir, 'data'); // not created yet: the service makes it
}
/** A state of a history kept without a protected key store: plain, never locked. */
const plain = (state: { enabled: boolean; entries: HistoryEntryData[]; notice: string | null }) => ({ ...state, sealed: false, locked: false });

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const entry = (n: number, token = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIke${n}In0.sig${n}`): HistoryEntryData => ({
  token,
  label: `HS256 · sub ${n}`,
  at: 1_700_000_000_000 + n,
});

describe('HistoryService', () => {
  it('is off until opted in: nothing on disk, saves refused', async () => {
    const dir = dataDir();
    const history = new HistoryService({ dataDir: dir });
    expect(await history.get()).toEqual(plain({ enabled: false, entries: [], notice: null }));
    await expect(history.save([entry(1)])).rejects.toMatchObject({ code: 'history-disabled' });
    expect(fs.existsSync(path.join(dir, HISTORY_FILE))).toBe(false);
    expect(await history.clear()).toEqual(plain({ enabled: false, entries: [], notice: null }));
    expect(fs.existsSync(path.join(dir, HISTORY_FILE))).toBe(false);
  });

  it('keeps entries across instances once enabled, in a 0600 file, written via temp + rename', async () => {
    const dir = dataDir();
    const history = new HistoryService({ dataDir: dir });
    expect(await history.setEnabled(true)).toEqual(plain({ enabled: true, entries: [], notice: null }));
    expect(await history.save([entry(2), entry(1)])).toEqual({ saved: 2, locked: false });

    const file = path.join(dir, HISTORY_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([HISTORY_FILE]); // no temp file left behind
    const again = new HistoryService({ dataDir: dir });
    expect(await again.get()).toEqual(plain({ enabled: true, entries: [entry(2), entry(1)], notice: null }));
    // Enabling again keeps what is there.
    expect((await again.setEnabled(true)).entries).toHaveLength(2);
  });

  it('replaces the file by rename, never rewriting it in place (a reader keeps a whole old version)', async () => {
    const dir = dataDir();
    const file = path.join(dir, HISTORY_FILE);
    const history = new HistoryService({ dataDir: dir });
    await history.setEnabled(true);
    await history.save([entry(1)]);
    const before = fs.readFileSync(file, 'utf8');
    const fd = fs.openSync(file, 'r');
    try {
      const inode = fs.fstatSync(fd).ino;
      await history.save([entry(2), entry(1)]);
      expect(fs.statSync(file).ino).not.toBe(inode); // a new file took the name
      expect(fs.readFileSync(fd, 'utf8')).toBe(before); // the old one was never truncated or torn
    } finally {
      fs.closeSync(fd);
    }
    expect((await history.get()).entries).toEqual([entry(2), entry(1)]);
  });

  // Directory permissions do not bind root (CI containers often run as root).
  it('a failed write leaves the previous history intact and no temp file behind', async () => {
    const dir = dataDir();
    const history = new HistoryService({ dataDir: dir });
    await history.setEnabled(true);
    await history.save([entry(1)]);
    fsFault.failRename = true;
    try {
      await expect(history.save([entry(2)])).rejects.toMatchObject({ code: 'history-io' });
    } finally {
      fsFault.failRename = false;
    }
    expect((await history.get()).entries).toEqual([entry(1)]);
    expect(fs.readdirSync(dir)).toEqual([HISTORY_FILE]);
  });

  it('turning it off deletes the file, and a save queued behind that writes nothing', async () => {
    const dir = dataDir();
    const history = new HistoryService({ dataDir: dir });
    await history.setEnabled(true);
    await history.save([entry(1)]);
    const off = history.setEnabled(false);
    const late = history.save([entry(2)]);
    expect(await off).toEqual(plain({ enabled: false, entries: [], notice: null }));
    await expect(late).rejects.toMatchObject({ code: 'history-disabled' });
    expect(fs.existsSync(path.join(dir, HISTORY_FILE))).toBe(false);
    expect(await history.get()).toEqual(plain({ enabled: false, entries: [], notice: null }));
  });

  it('clear empties the stored history and keeps the opt-in', async () => {
    const dir = dataDir();
    const history = new HistoryService({ dataDir: dir });
    await history.setEnabled(true);
    await history.save([entry(1), entry(2)]);
    expect(await history.clear()).toEqual(plain({ enabled: true, entries: [], notice: null }));
    expect(await new HistoryService({ dataDir: dir }).get()).toEqual(plain({ enabled: true, entries: [], notice: null }));
  });

  it.each([
    ['truncated JSON', '{"format":"jwt-workbench/history","version":1,"entries":[{"tok'],
    ['another format', '{"format":"something-else","version":1,"entries":[]}'],
    ['a bad entry', '{"format":"jwt-workbench/history","version":1,"entries":[{"token":"","label":"x","at":1}]}'],
    ['not an object', '42'],
  ])('sets an unreadable file (%s) aside with a clear notice, and starts afresh', async (_name, text) => {
    const dir = dataDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, HISTORY_FILE), text);
    const history = new HistoryService({ dataDir: dir, now: () => new Date('2026-01-02T03:04:05.678Z') });
    const state = await history.get();
    const aside = `${HISTORY_FILE}.unreadable-2026-01-02T03-04-05-678Z`;
    expect(state).toEqual(plain({
      enabled: true,
      entries: [],
      notice: `The saved history could not be read, so it was set aside as ${aside} and a new, empty one was started.`,
    }));
    expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toBe(text);
    expect(await history.get()).toEqual(plain({ enabled: true, entries: [], notice: null }));
    expect(await history.save([entry(1)])).toEqual({ saved: 1, locked: false });
  });

  it.each([
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file])],
    ['a folder', (file: string) => fs.mkdirSync(file)],
  ])('sets %s in place of the history file aside without reading it, and starts afresh', async (_name, make) => {
    const dir = dataDir();
    fs.mkdirSync(dir, { recursive: true });
    make(path.join(dir, HISTORY_FILE));
    const history = new HistoryService({ dataDir: dir, now: () => new Date('2026-01-02T03:04:05.678Z') });
    const aside = `${HISTORY_FILE}.unreadable-2026-01-02T03-04-05-678Z`;
    expect(await history.get()).toEqual(plain({
      enabled: true,
      entries: [],
      notice: `The saved history could not be read, so it was set aside as ${aside} and a new, empty one was started.`,
    }));
    expect(fs.statSync(path.join(dir, aside)).isFile()).toBe(false);
    expect(await history.save([entry(1)])).toEqual({ saved: 1, locked: false });
    expect((await new HistoryService({ dataDir: dir }).get()).entries).toEqual([entry(1)]);
  }, 10_000);

  it('refuses entries beyond the limits even when called directly', async () => {
    const history = new HistoryService({ dataDir: dataDir() });
    await history.setEnabled(true);
    const many = Array.from({ length: HISTORY_LIMITS.entries + 1 }, (_, i) => entry(i));
    await expect(history.save(many)).rejects.toThrow(/entries.*at most 50/);
    expect((await history.get()).entries).toEqual([]);
  });
});

describe('history.* through the contract', () => {
  function dispatcher() {
    const services = createServices({ dataDir: dataDir() });
    return createDispatcher(createHandlers(services), { onInternalError: (method) => { throw new Error(`${method} failed internally`); } });
  }

  it('round-trips an opted-in history', async () => {
    const dispatch = dispatcher();
    const ctx = { transport: 'http' } as const;
    expect(await dispatch('history.get', {}, ctx)).toEqual({ ok: true, value: plain({ enabled: false, entries: [], notice: null }) });
    expect((await dispatch('history.save', { entries: [entry(1)] }, ctx))).toMatchObject({ ok: false, error: { code: 'history-disabled' } });
    expect(await dispatch('history.setEnabled', { enabled: true }, ctx)).toMatchObject({ ok: true, value: { enabled: true } });
    expect(await dispatch('history.save', { entries: [entry(1)] }, ctx)).toEqual({ ok: true, value: { saved: 1, locked: false } });
    expect(await dispatch('history.get', {}, ctx)).toEqual({ ok: true, value: plain({ enabled: true, entries: [entry(1)], notice: null }) });
    expect(await dispatch('history.clear', {}, ctx)).toEqual({ ok: true, value: plain({ enabled: true, entries: [], notice: null }) });
  });

  const big = 'a'.repeat(HISTORY_LIMITS.token);
  it.each([
    ['history.setEnabled', {}, 'enabled'],
    ['history.setEnabled', { enabled: 'yes' }, 'enabled'],
    ['history.get', { extra: 1 }, 'extra'],
    ['history.clear', { all: true }, 'all'],
    ['history.save', {}, 'entries'],
    ['history.save', { entries: 'x' }, 'entries'],
    ['history.save', { entries: [{ token: 'x', label: 'y' }] }, 'entries[0].at'],
    ['history.save', { entries: [{ token: '', label: 'y', at: 1 }] }, 'entries[0].token'],
    ['history.save', { entries: [{ token: 'x', label: 'y', at: -1 }] }, 'entries[0].at'],
    ['history.save', { entries: [{ token: 'x', label: 'y', at: 1.5 }] }, 'entries[0].at'],
    ['history.save', { entries: [{ token: 'x', label: 'y'.repeat(201), at: 1 }] }, 'entries[0].label'],
    ['history.save', { entries: [{ token: 'x', label: 'y', at: 1, extra: true }] }, 'entries[0].extra'],
    ['history.save', { entries: [{ token: `${big}x`, label: 'y', at: 1 }] }, 'entries[0].token'],
    ['history.save', { entries: Array.from({ length: 51 }, (_, i) => entry(i)) }, 'entries'],
    ['history.save', { entries: Array.from({ length: 5 }, (_, i) => ({ token: big, label: `${i}`, at: i })) }, 'entries'],
  ] as const)('%s refuses %j at %s', async (method, request, where) => {
    const r = await dispatcher()(method, request, { transport: 'http' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', details: { path: where } } });
  });
});
