/**
 * The window's size, position and maximised state, kept across launches in `window-state.json` in
 * userData: saved a moment after the user stops moving or resizing, and at once on close (atomic write,
 * through the services' file helpers); restored on start, clamped to a display that is still there. A
 * missing, unreadable or corrupt file means the defaults; nothing here may stop the app from starting.
 */
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { readFileChecked, writeFileAtomic } from '../services/files';

export interface WindowState {
  /** Absent: let the system place the window (centred). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WINDOW_SIZE = { width: 720, height: 480 } as const;
/** How much of the window must stay on a display to count as visible there (its title bar, roughly). */
const MIN_VISIBLE = { width: 120, height: 40 } as const;
const SAVE_DELAY_MS = 400;

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** The state a file holds, or null when it is not one (any shape but the expected is refused whole). */
export function parseWindowState(text: string): WindowState | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { x, y, width, height, maximized } = value as Record<string, unknown>;
  if (!isInt(width) || !isInt(height) || width <= 0 || height <= 0 || typeof maximized !== 'boolean') return null;
  if ((x === undefined) !== (y === undefined)) return null;
  if (x !== undefined && (!isInt(x) || !isInt(y))) return null;
  return x === undefined ? { width, height, maximized } : { x, y: y as number, width, height, maximized };
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Fits `state` to the displays' work areas: no larger than the display it is on (or the largest one), and
 * moved inside that display. A window no display shows enough of (a monitor unplugged since) loses its
 * position and is centred by the system instead.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return { ...DEFAULT_WINDOW_STATE, maximized: state.maximized };
  let area: Rectangle | null = null;
  if (state.x !== undefined && state.y !== undefined) {
    const bounds = { x: state.x, y: state.y, width: state.width, height: state.height };
    let best = 0;
    for (const candidate of workAreas) {
      const o = overlap(bounds, candidate);
      if (o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height && o.width * o.height > best) {
        best = o.width * o.height;
        area = candidate;
      }
    }
  }
  const limit = area ?? workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const width = Math.max(Math.min(state.width, limit.width), Math.min(MIN_WINDOW_SIZE.width, limit.width));
  const height = Math.max(Math.min(state.height, limit.height), Math.min(MIN_WINDOW_SIZE.height, limit.height));
  if (!area) return { width, height, maximized: state.maximized };
  const x = Math.min(Math.max(state.x!, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(state.y!, area.y), area.y + area.height - height);
  return { x, y, width, height, maximized: state.maximized };
}

/** The saved state, or null: a missing, oversized, special or corrupt file is the same as none. */
export async function loadWindowState(dataDir: string): Promise<WindowState | null> {
  try {
    const text = await readFileChecked(path.join(dataDir, WINDOW_STATE_FILE), { maxBytes: 4096, encoding: 'utf8' });
    return text === null ? null : parseWindowState(text);
  } catch {
    return null;
  }
}

export interface WindowStateKeeper {
  /** The last state seen (what a window opened now should use). */
  current(): WindowState;
  /** Follows `window`: saves after moves and resizes settle, and at once on close. */
  track(window: BrowserWindow): void;
  /** Resolves when every save asked for so far is written (or has failed quietly). */
  flush(): Promise<void>;
}

export function createWindowStateKeeper(options: {
  dataDir: string;
  initial: WindowState | null;
  delayMs?: number;
  write?: (file: string, text: string) => Promise<void>;
}): WindowStateKeeper {
  const file = path.join(options.dataDir, WINDOW_STATE_FILE);
  const write = options.write ?? ((target, text) => writeFileAtomic(target, text));
  const delayMs = options.delayMs ?? SAVE_DELAY_MS;
  let state: WindowState = options.initial ?? DEFAULT_WINDOW_STATE;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();

  const read = (window: BrowserWindow): WindowState => {
    // The normal bounds are the ones to come back to when a maximised window is restored.
    const bounds = window.getNormalBounds();
    return { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized: window.isMaximized() };
  };
  const save = (next: WindowState) => {
    state = next;
    const text = `${JSON.stringify(next)}\n`;
    // One write at a time, in order; a failed write (disk full, read-only home) is not worth a crash.
    writing = writing.then(() => write(file, text)).catch(() => undefined);
  };

  return {
    current: () => state,
    track(window) {
      const later = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          if (!window.isDestroyed()) save(read(window));
        }, delayMs);
        timer.unref?.();
      };
      const now = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (!window.isDestroyed()) save(read(window));
      };
      window.on('resize', later);
      window.on('move', later);
      window.on('maximize', now);
      window.on('unmaximize', now);
      window.on('close', now);
    },
    flush: () => writing,
  };
}
