import type { StateCreator } from 'zustand';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { DecodedToken, SegmentSpan } from '../../../shared/core/token';
import { lintToken } from '../../../shared/lint';
import type { Finding, LintContext } from '../../../shared/lint/types';
import { composeToken, paneTexts } from './compose';
import type { DraftError } from './compose';
import type { WorkbenchDeps, WorkbenchState } from './types';

export type { DraftError } from './compose';

/**
 * How the token in the Encoded pane came from an edit of the Header or Payload pane. A pasted token is
 * never re-signed: only an edit produces a new token, and this says what was done to it.
 */
export type Modification =
  /** Signing through the host is under way; the token shown carries the old, now wrong, signature. */
  | { status: 'signing'; keyLabel: string }
  | { status: 'resigned'; keyLabel: string; alg: string }
  /** No usable signing key: the old signature is kept and no longer matches. `reason` says why. */
  | { status: 'unsigned'; reason: string }
  /** The edited header says alg none: an unsecured token, with no signature at all. */
  | { status: 'unsecured' };

/** A request to put the cursor somewhere (a claim warning was clicked). `seq` makes each one new. */
export interface RevealRequest {
  pane: 'encoded' | 'header' | 'payload';
  offset: number;
  seq: number;
}

/**
 * The pasted text and what the shared core makes of it. Decode and lint are pure and fast, so they
 * run synchronously on every keystroke; nothing here crosses to the host except re-signing an edit.
 */
export interface TokenSlice {
  /** The text exactly as typed or pasted (or the token an edit produced). */
  input: string;
  /** The decode of `input`, or null while the input is blank. */
  decoded: DecodedToken | null;
  /** Why `input` does not decode, or null when it does (or is blank). */
  decodeError: TokenErrorInfo | null;
  /** Segment spans of `input` (also of a broken input, as far as it splits), for colouring. */
  spans: SegmentSpan[];
  /**
   * The most recent successful decode, kept while the input is broken so the panes do not blank out
   * mid-edit. Equals `decoded` whenever the input decodes; cleared when the input is emptied.
   */
  lastGood: DecodedToken | null;
  /** Lint findings for `lastGood`. */
  findings: Finding[];
  /** The Header and Payload panes' text: the decode's, or the user's edit of it. */
  headerText: string;
  payloadText: string;
  /** False for a JWE or a payload of raw bytes: those panes are read-only. */
  headerEditable: boolean;
  payloadEditable: boolean;
  /** An edit of the Header / Payload pane that does not make a token (located in that pane). */
  draftError: DraftError | null;
  /**
   * The token as loaded, while the Encoded pane shows one made from an edit; else null. Modified is a
   * comparison: whenever the token an edit makes is the loaded one again, this and `modification` are null.
   */
  original: string | null;
  modification: Modification | null;
  reveal: RevealRequest | null;
  setInput(text: string): void;
  /** The user edited the Header / Payload pane: builds a new token (re-signed when a key allows). */
  editHeader(text: string): void;
  editPayload(text: string): void;
  /** Re-signs the edited token with the current key (the key changed while the token is modified). */
  recompose(): void;
  /** Back to the token as pasted, before any edit. */
  revertToOriginal(): void;
  revealAt(pane: RevealRequest['pane'], offset: number): void;
  /** Re-runs lint on the last good decode (the clock or the key changed, not the token). */
  relint(): void;
}

const BLANK = /^\s*$/;

/** Whether the input is only whitespace, tested without trim(), which copies a 100 KB token at each call. */
export function isBlankInput(text: string): boolean {
  return BLANK.test(text);
}

/** The token state of an empty input: what the slice starts with, and what clearing the input returns to. */
const NO_TOKEN = {
  decoded: null,
  decodeError: null,
  spans: [],
  lastGood: null,
  findings: [],
  headerText: '',
  payloadText: '',
  headerEditable: false,
  payloadEditable: false,
  draftError: null,
} satisfies Partial<TokenSlice>;

