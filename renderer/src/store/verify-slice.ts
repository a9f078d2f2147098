import type { StateCreator } from 'zustand';
import { decodeSecret } from '../../../shared/core/keys';
import type { KeyInput, SecretEncoding } from '../../../shared/core/keys';
import type { VerifyResult } from '../../../shared/core/verify-types';
import type { HostError } from '../../../shared/contract';
import type { WorkbenchDeps, WorkbenchState } from './types';

/** Where the verification key comes from. `secret` is HMAC; the others are parsed by the host. */
export type KeySource = 'secret' | 'pem' | 'jwk' | 'jwks';

export type Verification =
  /** Nothing to verify yet; `reason` says what is missing. */
  | { status: 'idle'; reason: 'no-token' | 'no-key' | 'token-invalid' }
  | { status: 'pending' }
  | { status: 'done'; result: VerifyResult }
  /** The host did not answer with a verdict (bad request, transport failure, …). */
  | { status: 'failed'; error: HostError };

export interface VerifySlice {
  keySource: KeySource;
  /** The secret, PEM, JWK or JWKS text as entered. */
  keyText: string;
  secretEncoding: SecretEncoding;
  verification: Verification;
  setKeySource(source: KeySource): void;
  setKeyText(text: string): void;
  setSecretEncoding(encoding: SecretEncoding): void;
  /**
   * Marks the verdict pending and asks the host after a quiet period, so a burst of keystrokes makes
   * one request. Called by every action that changes the token, the key or the clock.
   */
  scheduleVerify(): void;
  /** Asks the host now. A response that arrives after a newer request was made is dropped. */
  verifyNow(): Promise<void>;
  /** Raw bytes of the entered secret, or null when the key is not a secret or does not decode. */
  secretByteLength(): number | null;
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

    const clearTimer = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };

    const keyChanged = () => {
      // The secret's length feeds the `hmac-secret-short` lint rule.
      get().relint();
      get().scheduleVerify();
    };

    return {
      keySource: 'secret',
      keyText: '',
      secretEncoding: 'utf8',
      verification: { status: 'idle', reason: 'no-token' },
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
      scheduleVerify() {
        clearTimer();
        generation++;
        const idle = idleReason(get());
        if (idle) {
          set({ verification: { status: 'idle', reason: idle } });
          return;
        }
        // Pending at once: the previous verdict was about another token or key and must not linger.
        set({ verification: { status: 'pending' } });
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
            key: keyInput(state),
            options: { now: state.effectiveNow(), leeway: state.leeway },
          });
          verification = result.ok
            ? { status: 'done', result: result.value }
            : { status: 'failed', error: result.error };
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
      cancelVerify() {
        clearTimer();
        generation++;
      },
    };
  };

function idleReason(state: WorkbenchState): 'no-token' | 'no-key' | 'token-invalid' | null {
  if (state.input.trim() === '') return 'no-token';
  if (!state.decoded) return 'token-invalid';
  if (state.keyText.trim() === '') return 'no-key';
  return null;
}

function keyInput(state: WorkbenchState): KeyInput {
  const { keySource, keyText, secretEncoding } = state;
  return keySource === 'secret'
    ? { type: 'secret', value: keyText, encoding: secretEncoding }
    : { type: keySource, value: keyText };
}

/** Length in bytes of a secret as the host reads it, or null when the text is not in that encoding. */
function secretLength(text: string, encoding: SecretEncoding): number | null {
  try {
    return decodeSecret(text, encoding).length;
  } catch {
    return null; // the host reports the encoding error with the verdict
  }
}
