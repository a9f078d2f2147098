/**
 * The debugger's token history, kept on disk only after the user opts in (issue 3). The file's presence
 * IS the opt-in: `<dataDir>/history.json` exists exactly while the user wants the history kept, so turning
 * it off deletes it and nothing of it lingers.
 *
 * Protection follows the key store's (history-file.ts has the formats):
 *  - a store protected by the OS keychain or a passphrase, open: the file is sealed (AES-256-GCM under the
 *    store's data key, see KeyStore.fileSealer). The keychain store opens by itself, so the history loads at start;
 *  - a passphrase store not unlocked yet ("locked"): the sealed file cannot be read, so saves are held in this
 *    service's memory (acknowledged, never written in clear) and merged into the file when the store opens
 *    (storeOpened, called by the session). Only an empty plain file — the opt-in marker — is written meanwhile;
 *  - no store, or the unencrypted test store: plain JSON, as README warns. A plain file found once the store is
 *    protected and open is sealed in place; a sealed one found with no store to open it is set aside.
 * Either way the file is mode 0600 in the (0700) data directory and written atomically. A file that cannot be
 * read or decrypted is renamed aside with a notice, never fatal.
 *
 * Operations run one at a time in call order, so a save queued behind "turn off" finds the history off
 * and writes nothing instead of re-creating the file.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_LIMITS, historyEntriesSchema } from '../../shared/contract/history';
import type { HistoryEntryData, HistoryErrorCode, HistorySaved, HistoryState } from '../../shared/contract/history';
import { errnoCode, FileReadError, readFileChecked, writeFileAtomic } from './files';
import { mergeHistories, openHistory, parseHistoryFile, serializeHistory, type HistoryFile } from './history-file';
import type { FileSealer } from './keys';
import type { FileSealing } from './keys/store-session';
import { WorkbenchError } from '../../shared/core/errors';

export const HISTORY_FILE = 'history.json';
export { mergeHistories } from './history-file';
/** The purpose the history's seals are bound to (KeyStore.fileSealer). */
const SEAL_PURPOSE = 'history';
/**
 * Far above what a valid history can take (its tokens total HISTORY_LIMITS.total characters, at most 6 bytes
 * each once JSON-escaped, plus labels; a sealed file's base64url adds a third), so only a file that is not a
 * history is refused by size.
 */
const MAX_FILE_BYTES = HISTORY_LIMITS.total * 8 + 1024 * 1024;

export class HistoryError extends WorkbenchError<HistoryErrorCode> {
  override readonly name = 'HistoryError';
}

/** Where the history learns how to protect its file: the key store session (KeyStoreSession.fileSealing). */
export interface HistoryProtection {
  fileSealing(purpose: string): Promise<FileSealing>;
}

export interface HistoryServiceConfig {
  dataDir: string;
  /** The key store's protection; absent: always plain (no key store in this host). */
  protection?: HistoryProtection;
  /** Injected for tests of the set-aside name; defaults to the wall clock. */
  now?: () => Date;
}

const OFF: HistoryState = { enabled: false, entries: [], notice: null, sealed: false, locked: false };

export class HistoryService {
  readonly file: string;
  readonly #dataDir: string;
  readonly #now: () => Date;
  readonly #protection: HistoryProtection | null;
  #queue: Promise<unknown> = Promise.resolve();
  /** Saves acknowledged while the store was locked: written (merged) once it opens. Null: nothing held. */
  #held: HistoryEntryData[] | null = null;
  /**
   * Entries the sealed file added at an unlock that no window has been shown yet: merged into saves until a
   * window reads the history, so a save racing the unlock cannot drop them.
   */
  #unseen: HistoryEntryData[] | null = null;
  /** A window was told the history is locked: on unlock, the file's entries are new to it. */
  #wasLocked = false;

  constructor(config: HistoryServiceConfig) {
    this.#dataDir = config.dataDir;
    this.file = path.join(config.dataDir, HISTORY_FILE);
    this.#now = config.now ?? (() => new Date());
    this.#protection = config.protection ?? null;
  }

