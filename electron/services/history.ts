/**
 * The debugger's token history, kept on disk only after the user opts in (issue 3). The file's presence
 * IS the opt-in: `<dataDir>/history.json` exists exactly while the user wants the history kept, so turning
 * it off deletes it and nothing of it lingers.
 *
 * Protection, decided: the file is plain JSON, mode 0600 in the (0700) data directory, written atomically.
 * It is not sealed with the key store's protector on purpose: the history must load at start-up, before
 * a passphrase store is unlocked (or set up at all), and a store reset would silently make it unreadable.
 * The tokens are bearer credentials, so what protects them is the OS account boundary (as for a
 * browser profile's history) and the user's explicit opt-in; the renderer says so next to the toggle.
 *
 * Operations run one at a time in call order, so a save queued behind "turn off" finds the history off
 * and writes nothing instead of re-creating the file.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_LIMITS, historyEntriesSchema } from '../../shared/contract/history';
import type { HistoryEntryData, HistoryErrorCode, HistoryState } from '../../shared/contract/history';
import { errnoCode, FileReadError, readFileChecked, writeFileAtomic } from './files';
import { WorkbenchError } from '../../shared/core/errors';

export const HISTORY_FILE = 'history.json';
const FORMAT = 'jwt-workbench/history';
const VERSION = 1;
/**
 * Far above what a valid history can take (its tokens total HISTORY_LIMITS.total characters, at most 6 bytes
 * each once JSON-escaped, plus labels), so only a file that is not a history is refused by size.
 */
const MAX_FILE_BYTES = HISTORY_LIMITS.total * 6 + 1024 * 1024;

export class HistoryError extends WorkbenchError<HistoryErrorCode> {
  override readonly name = 'HistoryError';
}

export interface HistoryServiceConfig {
  dataDir: string;
  /** Injected for tests of the set-aside name; defaults to the wall clock. */
  now?: () => Date;
}

export class HistoryService {
  readonly file: string;
  readonly #dataDir: string;
  readonly #now: () => Date;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(config: HistoryServiceConfig) {
    this.#dataDir = config.dataDir;
    this.file = path.join(config.dataDir, HISTORY_FILE);
    this.#now = config.now ?? (() => new Date());
  }

  /** Whether the history is kept, and its entries. An unreadable file is set aside, never fatal. */
  get(): Promise<HistoryState> {
    return this.#serial(() => this.#read());
  }

  /** On: starts an empty file unless one exists. Off: deletes the file. */
  setEnabled(enabled: boolean): Promise<HistoryState> {
    return this.#serial(async () => {
      if (!enabled) {
        await this.#io('delete', () => rm(this.file, { force: true }));
        return { enabled: false, entries: [], notice: null };
      }
      const state = await this.#read();
      if (!state.enabled) await this.#write([]);
      return { ...state, enabled: true };
    });
  }

  /** Replaces the stored entries. Refused when the user has not opted in (or has just opted out). */
  save(entries: HistoryEntryData[]): Promise<{ saved: number }> {
    return this.#serial(async () => {
      // Re-checked here even though the contract checked it: this is the one way data reaches the disk.
      const parsed = historyEntriesSchema.parse(entries);
      if (!parsed.ok) throw new TypeError(`history ${parsed.issue.path || 'entries'}: ${parsed.issue.message}`);
      if (!(await this.#exists())) {
        throw new HistoryError('history-disabled', 'Keeping the history on this computer is turned off; nothing was saved.');
      }
      await this.#write(parsed.value);
      return { saved: parsed.value.length };
    });
  }

  /** Empties the stored history (the opt-in stays as it is). */
  clear(): Promise<HistoryState> {
    return this.#serial(async () => {
      const enabled = await this.#exists();
      if (enabled) await this.#write([]);
      return { enabled, entries: [], notice: null };
    });
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #exists(): Promise<boolean> {
    try {
      await stat(this.file);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw ioError('read', error);
    }
  }

  async #read(): Promise<HistoryState> {
    let text: string | null;
    try {
      text = await readFileChecked(this.file, { maxBytes: MAX_FILE_BYTES, encoding: 'utf8' });
    } catch (error) {
      // A FIFO, device or folder in its place, or a huge file, is not a history: set aside below like a bad one.
      if (!(error instanceof FileReadError && error.code !== 'unreadable')) throw ioError('read', error);
      text = '';
    }
    if (text === null) return { enabled: false, entries: [], notice: null };
    const entries = parseFile(text);
    if (entries) return { enabled: true, entries, notice: null };
    // Unreadable: keep the user's opt-in, keep the bad file for inspection, start afresh.
    const aside = `${this.file}.unreadable-${this.#now().toISOString().replace(/[:.]/g, '-')}`;
    await this.#io('set aside', () => rename(this.file, aside));
    await this.#write([]);
    return {
      enabled: true,
      entries: [],
      notice: `The saved history could not be read, so it was set aside as ${path.basename(aside)} and a new, empty one was started.`,
    };
  }

  async #write(entries: HistoryEntryData[]): Promise<void> {
    const data = JSON.stringify({ format: FORMAT, version: VERSION, entries });
    await this.#io('write', async () => {
      await mkdir(this.#dataDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, data, { mode: 0o600 });
    });
  }

  async #io(what: string, operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      throw ioError(what, error);
    }
  }
}

/** The entries of a history file, or null when it is not one (truncated, edited, another format). */
function parseFile(text: string): HistoryEntryData[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const file = value as Record<string, unknown>;
  if (file.format !== FORMAT || file.version !== VERSION) return null;
  const entries = historyEntriesSchema.parse(file.entries);
  return entries.ok ? entries.value : null;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** The OS error's code only: the message names the path, which is fine, but never the file's content. */
function ioError(what: string, error: unknown): HistoryError {
  const code = error instanceof FileReadError ? errnoCode(error.cause) : errnoCode(error);
  return new HistoryError('history-io', `Could not ${what} the history file${code ? ` (${code})` : ''}.`, { cause: error });
}
