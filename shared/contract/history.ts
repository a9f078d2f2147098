/**
 * The debugger's opt-in token history kept by the host (issue 3): the history is in the renderer's
 * memory only until the user opts in; then the host keeps it in a file of its data directory (never the
 * renderer's localStorage, which any script of the origin can read and which outlives "clear site data"
 * expectations). These are the methods' request schemas, bounds and response types.
 */
import * as s from './schema';
import type { Infer, ParseResult, Schema } from './schema';

export const HISTORY_LIMITS = {
  /** Entries kept. The renderer keeps fewer; the bound is for abuse, not for use. */
  entries: 50,
  /** Entries the app keeps in use: the renderer's list, and the host's merge of a locked history on unlock. */
  kept: 20,
  /** Characters of one token: the same bound as every other token crossing the contract. */
  token: 1024 * 1024,
  /** Characters of one entry's label (alg and sub / iss, already shortened by the renderer). */
  label: 200,
  /** Characters of all tokens together: well under the HTTP transport's 8 MB body limit. */
  total: 4 * 1024 * 1024,
} as const;

export const historyEntrySchema = s.object({
  token: s.string({ max: HISTORY_LIMITS.token, min: 1 }),
  label: s.string({ max: HISTORY_LIMITS.label }),
  /** When it was last seen, ms since 1970. */
  at: s.number({ min: 0, integer: true }),
});

export type HistoryEntryData = Infer<typeof historyEntrySchema>;

/** A list of entries whose tokens together stay within HISTORY_LIMITS.total. */
export const historyEntriesSchema: Schema<HistoryEntryData[]> = withTotalLimit(
  s.array(historyEntrySchema, { max: HISTORY_LIMITS.entries }),
);

function withTotalLimit(inner: Schema<HistoryEntryData[]>): Schema<HistoryEntryData[]> {
  return {
    expected: inner.expected,
    parse(input, path = ''): ParseResult<HistoryEntryData[]> {
      const r = inner.parse(input, path);
      if (!r.ok) return r;
      const total = r.value.reduce((sum, entry) => sum + entry.token.length, 0);
      if (total > HISTORY_LIMITS.total) {
        return { ok: false, issue: { path, message: `the tokens together must be at most ${HISTORY_LIMITS.total} characters long (got ${total})` } };
      }
      return r;
    },
  };
}

export const historyRequests = {
  get: s.object({}),
  /** Turning it off deletes the stored file; turning it on starts an empty one. */
  setEnabled: s.object({ enabled: s.boolean() }),
  /** Replaces the stored entries (newest first). Refused with `history-disabled` unless opted in. */
  save: s.object({ entries: historyEntriesSchema }),
  clear: s.object({}),
};

export interface HistoryState {
  /** Whether the user opted in to keeping the history on this computer. */
  enabled: boolean;
  /** The stored entries, newest first (empty when not enabled). */
  entries: HistoryEntryData[];
  /**
   * Something the user should be told once, e.g. that an unreadable history file was set aside
   * (and under which name). Null when all is well.
   */
  notice: string | null;
  /**
   * Whether the kept file is encrypted with the key store's protection (OS keychain or passphrase). False or
   * absent: plain JSON (no protected key store here), as README says.
   */
  sealed?: boolean;
  /**
   * The key store is protected by a passphrase and not unlocked yet, so the encrypted file cannot be read:
   * `entries` are those saved since start (kept in the host's memory) and are merged into the file on unlock.
   */
  locked?: boolean;
}

/** `history.save`'s answer: how many entries were accepted, and whether they wait in memory for an unlock. */
export interface HistorySaved {
  saved: number;
  /** True while the key store is locked: the save is held in the host's memory and written on unlock. */
  locked?: boolean;
}

/** Codes of the history service's expected failures. */
export type { HistoryErrorCode } from './errors';
