import type { StateCreator } from 'zustand';
import type { HostError } from '../../../shared/contract';
import type { KnownSecret } from '../../../shared/lint/types';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * The known-secret check of the token on screen (an HS256/384/512 JWS), answered by the host's scan of
 * the built-in list (`secrets.check`): the page never scans, so typing never waits for it.
 */
export type SecretCheck =
  /** Not an HMAC token, no token, or nothing asked yet. */
  | { status: 'idle' }
  | { status: 'checking'; token: string }
  | { status: 'found'; token: string; secret: KnownSecret }
  | { status: 'not-found'; token: string; tried: number }
  /** The user cancelled the check of this token: it is not asked again until the token changes. */
  | { status: 'cancelled'; token: string }
  /** The host cannot scan this token (e.g. its signature is not as long as the alg's): nothing to say here. */
  | { status: 'refused'; token: string; code: string }
  /** The scan could not run (the list is missing, a worker failed, the host did not answer). */
  | { status: 'failed'; token: string; error: HostError };

export interface SecretsSlice {
  secretCheck: SecretCheck;
  /** Candidates in the built-in list, once a full scan has told (for the "Checking N known secrets…" line). */
  knownSecretsCount: number | null;
  /**
   * After a quiet period, asks the host whether the token on screen is signed with a known secret.
   * Called whenever the token changes; an answer about an older token is dropped.
   */
  scheduleSecretCheck(): void;
  /** Stops the check in flight (host `secrets.cancel`); the token is not checked again until it changes. */
  cancelSecretCheck(): Promise<void>;
  /** Drops a scheduled or running check without asking the host (store teardown). */
  dropSecretCheck(): void;
  /** The found secret of the token currently decoded, for the lint context; else undefined. */
  knownSecretOf(token: string | undefined): KnownSecret | undefined;
}

const HMAC_ALGS: ReadonlySet<unknown> = new Set(['HS256', 'HS384', 'HS512']);
/** `secrets.check`'s refusals of the token itself, as opposed to the scan failing. */
const TOKEN_REFUSALS: ReadonlySet<string> = new Set(['token-invalid', 'not-jws', 'not-hmac', 'signature-length']);

export const createSecretsSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], SecretsSlice> =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Whether a `secrets.check` is in flight: only then is there a host scan to cancel. A check still
    // waiting out the quiet period is dropped locally, so a burst of keystrokes sends nothing.
    let inFlight = false;
    // Each scheduled check takes a number; an answer is applied only while its number is the latest.
    let generation = 0;

    const clearTimer = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };

    const settle = (check: SecretCheck) => {
      const before = get().secretCheck;
      set({ secretCheck: check });
      // `hmac-secret-known` appears or goes with a found secret; other answers leave the findings as they are.
      if (before.status === 'found' || check.status === 'found') get().relint();
    };

    const run = async (token: string, mine: number) => {
      let check: SecretCheck;
      inFlight = true;
      try {
        const result = await deps.host.call('secrets.check', { token });
        if (mine === generation) inFlight = false;
        if (mine !== generation) return; // a newer token, or a cancel
        if (result.ok) {
          const { found, secret, tried, source } = result.value;
          if (!found) set({ knownSecretsCount: tried });
          check =
            found && secret !== null
              ? { status: 'found', token, secret: { secret, source: source ?? 'builtin' } }
              : { status: 'not-found', token, tried };
        } else if (result.error.code === 'scan-cancelled') {
          check = { status: 'cancelled', token };
        } else if (TOKEN_REFUSALS.has(result.error.code)) {
          // The Verification panel and the decoder already say what is wrong with such a token.
          check = { status: 'refused', token, code: result.error.code };
        } else {
          check = { status: 'failed', token, error: result.error };
        }
      } catch (error) {
        if (mine !== generation) return;
        inFlight = false;
        check = { status: 'failed', token, error: { code: 'network', message: error instanceof Error ? error.message : 'The host did not answer' } };
      }
      settle(check);
    };

    return {
      secretCheck: { status: 'idle' },
      knownSecretsCount: null,
      scheduleSecretCheck() {
        const decoded = get().decoded;
        const token = decoded?.kind === 'jws' && HMAC_ALGS.has(decoded.header.alg) ? decoded.token : null;
        const current = get().secretCheck;
        // The same token again (a re-render, a key change): its answer, or its check in flight, stands.
        if (token !== null && current.status !== 'idle' && current.token === token) return;
        clearTimer();
        const mine = ++generation;
        // A scan still running is about a token that left the screen.
        if (current.status === 'checking' && inFlight) {
          inFlight = false;
          void deps.host.call('secrets.cancel', {}).catch(() => undefined);
        }
        if (token === null) {
          if (current.status !== 'idle') settle({ status: 'idle' });
          return;
        }
        settle({ status: 'checking', token });
        timer = setTimeout(() => {
          timer = null;
          void run(token, mine);
        }, deps.verifyDelayMs);
      },
      async cancelSecretCheck() {
        const current = get().secretCheck;
        if (current.status !== 'checking') return;
        const wasRunning = inFlight;
        inFlight = false;
        clearTimer();
        generation++;
        settle({ status: 'cancelled', token: current.token });
        if (wasRunning) await deps.host.call('secrets.cancel', {}).catch(() => undefined);
      },
      dropSecretCheck() {
        clearTimer();
        inFlight = false;
        generation++;
      },
      knownSecretOf(token) {
        const check = get().secretCheck;
        return check.status === 'found' && check.token === token ? check.secret : undefined;
      },
    };
  };