  /** Whether the history is kept, and its entries. An unreadable file is set aside, never fatal. */
  get(): Promise<HistoryState> {
    return this.#serial(async () => this.#shown(await this.#load()));
  }

  /** On: starts an empty file unless one exists. Off: deletes the file (and anything held for it). */
  setEnabled(enabled: boolean): Promise<HistoryState> {
    return this.#serial(async () => {
      if (!enabled) {
        this.#held = null;
        this.#unseen = null;
        await this.#io('delete', () => rm(this.file, { force: true }));
        return OFF;
      }
      const state = await this.#load();
      if (state.enabled) return this.#shown(state);
      const sealing = await this.#sealing();
      // Locked: an empty plain file marks the opt-in; it holds no token, and is sealed on unlock.
      await this.#write([], sealing.state === 'sealed' ? sealing.sealer : null);
      return this.#shown({ ...state, enabled: true, sealed: sealing.state === 'sealed', locked: sealing.state === 'locked' });
    });
  }

  /**
   * Replaces the stored entries. Refused when the user has not opted in (or has just opted out). While the
   * key store is locked the entries are held in memory (`locked: true`) and written when it opens.
   */
  save(entries: HistoryEntryData[]): Promise<HistorySaved> {
    return this.#serial(async () => {
      // Re-checked here even though the contract checked it: this is the one way data reaches the disk.
      const parsed = historyEntriesSchema.parse(entries);
      if (!parsed.ok) throw new TypeError(`history ${parsed.issue.path || 'entries'}: ${parsed.issue.message}`);
      if (!(await this.#exists())) {
        throw new HistoryError('history-disabled', 'Keeping the history on this computer is turned off; nothing was saved.');
      }
      const sealing = await this.#sealing();
      if (sealing.state === 'locked') {
        this.#wasLocked = true;
        this.#held = parsed.value;
        return { saved: parsed.value.length, locked: true };
      }
      // Something held from a locked time, or not yet shown to any window, is merged, not replaced.
      let value = parsed.value;
      if (this.#held !== null || this.#unseen !== null) {
        const state = await this.#load();
        value = mergeHistories(value, this.#unseen ?? [], state.entries);
      }
      await this.#write(value, sealing.state === 'sealed' ? sealing.sealer : null);
      return { saved: parsed.value.length, locked: false };
    });
  }

  /** Empties the stored history (the opt-in stays as it is). */
  clear(): Promise<HistoryState> {
    return this.#serial(async () => {
      const enabled = await this.#exists();
      this.#held = null;
      this.#unseen = null;
      if (!enabled) return OFF;
      const sealing = await this.#sealing();
      // Locked: the sealed entries are dropped for an empty plain file, which holds nothing to protect.
      await this.#write([], sealing.state === 'sealed' ? sealing.sealer : null);
      return this.#shown({ enabled: true, entries: [], notice: null, sealed: sealing.state === 'sealed', locked: sealing.state === 'locked' });
    });
  }

  /**
   * The key store has just opened (set up, unlocked): what was held in memory is merged into the file, which
   * is then sealed. Called by the session; a failure stays held and is retried by the next call.
   */
  storeOpened(): Promise<void> {
    return this.#serial(async () => {
      const before = this.#held ?? [];
      const state = await this.#load();
      // Entries the file brought in that the windows (which know what they saved) have not been shown.
      if (this.#wasLocked && state.enabled && !state.locked) {
        this.#wasLocked = false;
        const known = new Set(before.map((e) => e.token));
        const added = state.entries.filter((e) => !known.has(e.token));
        this.#unseen = added.length > 0 ? added : null;
      }
    }).catch(() => undefined);
  }

  /** A state about to be answered to a window: it has now seen every entry. */
  #shown(state: HistoryState): HistoryState {
    if (state.enabled && !state.locked) this.#unseen = null;
    if (state.locked) this.#wasLocked = true;
    return state;
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #sealing(): Promise<FileSealing> {
    if (this.#protection === null) return { state: 'plain' };
    try {
      return await this.#protection.fileSealing(SEAL_PURPOSE);
    } catch {
      // The key store cannot say (its file unreadable right now): never write in clear on a guess.
      return { state: 'locked' };
    }
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

  /**
   * The history as it stands, with what was held merged in and written as soon as the store allows: an
   * unreadable file, or one sealed by a key this store does not have, is set aside and a new one started.
   */
  async #load(): Promise<HistoryState> {
    const file = await this.#readFile();
    if (file === null) {
      this.#held = null; // opted out (deleted) meanwhile: nothing is kept against the user's choice
      return OFF;
    }
    const sealing = await this.#sealing();
    const sealer = sealing.state === 'sealed' ? sealing.sealer : null;
    let entries: HistoryEntryData[] = [];
    let notice: string | null = null;
    let rewrite = false;
    if (file.kind === 'bad') {
      notice = await this.#setAside('unreadable', (name) =>
        `The saved history could not be read, so it was set aside as ${name} and a new, empty one was started.`);
      rewrite = true;
    } else if (file.kind === 'plain') {
      entries = file.entries;
      rewrite = sealer !== null; // kept in clear before the store was protected: sealed now
    } else if (sealing.state === 'locked') {
      return { enabled: true, entries: this.#held ?? [], notice: null, sealed: true, locked: true };
    } else {
      const opened = sealer === null ? null : openHistory(sealer, file);
      if (opened === null) {
        notice = await this.#setAside('undecryptable', (name) =>
          sealer === null
            ? `The saved history is encrypted with a key store that is no longer here, so it was set aside as ${name} and a new one was started.`
            : `The saved history could not be decrypted with this key store's key (it was sealed by another key store, or altered), so it was set aside as ${name} and a new one was started.`);
        rewrite = true;
      } else {
        entries = opened;
      }
    }
    if (this.#held !== null) {
      entries = mergeHistories(this.#held, entries);
      rewrite = true;
    }
    if (sealing.state === 'locked') {
      // Only the held entries are in memory; on disk an empty marker replaces a file set aside.
      if (file.kind === 'bad') await this.#write([], null);
      return { enabled: true, entries, notice, sealed: false, locked: true };
    }
    if (rewrite) {
      await this.#write(entries, sealer);
      this.#held = null;
    }
    return { enabled: true, entries, notice, sealed: sealer !== null, locked: false };
  }

  /** The file parsed, or null when there is none. A FIFO, device, folder or huge file in its place is 'bad'. */
  async #readFile(): Promise<HistoryFile | null> {
    let text: string | null;
    try {
      text = await readFileChecked(this.file, { maxBytes: MAX_FILE_BYTES, encoding: 'utf8' });
    } catch (error) {
      if (!(error instanceof FileReadError && error.code !== 'unreadable')) throw ioError('read', error);
      return { kind: 'bad' };
    }
    return text === null ? null : parseHistoryFile(text);
  }

  /** Renames the file to `history.json.<why>-<time>` (kept for inspection) and returns the notice. */
  async #setAside(why: string, notice: (name: string) => string): Promise<string> {
    const aside = `${this.file}.${why}-${this.#now().toISOString().replace(/[:.]/g, '-')}`;
    await this.#io('set aside', () => rename(this.file, aside));
    return notice(path.basename(aside));
  }

  async #write(entries: HistoryEntryData[], sealer: FileSealer | null): Promise<void> {
    const data = serializeHistory(entries, sealer);
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

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** The OS error's code only: the message names the path, which is fine, but never the file's content. */
function ioError(what: string, error: unknown): HistoryError {
  const code = error instanceof FileReadError ? errnoCode(error.cause) : errnoCode(error);
  return new HistoryError('history-io', `Could not ${what} the history file${code ? ` (${code})` : ''}.`, { cause: error });
}
