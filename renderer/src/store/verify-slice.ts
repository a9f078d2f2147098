import type { StateCreator } from 'zustand';
import { decodeSecret } from '../../../shared/core/secret';
import type { SecretEncoding } from '../../../shared/core/secret';
import type { VerifyResult } from '../../../shared/core/verify-types';
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
  /** The secret, PEM, JWK or JWKS text as entered. */
  keyText: string;
  secretEncoding: SecretEncoding;
  verification: Verification;
  jwksUrl: string;
  jwksFetch: JwksFetch;
  setKeySource(source: KeySource): void;
  setKeyText(text: string): void;
  setSecretEncoding(encoding: SecretEncoding): void;
  /** Verifies (and re-signs edits) with this secret as UTF-8 text: "Use this secret" of a found known secret. */
  verifyWithSecret(secret: string): void;
  setJwksUrl(url: string): void;
  /** Asks the host to fetch `jwksUrl`; the answer becomes the key text. */
  fetchJwks(): Promise<void>;
  /**
   * Marks the verdict pending and asks the host after a quiet period, so a burst of keystrokes makes
   * one request. Called by every action that changes the token, the key or the clock.
   */
  scheduleVerify(): void;
  /** Asks the host now. A response that arrives after a newer request was made is dropped. */
  verifyNow(): Promise<void>;
  /** Raw bytes of the entered secret, or null when the key is not a secret or does not decode. */
  secretByteLength(): number | null;
  /** The entered key as something to sign an edit with, or null when none is entered. */
  signingKey(): ResigningKey | null;
  /** Cancels a scheduled request and drops any in flight (store teardown). */
  cancelVerify(): void;
}

export const createVerifySlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], VerifySlice> =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Every request (and every state that makes older answers moot) takes a new number; an answer is
    // shown only while its number is still the latest.
    let generation = 0;
    let fetchGeneration = 0;

    const clearTimer = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
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
      secretEncoding: 'utf8',
      verification: { status: 'idle', reason: 'no-token' },
      jwksUrl: '',
      jwksFetch: { status: 'idle' },
      setKeySource(source) {
        set({ keySource: source });
        keyChanged();
      },
      setKeyText(text) {
        set({ keyText: text });
        keyChanged();
      },
      setSecretEncoding(encoding) {
        set({ secretEncoding: encoding });
        keyChanged();
      },
      verifyWithSecret(secret) {
        set({ keySource: 'secret', keyText: secret, secretEncoding: 'utf8' });
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
          set({ keySource: 'jwks', keyText: text });
          keyChanged();
        }
      },
      scheduleVerify() {
        clearTimer();
        generation++;
        const idle = idleReason(get());
        const current = get().verification;
        if (idle) {
          // The same state again (every keystroke without a key): keep the object, so nothing re-renders.
          if (current.status !== 'idle' || current.reason !== idle) set({ verification: { status: 'idle', reason: idle } });
          return;
        }
        // Pending at once: the previous verdict was about another token or key and must not linger.
        if (current.status !== 'pending') set({ verification: { status: 'pending' } });
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
        set({ verification: { status: 'pending' } });
        let verification: Verification;
        try {
          const result = await deps.host.call('crypto.verify', {
            token,
            key: keyInputOf(state),
            options: { now: state.effectiveNow(), leeway: state.leeway },
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
        generation++;
        fetchGeneration++;
        get().dropSecretCheck();
      },
    };
  };

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
