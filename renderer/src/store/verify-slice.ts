import type { StateCreator } from 'zustand';
import { validateClaims } from '../../../shared/core/claims';
import { decodeSecret } from '../../../shared/core/secret';
import type { SecretEncoding } from '../../../shared/core/secret';
import type { ClaimCheck, VerifyResult } from '../../../shared/core/verify-types';
import type { HostError, HostKeyInput } from '../../../shared/contract';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * Where the verification key comes from. `secret` is HMAC; the others are parsed by the host.
 * Adding a source (e.g. a stored key of the key store, `{ type: 'stored', id }`): add its id here, its
 * KeyInput in `keyInputOf` below, and its entry in panels/key-sources.tsx — the compiler lists the spots.
 */
export type KeySource = 'secret' | 'pem' | 'jwk' | 'jwks' | 'stored';

export type Verification =
  /** Nothing to verify yet; `reason` says what is missing. */
  | { status: 'idle'; reason: 'no-token' | 'no-key' | 'token-invalid' }
  | { status: 'pending' }
  | { status: 'done'; result: VerifyResult }
  /** The host did not answer with a verdict (bad request, transport failure, …). */
  | { status: 'failed'; error: HostError };

/** Fetching a JWKS from a URL (only on the user's button press, through the host). */
export type JwksFetch =
  | { status: 'idle' }
  | { status: 'pending'; url: string }
  | { status: 'done'; url: string; keys: number }
  | { status: 'failed'; url: string; error: HostError };

export interface ResigningKey {
  input: HostKeyInput;
  /** How the UI names it: "the secret (utf8)", "the PEM key", … */
  label: string;
}

export interface VerifySlice {
  keySource: KeySource;
  /** The current source's text (secret, PEM, JWK or JWKS) as entered: `keyTexts[keySource]`. */
  keyText: string;
  /** Each source's own text: switching the key type never carries a secret into the PEM box. */
  keyTexts: Record<KeySource, string>;
  /**
   * The registered-claim checks of the token on screen at `claimsNow`, computed here (shared/core/claims.ts)
   * rather than taken from the host's verdict, so they follow the clock without asking the host again.
   */
  claimChecks: ClaimCheck[];
  /** The NumericDate `claimChecks` were judged at; the hovers describe times against the same one. */
  claimsNow: number;
  secretEncoding: SecretEncoding;
  verification: Verification;
  jwksUrl: string;
  jwksFetch: JwksFetch;
  setKeySource(source: KeySource): void;
  /** Sets the current source's text. */
  setKeyText(text: string): void;
  /** Moves the current source's text to `source` and switches to it (a PEM pasted in the JWK box). */
  moveKeyTextTo(source: KeySource): void;
  /**
   * Re-judges the claims at the effective now (and re-arms the clock timer: every second while a time claim
   * is within two minutes of now, every 30 s otherwise, none with a time override or without time claims).
   */
  recheckClaims(): void;
  setSecretEncoding(encoding: SecretEncoding): void;
  /** Verifies (and re-signs edits) with this secret as UTF-8 text: "Use this secret" of a found known secret. */
  verifyWithSecret(secret: string): void;
  setJwksUrl(url: string): void;
  /** Asks the host to fetch `jwksUrl`; the answer becomes the key text. */
  fetchJwks(): Promise<void>;
  /**
   * Marks the verdict pending and asks the host after a quiet period, so a burst of keystrokes makes
   * one request. Called by every action that changes the token, the key or the clock. `clockOnly`: only
   * the clock or leeway changed, so the signature verdict (same token, same key) stays while the host is asked.
   */
  scheduleVerify(options?: { clockOnly?: boolean }): void;
  /** Asks the host now. A response that arrives after a newer request was made is dropped. */
  verifyNow(): Promise<void>;
  /** Raw bytes of the entered secret, or null when the key is not a secret or does not decode. */
  secretByteLength(): number | null;
  /** The entered key as something to sign an edit with, or null when none is entered. */
  signingKey(): ResigningKey | null;
  /** Cancels a scheduled request, drops any in flight and stops the clock timer (store teardown). */
  cancelVerify(): void;
}

