import type { StateCreator } from 'zustand';
import { HISTORY_LIMITS } from '../../../shared/contract/history';
import type { HistoryState } from '../../../shared/contract/history';
import type { DecodedToken } from '../../../shared/core/token';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * Recent tokens. In memory only (they die with the window) unless the user opts in to keeping them on
 * this computer: then the host stores them in a file of its data directory (never localStorage, which any
 * script of the page's origin can read), loaded at start and saved shortly after each change — encrypted
 * like the key store when it is protected, and held by the host until a passphrase store is unlocked.
 */
export interface HistoryEntry {
  token: string;
  /** A short description: alg and sub / iss when there are any. */
  label: string;
  /** When it was last seen (ms since 1970, the wall clock). */
  at: number;
}

export interface HistorySlice {
  history: HistoryEntry[];
  /** Whether the user opted in to keeping the history on this computer (as the host last said). */
  historyKept: boolean;
  /** A keep-history request is in flight: the toggle waits for it. */
  historyBusy: boolean;
  /** What the user should know about the kept history (a file set aside, a failed save); null when nothing. */
  historyNotice: string | null;
  /** The kept history is encrypted with the key store's protection (keychain or passphrase), as the host last said. */
  historySealed: boolean;
  /**
   * The key store is locked, so the host cannot read the kept history yet: this window's saves wait in the
   * host's memory and are merged into the file on unlock, when this window loads the history again.
   */
  historyLocked: boolean;
  /**
   * Remembers a token once typing settles on it (so a token typed character by character is one
   * entry, not fifty). Called by the token slice on every good decode.
   */
  noteToken(token: DecodedToken): void;
  /** Remembers a token now (an example, a paste). */
  rememberToken(token: DecodedToken): void;
  /** Empties the history, and the kept copy when there is one. */
  clearHistory(): void;
  /** Asks the host whether the history is kept and, if so, merges the kept entries in. Once, at start. */
  loadHistory(): Promise<void>;
  /** Turns keeping on (saving what is in memory now) or off (the host deletes its copy). */
  setHistoryKept(kept: boolean): Promise<void>;
}

export const HISTORY_LIMIT = HISTORY_LIMITS.kept;

export const createHistorySlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], HistorySlice> =>
  (set, get, api) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let saveTimer: ReturnType<typeof setTimeout> | null = null;
    // Bumped by every opt-in change, so an answer to an older load or toggle cannot undo a newer one.
    let keepGeneration = 0;

    const cancelSave = () => {
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
    };

    const saveNow = async () => {
      cancelSave();
      if (!get().historyKept) return;
      const result = await callHost(deps.host, 'history.save', { entries: persistable(get().history) });
      if (result.ok) {
        if (get().historyNotice?.startsWith(SAVE_FAILED)) set({ historyNotice: null });
        // Unlocked elsewhere (another window, the CLI): load the merged history now readable.
        if (result.value.locked === false && get().historyLocked) void get().loadHistory();
        else if (result.value.locked === true && !get().historyLocked) set({ historyLocked: true });
      } else if (result.error.code === 'history-disabled') {
        // Turned off elsewhere (another window): follow the host rather than fight it.
        set({ historyKept: false });
      } else {
        set({ historyNotice: `${SAVE_FAILED}: ${result.error.message}` });
      }
    };

    // Entries change at most once per historyDelayMs; the same quiet period batches a burst of them.
    const scheduleSave = () => {
      if (!get().historyKept) return;
      cancelSave();
      saveTimer = setTimeout(() => void saveNow(), deps.historyDelayMs);
    };

    /** Kept entries and the ones seen in this window so far, newest first, each token once. */
    const merge = (kept: readonly HistoryEntry[]): boolean => {
      const current = get().history;
      const byToken = new Map<string, HistoryEntry>();
      for (const entry of [...current, ...kept]) {
        const seen = byToken.get(entry.token);
        if (!seen || seen.at < entry.at) byToken.set(entry.token, entry);
      }
      const merged = [...byToken.values()].sort((a, b) => b.at - a.at).slice(0, HISTORY_LIMIT);
      set({ history: merged });
      // Whether memory held something the kept copy lacks.
      const keptTokens = new Set(kept.map((e) => e.token));
      return merged.some((e) => !keptTokens.has(e.token));
    };

    // The key store unlocked in this window: the host has merged what it held, so load the history again.
    api.subscribe((state, previous) => {
      if (state.historyLocked && state.keysStatus?.state === 'unlocked' && previous.keysStatus?.state !== 'unlocked') {
        void state.loadHistory();
      }
    });

    return {
      history: [],
      historyKept: false,
      historyBusy: false,
      historyNotice: null,
      historySealed: false,
      historyLocked: false,
      noteToken(token) {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          // Only if it is still the token on screen.
          if (get().decoded?.token === token.token) get().rememberToken(token);
        }, deps.historyDelayMs);
      },
      rememberToken(token) {
        const entry: HistoryEntry = { token: token.token, label: labelOf(token), at: Date.now() };
        set({ history: [entry, ...get().history.filter((e) => e.token !== token.token)].slice(0, HISTORY_LIMIT) });
        scheduleSave();
      },
      clearHistory() {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        cancelSave();
        set({ history: [] });
        if (get().historyKept) {
          void callHost(deps.host, 'history.clear', {}).then((result) => {
            if (!result.ok) set({ historyNotice: `Could not clear the kept history: ${result.error.message}` });
          });
        }
      },
      async loadHistory() {
        const generation = keepGeneration;
        const result = await callHost(deps.host, 'history.get', {});
        if (generation !== keepGeneration) return; // the user toggled meanwhile: that answer rules
        if (!result.ok) {
          set({ historyNotice: `Could not read the kept history: ${result.error.message}` });
          return;
        }
        set({ historyKept: result.value.enabled, historyNotice: result.value.notice, ...protectionOf(result.value) });
        if (result.value.enabled && merge(result.value.entries)) scheduleSave();
      },
      async setHistoryKept(kept) {
        const generation = ++keepGeneration;
        cancelSave();
        set({ historyBusy: true });
        const result = await callHost(deps.host, 'history.setEnabled', { enabled: kept });
        if (generation !== keepGeneration) return;
        if (!result.ok) {
          set({ historyBusy: false, historyNotice: `Could not turn keeping the history ${kept ? 'on' : 'off'}: ${result.error.message}` });
          return;
        }
        set({ historyBusy: false, historyKept: result.value.enabled, historyNotice: result.value.notice, ...protectionOf(result.value) });
        if (result.value.enabled) {
          merge(result.value.entries);
          await saveNow();
        }
      },
    };
  };

