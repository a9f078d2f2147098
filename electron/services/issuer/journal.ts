/**
 * The issuer's journal: an append-only file of state changes (`issuer-journal.ndjson`), one JSON record per
 * line, each line on disk (O_DSYNC, or write + fdatasync) before any client is told about the changes it carries.
 *
 * Group commit: one write + sync is in flight at a time. Changes noted meanwhile wait and go out together in
 * the next one, so a burst of requests costs a few syncs, not one each. A record is produced when its write
 * starts (`collect`), so it holds everything changed up to then, and `durable()` resolves once every change
 * noted before the call is on disk.
 *
 * When the file has grown past its limits, `compact` (the caller's: the whole state, written atomically) runs
 * between two writes and the file is truncated. Records are numbered (`seq`); the state file names the last
 * one it includes, so the records of a journal whose truncation a crash prevented are skipped on replay.
 *
 * Reading at open: a last line without its newline is a write a kill cut short, never acknowledged, and is
 * ignored. Any other unreadable line makes the journal corrupt: it is set aside (renamed, never deleted) and
 * only the records before that line are replayed.
 *
 * A failed write or sync is not retried (after a failed fsync the kernel may have dropped the data while the
 * next fsync succeeds): the journal stops, every waiting and later `durable()` rejects, and the issuer answers
 * 503 until it is restarted.
 */
import { constants as fsConstants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { readFileChecked, syncDirectory } from '../files/index';
import { StoreError } from './store';

export const JOURNAL_FILE = 'issuer-journal.ndjson';

/** One line of the journal: its number and the changes it carries (the caller's format). */
export interface JournalRecord {
  seq: number;
  changes: unknown;
}

export interface JournalContents {
  records: JournalRecord[];
  /** Where a corrupt journal was moved, if it was. */
  setAside: string | null;
  /** Whether a cut-short last line was ignored. */
  torn: boolean;
}

export interface JournalLimits {
  /** Compact once the file holds this many bytes, or as many as the last state written, whichever is more. */
  maxBytes: number;
  /** Compact once the file holds this many records. */
  maxRecords: number;
}

export interface JournalOptions {
  file: string;
  /** The seq of the last record already in the state file: new records continue from it. */
  lastSeq: number;
  /** At the start of a write: the changes since the previous record, or null when there are none. */
  collect: () => unknown | null;
  /** Writes the whole state durably, marked as including records up to `seq`; resolves with its size in bytes. */
  compact: (seq: number) => Promise<number>;
  limits?: Partial<JournalLimits>;
  onError?: (error: Error) => void;
}

const DEFAULT_LIMITS: JournalLimits = { maxBytes: 8 * 1024 * 1024, maxRecords: 20_000 };
/**
 * O_DSYNC makes each write return only once its data (and the size needed to read it) is on disk, as write +
 * fdatasync would, in one trip to the thread pool instead of two. Where the platform has none (Windows), the
 * journal syncs after each write instead.
 */
const DSYNC: number | undefined = fsConstants.O_DSYNC;
/** Read at open; far beyond what the limits let the file reach. */
const MAX_JOURNAL_BYTES = 1024 * 1024 * 1024;

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Reads a journal file (absent: no records). Throws StoreError when it cannot be read at all. */
export async function readJournal(file: string): Promise<JournalContents> {
  let text: string | null;
  try {
    text = await readFileChecked(file, { maxBytes: MAX_JOURNAL_BYTES, encoding: 'utf8' });
  } catch (error) {
    throw new StoreError('data-dir-unusable', `cannot read the journal: ${(error as Error).message}`, { cause: error });
  }
  if (text === null || text === '') return { records: [], setAside: null, torn: false };
  const lines = text.split('\n');
  // After the last newline: '' when the file ends cleanly, else the cut-short write of a killed process.
  const tail = lines.pop()!;
  const records: JournalRecord[] = [];
  let previous = -Infinity;
  for (const line of lines) {
    const record = parseRecord(line);
    if (record === null || record.seq <= previous) {
      const aside = `${file}.corrupt-${Date.now()}`;
      await rename(file, aside).catch((error: Error) => {
        throw new StoreError('data-dir-unusable', `the journal ${file} is corrupt and cannot be set aside: ${error.message}`, { cause: error });
      });
      return { records, setAside: aside, torn: false };
    }
    previous = record.seq;
    records.push(record);
  }
  return { records, setAside: null, torn: tail !== '' };
}

function parseRecord(line: string): JournalRecord | null {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const { seq, changes } = value as Record<string, unknown>;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || changes === undefined) return null;
    return { seq, changes };
  } catch {
    return null;
  }
}