export const createVerifySlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], VerifySlice> =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Re-judges the claims as the clock moves (see recheckClaims).
    let clockTimer: ReturnType<typeof setTimeout> | null = null;
    // Every request (and every state that makes older answers moot) takes a new number; an answer is
    // shown only while its number is still the latest.
    let generation = 0;
    let fetchGeneration = 0;
    // Set by a clock-only change while a verdict is shown: the next request keeps that verdict on screen.
    let keepVerdict = false;

    const clearTimer = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };

    const clearClockTimer = () => {
      if (clockTimer !== null) clearTimeout(clockTimer);
      clockTimer = null;
    };

    const keyChanged = () => {
      // The secret's length feeds the `hmac-secret-short` lint rule.
      get().relint();
      // A token the user made by editing follows the key; a pasted token is never re-signed.
      get().recompose();
      get().scheduleVerify();
    };

    return {
      keySource: 'secret',
      keyText: '',
      keyTexts: { ...NO_KEY_TEXTS },
      claimChecks: [],
      claimsNow: deps.now(),
      secretEncoding: 'utf8',
      verification: { status: 'idle', reason: 'no-token' },
      jwksUrl: '',
      jwksFetch: { status: 'idle' },
      setKeySource(source) {
        set({ keySource: source, keyText: get().keyTexts[source] });
        keyChanged();
      },
      setKeyText(text) {
        set({ keyText: text, keyTexts: { ...get().keyTexts, [get().keySource]: text } });
        keyChanged();
      },
      moveKeyTextTo(source) {
        const { keySource, keyText, keyTexts } = get();
        if (source === keySource) return;
        set({ keySource: source, keyText, keyTexts: { ...keyTexts, [keySource]: '', [source]: keyText } });
        keyChanged();
      },
      recheckClaims() {
        clearClockTimer();
        const state = get();
        const now = state.effectiveNow();
        const token = state.decoded;
        const payload = token && token.kind !== 'jwe' ? token.payload : undefined;
        const next = validateClaims(payload, { ...state.expectedOptions(), now, leeway: state.leeway });
        set({ claimChecks: sameChecks(state.claimChecks, next) ? state.claimChecks : next, claimsNow: now });
        // The panes keep showing the last good decode (its times, its hovers) while the input is broken: they follow the clock too.
        const shown = state.lastGood && state.lastGood.kind !== 'jwe' ? state.lastGood.payload : undefined;
        const delay = state.nowOverride === null ? clockDelay(shown, now, state.leeway) : null;
        if (delay !== null) {
          clockTimer = setTimeout(() => {
            clockTimer = null;
            // The time rules (exp-passed, …) and the claim checks move together.
            get().relint();
            get().recheckClaims();
          }, delay);
        }
      },
      setSecretEncoding(encoding) {
        set({ secretEncoding: encoding });
        keyChanged();
      },
      verifyWithSecret(secret) {
        set({ keySource: 'secret', keyText: secret, keyTexts: { ...get().keyTexts, secret }, secretEncoding: 'utf8' });
        keyChanged();
      },
      setJwksUrl(url) {
        set({ jwksUrl: url });
      },
      async fetchJwks() {
        const url = get().jwksUrl.trim();
        if (url === '') return;
        const mine = ++fetchGeneration;
        set({ jwksFetch: { status: 'pending', url } });
        let outcome: JwksFetch;
        let text: string | null = null;
        try {
          const result = await deps.host.call('jwks.fetch', { url });
          if (result.ok) {
            text = result.value.jwks;
            outcome = { status: 'done', url, keys: result.value.keys };
          } else {
            outcome = { status: 'failed', url, error: result.error };
          }
        } catch (error) {
          outcome = { status: 'failed', url, error: { code: 'network', message: error instanceof Error ? error.message : 'The host did not answer' } };
        }
        if (mine !== fetchGeneration) return;
        set({ jwksFetch: outcome });
        if (text !== null) {
          set({ keySource: 'jwks', keyText: text, keyTexts: { ...get().keyTexts, jwks: text } });
          keyChanged();
        }
      },
      scheduleVerify(options) {
        clearTimer();
        generation++;
        keepVerdict = false;
        get().recheckClaims();
        const idle = idleReason(get());
        const current = get().verification;
        if (idle) {
          // The same state again (every keystroke without a key): keep the object, so nothing re-renders.
          if (current.status !== 'idle' || current.reason !== idle) set({ verification: { status: 'idle', reason: idle } });
          return;
        }
        // Pending at once: the previous verdict was about another token or key and must not linger. Only
        // the clock moved: the signature verdict is still about this token and key; the claims are rechecked above.
        keepVerdict = options?.clockOnly === true && current.status === 'done';
        if (current.status !== 'pending' && !keepVerdict) set({ verification: { status: 'pending' } });
        timer = setTimeout(() => {
          timer = null;
          void get().verifyNow();
        }, deps.verifyDelayMs);
      },
      async verifyNow() {
        clearTimer();
        const mine = ++generation;
        const state = get();
        const idle = idleReason(state);
        if (idle !== null || state.decoded === null) {
          set({ verification: { status: 'idle', reason: idle ?? 'token-invalid' } });
          return;
        }
        const { token } = state.decoded;
        if (!keepVerdict) set({ verification: { status: 'pending' } });
        keepVerdict = false;
        let verification: Verification;
        try {
          const result = await deps.host.call('crypto.verify', {
            token,
            key: keyInputOf(state),
            options: { now: state.effectiveNow(), leeway: state.leeway, ...state.expectedOptions() },
          });
          verification = result.ok ? { status: 'done', result: result.value } : { status: 'failed', error: result.error };
        } catch (error) {
          // A client should answer with a Result; a rejection is still a failure to show, not to throw.
          verification = {
            status: 'failed',
            error: { code: 'network', message: error instanceof Error ? error.message : 'The host did not answer' },
          };
        }
        if (mine !== generation) return; // stale: the token, key or clock changed meanwhile
        set({ verification });
      },
      secretByteLength() {
        const { keySource, keyText, secretEncoding } = get();
        if (keySource !== 'secret' || keyText === '') return null;
        return secretLength(keyText, secretEncoding);
      },
      signingKey() {
        const state = get();
        if (!hasKey(state)) return null;
        return { input: keyInputOf(state), label: KEY_LABEL[state.keySource](state) };
      },
      cancelVerify() {
        clearTimer();
        clearClockTimer();
        keepVerdict = false;
        generation++;
        fetchGeneration++;
        get().dropSecretCheck();
      },
    };
  };