const SAVE_FAILED = 'Could not save the history';

function protectionOf(state: HistoryState): Pick<HistorySlice, 'historySealed' | 'historyLocked'> {
  return { historySealed: state.enabled && state.sealed === true, historyLocked: state.enabled && state.locked === true };
}

/** The entries the host accepts: tokens within its size bounds, as many as fit its total. */
function persistable(entries: readonly HistoryEntry[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let total = 0;
  for (const { token, label, at } of entries.slice(0, HISTORY_LIMITS.entries)) {
    if (token.length > HISTORY_LIMITS.token || total + token.length > HISTORY_LIMITS.total) continue;
    total += token.length;
    out.push({ token, label: label.slice(0, HISTORY_LIMITS.label), at: Math.max(0, Math.trunc(at)) });
  }
  return out;
}

function labelOf(token: DecodedToken): string {
  const alg = typeof token.header.alg === 'string' ? token.header.alg : '?';
  const parts = [token.kind === 'jwe' ? `JWE ${alg}` : alg];
  const payload = token.payloadIsJson && typeof token.payload === 'object' && token.payload !== null ? (token.payload as Record<string, unknown>) : null;
  if (payload && typeof payload.sub === 'string') parts.push(`sub ${truncate(payload.sub)}`);
  else if (payload && typeof payload.iss === 'string') parts.push(`iss ${truncate(payload.iss)}`);
  return parts.join(' · ');
}

function truncate(text: string): string {
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}