export class Journal {
  private handle: FileHandle | null = null;
  private readonly limits: JournalLimits;
  private seq: number;
  private bytes = 0;
  private records = 0;
  /** When the next compaction is due. */
  private compactAt: { bytes: number; records: number };
  /** Changes noted so far, and how many of them are on disk. */
  private noted = 0;
  private durableUpTo = 0;
  private waiters: Waiter[] = [];
  private running: Promise<void> | null = null;
  private failure: StoreError | null = null;
  private closed = false;

  constructor(private readonly options: JournalOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.seq = options.lastSeq;
    this.compactAt = { bytes: this.limits.maxBytes, records: this.limits.maxRecords };
  }

  /**
   * Writes the state (the records read at open included) and starts an empty journal after it: the old
   * journal is emptied only once the state holding its records is on disk.
   */
  async open(): Promise<void> {
    const upTo = this.noted;
    // The state written now holds every change made so far: none of them needs a record.
    this.options.collect();
    try {
      this.compacted(await this.options.compact(this.seq));
    } catch (error) {
      throw new StoreError('data-dir-unusable', `cannot write the state file: ${(error as Error).message}`, { cause: error });
    }
    try {
      this.handle = await open(this.options.file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_APPEND | (DSYNC ?? 0), 0o600);
      await this.handle.truncate(0);
      await this.handle.sync();
      await syncDirectory(path.dirname(this.options.file));
    } catch (error) {
      await this.handle?.close().catch(() => undefined);
      this.handle = null;
      throw new StoreError('data-dir-unusable', `cannot create the journal ${this.options.file}: ${(error as Error).message}`, { cause: error });
    }
    this.durableUpTo = upTo;
    this.settle();
    if (this.noted > upTo) this.running ??= this.run();
  }

  /** A change was made: it goes into the next record, whose write starts as soon as the current one ends. */
  note(): void {
    this.noted++;
    if (this.running === null && this.handle !== null && this.failure === null) this.running = this.run();
  }

  /** Resolves once every change noted so far is on disk; rejects (StoreError) if the journal has failed. */
  durable(): Promise<void> {
    if (this.durableUpTo >= this.noted) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo: this.noted, resolve, reject });
      if (this.running === null && this.handle !== null) this.running = this.run();
    });
  }

  /** Compacts everything into the state file and removes the journal; later changes are not written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.running) await this.running;
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    try {
      // The state written now includes every change, journaled or not: the journal has nothing left to add.
      await this.options.compact(this.seq);
      await rm(this.options.file, { force: true });
    } finally {
      await handle.close().catch(() => undefined);
      this.fail(new StoreError('data-dir-unusable', 'the issuer has stopped'));
    }
  }

  private async run(): Promise<void> {
    // Deferred by one turn so that the changes of requests handled in this turn share the write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.durableUpTo < this.noted && this.failure === null && this.handle !== null) {
        const upTo = this.noted;
        const changes = this.options.collect();
        if (changes !== null) await this.append(changes);
        this.durableUpTo = upTo;
        this.settle();
        if (this.bytes >= this.compactAt.bytes || this.records >= this.compactAt.records) await this.compact();
      }
    } catch (error) {
      this.fail(new StoreError('data-dir-unusable', `cannot write the journal ${this.options.file}: ${(error as Error).message}`, { cause: error }));
      this.options.onError?.(this.failure!);
    } finally {
      this.running = null;
    }
  }

  private async append(changes: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify({ seq: this.seq + 1, changes })}\n`, 'utf8');
    const handle = this.handle!;
    let written = 0;
    while (written < line.length) written += (await handle.write(line, written, line.length - written)).bytesWritten;
    if (DSYNC === undefined) await handle.datasync();
    this.seq++;
    this.bytes += line.length;
    this.records++;
  }

  /** The state file takes everything written so far; then the journal starts empty. */
  private async compact(): Promise<void> {
    let stateBytes: number;
    try {
      stateBytes = await this.options.compact(this.seq);
    } catch (error) {
      // Nothing is lost (the journal still holds every record); try again once it has doubled.
      this.compactAt = { bytes: this.bytes * 2, records: this.records * 2 };
      this.options.onError?.(error as Error);
      return;
    }
    await this.handle!.truncate(0);
    await this.handle!.datasync();
    this.bytes = 0;
    this.records = 0;
    this.compacted(stateBytes);
  }

  /** The journal may grow as large as the state before the next compaction: rewriting the state stays a fraction of the writing. */
  private compacted(stateBytes: number): void {
    this.compactAt = { bytes: Math.max(this.limits.maxBytes, stateBytes), records: this.limits.maxRecords };
  }

  private settle(): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.upTo <= this.durableUpTo) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private fail(error: StoreError): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }
}