const NO_KEY_TEXTS: Record<KeySource, string> = { secret: '', pem: '', jwk: '', jwks: '', stored: '' };

/** Below this distance from now (s), a time claim's status or its "in N s" text changes within seconds. */
const NEAR_SECONDS = 120;

/**
 * How long until the claim checks should be judged again: 1 s while exp / nbf / iat is within two minutes
 * (plus the leeway) of now, 30 s otherwise; null without a time claim (nothing moves).
 */
export function clockDelay(payload: unknown, now: number, leeway: number): number | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const claims = payload as Record<string, unknown>;
  let delay: number | null = null;
  for (const name of ['exp', 'nbf', 'iat']) {
    const value = claims[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (Math.abs(value - now) <= NEAR_SECONDS + leeway) return 1000;
    delay = 30_000;
  }
  return delay;
}

/** The previous checks when the new ones say the same, so nothing re-renders on a tick that changed nothing. */
function sameChecks(a: ClaimCheck[], b: ClaimCheck[]): boolean {
  return a.length === b.length && a.every((c, i) => c.claim === b[i]!.claim && c.ok === b[i]!.ok && c.checked === b[i]!.checked && c.message === b[i]!.message);
}

const KEY_LABEL: Record<KeySource, (state: WorkbenchState) => string> = {
  secret: (s) => `the secret (${s.secretEncoding})`,
  pem: () => 'the PEM key',
  jwk: () => 'the JWK',
  jwks: () => 'the JWKS',
  stored: (s) => `the stored key ${s.keys.find((k) => k.id === s.storedKeyId)?.kid ?? ''}`.trimEnd(),
};

/** Whether a key is entered (or, for a stored key, chosen). */
function hasKey(state: Pick<WorkbenchState, 'keySource' | 'keyText' | 'storedKeyId'>): boolean {
  return state.keySource === 'stored' ? state.storedKeyId !== null : state.keyText.trim() !== '';
}

function idleReason(state: WorkbenchState): 'no-token' | 'no-key' | 'token-invalid' | null {
  if (state.input.trim() === '') return 'no-token';
  if (!state.decoded) return 'token-invalid';
  if (!hasKey(state)) return 'no-key';
  return null;
}

/** The entered key as the contract's KeyInput. */
export function keyInputOf(state: Pick<WorkbenchState, 'keySource' | 'keyText' | 'secretEncoding' | 'storedKeyId'>): HostKeyInput {
  const { keySource, keyText, secretEncoding } = state;
  switch (keySource) {
    case 'stored':
      // Signed and verified by the host's key store, by id: the key never comes to the page.
      return { type: 'stored', id: state.storedKeyId ?? '' };
    case 'secret':
      return { type: 'secret', value: keyText, encoding: secretEncoding };
    case 'pem':
    case 'jwk':
    case 'jwks':
      return { type: keySource, value: keyText };
  }
}

/** Length in bytes of a secret as the host reads it, or null when the text is not in that encoding. */
function secretLength(text: string, encoding: SecretEncoding): number | null {
  try {
    return decodeSecret(text, encoding).length;
  } catch {
    return null; // the host reports the encoding error with the verdict
  }
}
