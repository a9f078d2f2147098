import type { StateCreator } from 'zustand';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { DecodedToken } from '../../../shared/core/token';
import { lintToken } from '../../../shared/lint';
import type { Finding, LintContext } from '../../../shared/lint/types';
import type { WorkbenchState } from './types';

/**
 * The pasted text and what the shared core makes of it. Decode and lint are pure and fast, so they
 * run synchronously on every keystroke; nothing here crosses to the host.
 */
export interface TokenSlice {
  /** The text exactly as typed or pasted. */
  input: string;
  /** The decode of `input`, or null while the input is blank. */
  decoded: DecodedToken | null;
  /** Why `input` does not decode, or null when it does (or is blank). */
  decodeError: TokenErrorInfo | null;
  /**
   * The most recent successful decode, kept while the input is broken so the panes do not blank out
   * mid-edit. Equals `decoded` whenever the input decodes; cleared when the input is emptied.
   */
  lastGood: DecodedToken | null;
  /** Lint findings for `lastGood`. */
  findings: Finding[];
  setInput(text: string): void;
  /** Re-runs lint on the last good decode (the clock or the key changed, not the token). */
  relint(): void;
}

export const createTokenSlice: StateCreator<WorkbenchState, [], [], TokenSlice> = (set, get) => ({
  input: '',
  decoded: null,
  decodeError: null,
  lastGood: null,
  findings: [],
  setInput(text) {
    if (text.trim() === '') {
      set({ input: text, decoded: null, decodeError: null, lastGood: null, findings: [] });
    } else {
      const result = decodeToken(text);
      if (result.ok) {
        set({
          input: text,
          decoded: result.token,
          decodeError: null,
          lastGood: result.token,
          findings: lintToken(result.token, lintContext(get())),
        });
      } else {
        // lastGood and its findings stay as they were.
        set({ input: text, decoded: null, decodeError: result.error });
      }
    }
    get().scheduleVerify();
  },
  relint() {
    const { lastGood } = get();
    set({ findings: lastGood ? lintToken(lastGood, lintContext(get())) : [] });
  },
});

function lintContext(state: WorkbenchState): LintContext {
  const context: LintContext = { now: state.effectiveNow(), leeway: state.leeway };
  const secretLength = state.secretByteLength();
  if (secretLength !== null) context.secretLength = secretLength;
  return context;
}
