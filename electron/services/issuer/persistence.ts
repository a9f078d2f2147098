/**
 * The issuer's persistence in its data folder, put together: the state file (store.ts), the journal of the
 * changes made since it was written (journal.ts) and what those changes are (changes.ts).
 *
 * open() takes the folder's lock, reads the state file and replays the journal over it; start() writes that
 * state back and starts an empty journal; from then on every change is journaled, and durable() is what a
 * request waits for before its answer leaves: no client is told of a change a crash could still lose.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { StateChanges, replayChanges } from './changes';
import type { StateSources } from './changes';
import { JOURNAL_FILE, Journal, readJournal } from './journal';
import type { JournalLimits } from './journal';
import { StateFile } from './store';

export interface OpenedState {
  persistence: IssuerPersistence;
  /** The state file with the journal replayed over it, or null when there was neither. */
  state: Record<string, unknown> | null;
  /** What open() had to work around, for the log. */
  notes: {
    /** Where an unreadable state file went (the journal that followed it went beside it). */
    stateSetAside: string | null;
    /** Where a corrupt journal went (the records before the damage were replayed). */
    journalSetAside: string | null;
    /** A write cut short by a kill was ignored (it was never acknowledged). */
    tornRecord: boolean;
    replayed: number;
  };
}

export interface PersistenceOptions {
  limits?: Partial<JournalLimits>;
  onError?: (error: Error) => void;
}

export class IssuerPersistence {
  private journal: Journal | null = null;
  private snapshot: (() => Record<string, unknown>) | null = null;

  private constructor(
    private readonly store: StateFile,
    private readonly journalFile: string,
    private readonly lastSeq: number,
    private readonly options: PersistenceOptions,
  ) {}

  get file(): string {
    return this.store.file;
  }

  /** Locks the folder and reads its state. Throws StoreError. */
  static async open(dir: string, options: PersistenceOptions = {}): Promise<OpenedState> {
    const store = new StateFile(dir);
    const loaded = await store.open();
    try {
      const journalFile = path.join(dir, JOURNAL_FILE);
      if (loaded.setAside) {
        // Its records are changes to a state that is gone: kept beside it, not replayed onto nothing.
        await rename(journalFile, `${loaded.setAside}.journal`).catch(() => undefined);
      }
      const journal = await readJournal(journalFile);
      const stored = loaded.state ?? {};
      const since = typeof stored.journalSeq === 'number' && Number.isSafeInteger(stored.journalSeq) ? stored.journalSeq : 0;
      // Records up to journalSeq are in the state file already (a crash came between its write and the truncation).
      const records = journal.records.filter((r) => r.seq > since);
      const state = records.length > 0 ? replayChanges(stored, records.map((r) => r.changes)) : loaded.state;
      const lastSeq = Math.max(since, journal.records.at(-1)?.seq ?? 0);
      return {
        persistence: new IssuerPersistence(store, journalFile, lastSeq, options),
        state,
        notes: { stateSetAside: loaded.setAside, journalSetAside: journal.setAside, tornRecord: journal.torn, replayed: records.length },
      };
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * Starts journaling the state the sources show: tells the registries to report their changes, writes the
   * whole state (`snapshot`) and starts an empty journal. Returns the tracker the core reports settings,
   * clock and key changes to.
   */
  async start(sources: StateSources, snapshot: () => Record<string, unknown>): Promise<StateChanges> {
    this.snapshot = snapshot;
    let journal: Journal | null = null;
    const changes = new StateChanges(sources, () => journal?.note());
    journal = new Journal({
      file: this.journalFile,
      lastSeq: this.lastSeq,
      collect: () => changes.take(),
      compact: (seq) => this.writeState(seq),
      ...(this.options.limits && { limits: this.options.limits }),
      ...(this.options.onError && { onError: this.options.onError }),
    });
    await journal.open();
    this.journal = journal;
    return changes;
  }

  /** Resolves once every change made so far is on disk. Rejects with StoreError if it can no longer be. */
  durable(): Promise<void> {
    return this.journal ? this.journal.durable() : Promise.resolve();
  }

  /** Writes the whole state, removes the journal and releases the folder. */
  async close(): Promise<void> {
    try {
      await this.journal?.close();
    } finally {
      await this.store.close();
    }
  }

  private writeState(journalSeq: number): Promise<number> {
    // Serialized now, in this turn: the document is one consistent moment of the state.
    return this.store.write(JSON.stringify({ ...this.snapshot!(), journalSeq }));
  }
}
