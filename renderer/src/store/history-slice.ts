import type { StateCreator } from 'zustand';
import type { DecodedToken } from '../../../shared/core/token';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * Recent tokens, in memory only: they die with the window. (Keeping them across launches would be an
 * opt-in stored by the host, never localStorage; not built yet.)
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
  /**
   * Remembers a token once typing settles on it (so a token typed character by character is one
   * entry, not fifty). Called by the token slice on every good decode.
   */
  noteToken(token: DecodedToken): void;
  /** Remembers a token now (an example, a paste). */
  rememberToken(token: DecodedToken): void;
  clearHistory(): void;
}

export const HISTORY_LIMIT = 20;

export const createHistorySlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], HistorySlice> =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    return {
      history: [],
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
      },
      clearHistory() {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        set({ history: [] });
      },
    };
  };

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