export const createTokenSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], TokenSlice> =>
  (set, get) => {
    // Each edit takes a number; a signing answer is applied only while its number is the latest.
    let signGeneration = 0;
    // The panes' text of the last decode: a keystroke in the signature (or header) leaves the payload's
    // bytes as they were, and pretty-printing (or hex-dumping) a 100 KB payload again is most of its cost.
    // Two of them: a keystroke that breaks a payload's bytes is usually undone by the next one, and the
    // text it comes back to is then the very string the Payload editor still holds (nothing to compare).
    let recentPanes: Array<{ token: DecodedToken; texts: ReturnType<typeof paneTexts> }> = [];
    const paneTextsOf = (token: DecodedToken) => {
      const previous = recentPanes.find((entry) => samePayload(entry.token, token));
      const texts = previous ? { ...previous.texts, headerText: JSON.stringify(token.header, null, 2) } : paneTexts(token);
      recentPanes = [{ token, texts }, ...recentPanes.filter((entry) => entry !== previous)].slice(0, 2);
      return texts;
    };

    // The last two good decodes, newest first, for the next decode to reuse a payload of (a keystroke that breaks a
    // payload's bytes and the Backspace that mends it go back and forth between two).
    let recentDecodes: DecodedToken[] = [];

    // The loaded token and the panes' text it was shown with. The panes pretty-print a loaded token while an
    // edit is signed exactly as typed, so the loaded text re-encoded is not the loaded token: an edit that
    // brings both panes back to this text is no edit, and the Encoded pane gets the loaded token back.
    let loaded: { input: string; headerText: string; payloadText: string } | null = null;

    /** Decodes `text` into the token state; `fromEdit` keeps the panes' text (the user is typing there). */
    const applyText = (text: string, fromEdit: boolean) => {
      if (!fromEdit) loaded = null;
      if (isBlankInput(text)) {
        set({ input: text, ...NO_TOKEN });
      } else {
        // A recent decode's payload is reused when the keystroke left (or brought back) the payload segment as it was.
        const result = decodeToken(text, { recent: recentDecodes });
        if (result.ok) {
          const token = result.token;
          recentDecodes = [token, ...recentDecodes.slice(0, 1)];
          const texts = fromEdit ? null : paneTextsOf(token);
          if (texts) loaded = { input: text, headerText: texts.headerText, payloadText: texts.payloadText };
          set({
            input: text,
            decoded: token,
            decodeError: null,
            spans: token.spans,
            lastGood: token,
            findings: stable(get().findings, lintToken(token, lintContext(get()))),
            ...(texts && {
              headerText: texts.headerText,
              payloadText: texts.payloadText,
              headerEditable: token.kind !== 'jwe',
              payloadEditable: texts.payloadEditable,
              draftError: null,
            }),
          });
          get().noteToken(token);
        } else {
          // lastGood, its findings and the panes' text stay as they were.
          set({ input: text, decoded: null, decodeError: result.error, spans: result.spans });
        }
      }
      get().scheduleVerify();
      get().scheduleSecretCheck();
    };

    const compose = () => {
      const { lastGood, headerText, payloadText } = get();
      if (!lastGood || lastGood.kind === 'jwe') return;
      const generation = ++signGeneration;
      const original = get().original ?? get().input;
      if (loaded && loaded.input === original && headerText === loaded.headerText && payloadText === loaded.payloadText) {
        unmodified(original);
        return;
      }
      const composed = composeToken(lastGood, headerText, payloadText);
      if (!composed.ok) {
        set({ draftError: composed.error });
        return;
      }
      const { value } = composed;
      if (value.unsigned === original) {
        // Typed back to the loaded token's very bytes: its own signature still belongs to it.
        unmodified(original);
        return;
      }
      const key = value.alg === 'none' ? null : get().signingKey();
      let modification: Modification;
      if (value.alg === 'none') modification = { status: 'unsecured' };
      else if (key) modification = { status: 'signing', keyLabel: key.label };
      // signingKey() is null only when the selected source has no key: say which kind is missing.
      else modification = { status: 'unsigned', reason: get().keySource === 'stored' ? 'no signing key is chosen' : 'no signing key is entered' };
      set({ draftError: null, original, modification });
      applyText(value.unsigned, true);
      if (!key) return;
      void deps.host
        .call('crypto.sign', { headerText: value.headerText, payloadText: value.payloadText, key: key.input })
        .then(
          (result) => {
            if (generation !== signGeneration) return; // a newer edit or key won
            const signed = result.ok ? result.value.token + value.suffix : null;
            if (signed !== null && signed === original) {
              unmodified(original); // a deterministic signature over the loaded bytes: the loaded token
            } else if (result.ok) {
              set({ modification: { status: 'resigned', keyLabel: key.label, alg: result.value.alg } });
              applyText(result.value.token + value.suffix, true);
            } else {
              set({ modification: { status: 'unsigned', reason: result.error.message } });
            }
          },
          (error: unknown) => {
            if (generation !== signGeneration) return;
            set({ modification: { status: 'unsigned', reason: error instanceof Error ? error.message : 'the host did not answer' } });
          },
        );
    };

    /** The edit gives the loaded token back: no banner, and the Encoded pane holds that token again. */
    const unmodified = (original: string) => {
      set({ draftError: null, original: null, modification: null });
      if (get().input !== original) applyText(original, true);
    };

    return {
      input: '',
      ...NO_TOKEN,
      original: null,
      modification: null,
      reveal: null,
      setInput(text) {
        // A keystroke: its sets (decode, claim checks, verdict, secret check) reach the components as one.
        deps.batch(() => {
          signGeneration++; // a pending re-sign is about a token the user has replaced
          const { original, modification, draftError } = get();
          if (original !== null || modification !== null || draftError !== null) set({ original: null, modification: null, draftError: null });
          applyText(text, false);
        });
      },
      editHeader(text) {
        deps.batch(() => {
          set({ headerText: text });
          compose();
        });
      },
      editPayload(text) {
        deps.batch(() => {
          set({ payloadText: text });
          compose();
        });
      },
      recompose() {
        if (get().modification) compose();
      },
      revertToOriginal() {
        const { original } = get();
        if (original !== null) get().setInput(original);
      },
      revealAt(pane, offset) {
        set({ reveal: { pane, offset, seq: (get().reveal?.seq ?? 0) + 1 } });
      },
      relint() {
        const { lastGood } = get();
        set({ findings: lastGood ? stable(get().findings, lintToken(lastGood, lintContext(get()))) : [] });
      },
    };
  };

/** Whether two decodes have the same payload, so the Payload pane's text of one serves the other. */
function samePayload(a: DecodedToken, b: DecodedToken): boolean {
  if (a.kind === 'jwe' || b.kind === 'jwe' || a.kind !== b.kind || a.payloadIsJson !== b.payloadIsJson) return false;
  const x = a.payloadBytes;
  const y = b.payloadBytes;
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The previous findings when the new ones say the same: subscribers then see no change and skip a render. */
function stable(previous: Finding[], next: Finding[]): Finding[] {
  if (previous.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) {
    const a = previous[i]!;
    const b = next[i]!;
    if (a.rule !== b.rule || a.path !== b.path || a.message !== b.message || a.severity !== b.severity) return next;
  }
  return previous;
}

function lintContext(state: WorkbenchState): LintContext {
  const context: LintContext = { now: state.effectiveNow(), leeway: state.leeway };
  const secretLength = state.secretByteLength();
  if (secretLength !== null) context.secretLength = secretLength;
  // The host's scan found this very token's secret (secrets-slice).
  const knownSecret = state.knownSecretOf(state.lastGood?.token);
  if (knownSecret !== undefined) context.knownSecret = knownSecret;
  return context;
}
