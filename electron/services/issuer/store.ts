/**
 * The issuer's state file in its data folder: one JSON document, replaced atomically (the services' file
 * helpers: temp file, fsync, rename, fsync of the folder) when the journal is compacted and on close. A lock
 * file keeps two issuers from sharing one folder; a corrupt file is set aside (never overwritten) and the
 * issuer starts fresh. Changes between two writes are in the journal (journal.ts), not here.
 */
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { FileLockError, acquireLock, readFileChecked, removeOrphanTemps, writeFileAtomic } from '../files/index';
import type { HeldLock } from '../files/index';
import { WorkbenchError } from '../../../shared/core/errors';

export class StoreError extends WorkbenchError<'data-dir-locked' | 'data-dir-unusable'> {
  override readonly name = 'StoreError';
}

export interface LoadResult {
  /** The parsed state, or null when there was none (or it was set aside). */
  state: Record<string, unknown> | null;
  /** Where a corrupt file was moved, if it was. */
  setAside: string | null;
}

/** Read at open; a state this large is far beyond what the issuer's own limits let it reach. */
const MAX_STATE_BYTES = 1024 * 1024 * 1024;

export class StateFile {
  readonly file: string;
  private readonly lockFile: string;
  private lock: HeldLock | null = null;

  constructor(
    readonly dir: string,
    fileName = 'issuer-state.json',
  ) {
    this.file = path.join(dir, fileName);
    this.lockFile = `${this.file}.lock`;
  }

  /** Creates the folder, takes the lock and reads the state. Throws StoreError. */
  async open(): Promise<LoadResult> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StoreError('data-dir-unusable', `cannot create the data folder ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
    try {
      // No waiting: a second issuer on the folder is a mistake to report at once.
      this.lock = await acquireLock(this.lockFile, { timeoutMs: 0 });
    } catch (error) {
      if (error instanceof FileLockError && error.code === 'locked') {
        throw new StoreError('data-dir-locked', `another issuer is using ${this.dir}: ${error.message}`, { cause: error });
      }
      throw new StoreError('data-dir-unusable', `cannot lock ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return await this.read();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Replaces the state file with `text`; resolves with its size in bytes. Throws the system error. */
  async write(text: string): Promise<number> {
    await writeFileAtomic(this.file, text);
    return Buffer.byteLength(text);
  }

  /** Releases the lock. */
  async close(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }

  private async read(): Promise<LoadResult> {
    let text: string | null;
    try {
      await removeOrphanTemps(this.file);
      text = await readFileChecked(this.file, { maxBytes: MAX_STATE_BYTES, encoding: 'utf8' });
    } catch (error) {
      throw new StoreError('data-dir-unusable', `cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    if (text === null) return { state: null, setAside: null };
    try {
      const state: unknown = JSON.parse(text);
      if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new Error('not an object');
      return { state: state as Record<string, unknown>, setAside: null };
    } catch {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      await rename(this.file, aside);
      return { state: null, setAside: aside };
    }
  }
}
