import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  WINDOW_STATE_FILE,
  clampToDisplays,
  createWindowStateKeeper,
  loadWindowState,
  parseWindowState,
} from '../../electron/main/window-state';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'window-state-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 984 };

describe('reading the saved state', () => {
  it('takes a well-formed state and refuses every other shape', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":900,"height":700,"maximized":true}')).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: true });
    expect(parseWindowState('{"width":900,"height":700,"maximized":false}')).toEqual({ width: 900, height: 700, maximized: false });
    for (const bad of ['', 'null', '[]', '{', '{"width":900,"height":700}', '{"x":1,"width":900,"height":700,"maximized":false}', '{"x":"1","y":2,"width":900,"height":700,"maximized":false}', '{"width":-5,"height":700,"maximized":false}', '{"width":1e400,"height":700,"maximized":false}', '{"width":1.5,"height":700,"maximized":false}']) {
      expect(parseWindowState(bad), bad).toBeNull();
    }
  });

  it('loads nothing from a missing, corrupt, oversized or special file, without throwing', async () => {
    const at = (name: string) => fs.mkdtempSync(path.join(dir, name));
    expect(await loadWindowState(at('missing-'))).toBeNull();
    const corrupt = at('corrupt-');
    fs.writeFileSync(path.join(corrupt, WINDOW_STATE_FILE), '{"width": 9');
    expect(await loadWindowState(corrupt)).toBeNull();
    const big = at('big-');
    fs.writeFileSync(path.join(big, WINDOW_STATE_FILE), `{"width":900,"height":700,"maximized":false,"pad":"${'x'.repeat(5000)}"}`);
    expect(await loadWindowState(big)).toBeNull();
    const folder = at('folder-');
    fs.mkdirSync(path.join(folder, WINDOW_STATE_FILE));
    expect(await loadWindowState(folder)).toBeNull();
    if (process.platform !== 'win32') {
      const fifo = at('fifo-');
      execFileSync('mkfifo', [path.join(fifo, WINDOW_STATE_FILE)]);
      expect(await loadWindowState(fifo)).toBeNull();
    }
    const good = at('good-');
    fs.writeFileSync(path.join(good, WINDOW_STATE_FILE), '{"x":5,"y":6,"width":900,"height":700,"maximized":false}\n');
    expect(await loadWindowState(good)).toEqual({ x: 5, y: 6, width: 900, height: 700, maximized: false });
  });
});

describe('fitting to the displays', () => {
  it('keeps a window that fits where it is', () => {
    const state = { x: 100, y: 50, width: 1000, height: 700, maximized: false };
    expect(clampToDisplays(state, [primary, right])).toEqual(state);
    const onRight = { x: 2000, y: 10, width: 1000, height: 700, maximized: true };
    expect(clampToDisplays(onRight, [primary, right])).toEqual(onRight);
  });

  it('moves a window hanging off its display back inside, and shrinks one larger than it', () => {
    expect(clampToDisplays({ x: 1700, y: 900, width: 1000, height: 700, maximized: false }, [primary])).toEqual({ x: 920, y: 340, width: 1000, height: 700, maximized: false });
    expect(clampToDisplays({ x: 1950, y: -30, width: 3000, height: 2000, maximized: false }, [primary, right])).toEqual({ x: 1920, y: 0, width: 1280, height: 984, maximized: false });
  });

  it('forgets the position on a display that is gone (the system centres the window), keeping a size that fits', () => {
    expect(clampToDisplays({ x: 2500, y: 100, width: 1200, height: 800, maximized: true }, [primary])).toEqual({ width: 1200, height: 800, maximized: true });
    // Only a sliver left on screen counts as gone too.
    expect(clampToDisplays({ x: 1900, y: 100, width: 1200, height: 800, maximized: false }, [primary])).toEqual({ width: 1200, height: 800, maximized: false });
    expect(clampToDisplays({ x: -5000, y: 0, width: 4000, height: 3000, maximized: false }, [{ x: 0, y: 0, width: 1366, height: 728 }])).toEqual({ width: 1366, height: 728, maximized: false });
  });

  it('never goes below the minimum size unless the display itself is smaller', () => {
    expect(clampToDisplays({ width: 100, height: 100, maximized: false }, [primary])).toEqual({ width: 720, height: 480, maximized: false });
    expect(clampToDisplays({ width: 100, height: 100, maximized: false }, [{ x: 0, y: 0, width: 640, height: 400 }])).toEqual({ width: 640, height: 400, maximized: false });
    expect(clampToDisplays({ x: 1, y: 1, width: 900, height: 700, maximized: false }, [])).toEqual({ ...DEFAULT_WINDOW_STATE });
  });
});

class FakeWindow extends EventEmitter {
  bounds = { x: 10, y: 20, width: 1000, height: 700 };
  maximized = false;
  destroyed = false;
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized() {
    return this.maximized;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

describe('keeping the state', () => {
  it('writes once after a burst of moves and resizes settles, and at once on maximise and close', async () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const keeper = createWindowStateKeeper({ dataDir: dir, initial: null, delayMs: 400, write: async (_file, text) => void writes.push(text) });
    expect(keeper.current()).toEqual(DEFAULT_WINDOW_STATE);
    const window = new FakeWindow();
    keeper.track(window as unknown as BrowserWindow);
    for (let i = 0; i < 10; i++) {
      window.bounds.x += 5;
      window.emit(i % 2 ? 'move' : 'resize');
      vi.advanceTimersByTime(100);
    }
    await keeper.flush();
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(400);
    await keeper.flush();
    expect(writes.map((w) => JSON.parse(w))).toEqual([{ x: 60, y: 20, width: 1000, height: 700, maximized: false }]);

    window.maximized = true;
    window.emit('maximize');
    await keeper.flush();
    expect(JSON.parse(writes.at(-1)!)).toMatchObject({ x: 60, maximized: true });
    window.emit('resize');
    window.emit('close');
    await keeper.flush();
    expect(writes).toHaveLength(3);
    // The pending debounced save was folded into the close's.
    vi.advanceTimersByTime(1000);
    await keeper.flush();
    expect(writes).toHaveLength(3);
    expect(keeper.current()).toEqual({ x: 60, y: 20, width: 1000, height: 700, maximized: true });
  });

  it('writes the file atomically for the next start, and a failed write is not a crash', async () => {
    const target = fs.mkdtempSync(path.join(dir, 'keep-'));
    const keeper = createWindowStateKeeper({ dataDir: target, initial: null });
    const window = new FakeWindow();
    keeper.track(window as unknown as BrowserWindow);
    window.emit('close');
    await keeper.flush();
    expect(await loadWindowState(target)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(fs.readdirSync(target)).toEqual([WINDOW_STATE_FILE]);

    const failing = createWindowStateKeeper({ dataDir: path.join(target, 'no', 'such', 'folder'), initial: null });
    failing.track(window as unknown as BrowserWindow);
    window.emit('close');
    await expect(failing.flush()).resolves.toBeUndefined();
  });

  it('does not read a destroyed window', async () => {
    const writes: string[] = [];
    const keeper = createWindowStateKeeper({ dataDir: dir, initial: null, write: async (_f, text) => void writes.push(text) });
    const window = new FakeWindow();
    keeper.track(window as unknown as BrowserWindow);
    window.destroyed = true;
    window.emit('close');
    await keeper.flush();
    expect(writes).toEqual([]);
  });
});
