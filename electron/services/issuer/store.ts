/**
 * Persistence of the issuer's state in its data folder: one JSON file written atomically (temp file, fsync,
 * rename, fsync of the folder), debounced so that no request waits for the disk and a burst of refreshes
 * costs one write; flushed on close. A lock file keeps two issuers from sharing one folder; a corrupt file is
 * set aside (never overwritten) and the issuer starts fresh.
 *
 * A write costs time in proportion to the state (the whole document is serialized), so the pause between
 * writes grows with it: at least `delayMs`, and at least ten times the last write's serialization, which keeps
 * persistence under a tenth of the event loop however large the state grows.
 *
 * What a crash can lose: changes since the last write. A refresh token rotated in that window comes back as
 * active — its child is then unknown, and its holder logs in again.
 */
import { promises as fsp, constants as fsConstants } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../shared/core/errors';

export class StoreError extends WorkbenchError<'data-dir-locked' | 'data-dir-unusable'> {
  override readonly name = 'StoreError';
}

export interface LoadResult {
  /** The parsed state, or null when there was none (or it was set aside). */
  state: unknown;
  /** Where a corrupt file was moved, if it was. */
  setAside: string | null;
}

export interface StateFileOptions {
  dir: string;
  fileName?: string;
  /** Longest a change waits before it is written. */
  delayMs?: number;
  /** Produces the document to write (called at write time, so a burst of changes is written once). */
  snapshot: () => unknown;
  onError?: (error: Error) => void;
}

export class StateFile {
  readonly file: string;
  private readonly lockFile: string;
  private readonly delayMs: number;
  /** Current pause before a write: delayMs, or more after a slow serialization. */
  private pauseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private writing: Promise<void> | null = null;
  private locked = false;
  private closed = false;

  constructor(private readonly options: StateFileOptions) {
    this.file = path.join(options.dir, options.fileName ?? 'issuer-state.json');
    this.lockFile = `${this.file}.lock`;
    this.delayMs = options.delayMs ?? 200;
    this.pauseMs = this.delayMs;
  }

  /** Creates the folder, takes the lock and reads the state. Throws StoreError. */
  async open(): Promise<LoadResult> {
    try {
      await fsp.mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StoreError('data-dir-unusable', `cannot create the data folder ${this.options.dir}: ${(error as Error).message}`);
    }
    await this.lock();
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: null, setAside: null };
      throw new StoreError('data-dir-unusable', `cannot read ${this.file}: ${(error as Error).message}`);
    }
    try {
      const state: unknown = JSON.parse(text);
      if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new Error('not an object');
      return { state, setAside: null };
    } catch {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      await fsp.rename(this.file, aside);
      return { state: null, setAside: aside };
    }
  }

  /** Schedules a write; cheap enough to call on every change. */
  markDirty(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.timer === null && this.writing === null) {
      this.timer = setTimeout(() => void this.writeNow(), this.pauseMs);
      this.timer.unref();
    }
  }

  /** Writes pending changes now and waits for the write. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing) await this.writing;
    if (this.dirty) await this.writeNow();
  }

  /** Flushes, then releases the lock. Later changes are not written. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.locked) {
      this.locked = false;
      await fsp.rm(this.lockFile, { force: true });
    }
  }

  private writeNow(): Promise<void> {
    this.timer = null;
    if (this.writing) return this.writing;
    this.dirty = false;
    let text: string;
    try {
      const started = performance.now();
      text = JSON.stringify(this.options.snapshot());
      this.pauseMs = Math.max(this.delayMs, Math.ceil((performance.now() - started) * 10));
    } catch (error) {
      this.options.onError?.(error as Error);
      return Promise.resolve();
    }
    this.writing = writeAtomic(this.file, text)
      .catch((error: Error) => {
        this.dirty = true; // try again with the next change or flush
        this.options.onError?.(error);
      })
      .finally(() => {
        this.writing = null;
        if (this.dirty && !this.closed && this.timer === null) {
          this.timer = setTimeout(() => void this.writeNow(), this.pauseMs);
          this.timer.unref();
        }
      });
    return this.writing;
  }

  private async lock(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fsp.writeFile(this.lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
        this.locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StoreError('data-dir-unusable', `cannot lock ${this.options.dir}: ${(error as Error).message}`);
        }
      }
      const holder = Number.parseInt(await fsp.readFile(this.lockFile, 'utf8').catch(() => ''), 10);
      if (holder === process.pid) {
        throw new StoreError('data-dir-locked', `another issuer in this process is using ${this.options.dir}`);
      }
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new StoreError('data-dir-locked', `another issuer (pid ${holder}) is using ${this.options.dir}`);
      }
      // A stale lock: the process that held it is gone.
      await fsp.rm(this.lockFile, { force: true });
    }
    throw new StoreError('data-dir-locked', `cannot take the lock of ${this.options.dir}`);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `text` to `file` so that a reader sees the old or the new content, never a mix. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fsp.open(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC, 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
  // The rename itself must reach the disk too. Not every platform can open a folder (Windows): best effort.
  try {
    const dir = await fsp.open(path.dirname(file), fs.constants.O_RDONLY);
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // ignore
  }
}
