import type { StateCreator } from 'zustand';
import { validateClaims } from '../../../shared/core/claims';
import { decodeSecret } from '../../../shared/core/secret';
import type { SecretEncoding } from '../../../shared/core/secret';
import type { ClaimCheck, VerifyOptions } from '../../../shared/core/verify-types';
import type { HostError, HostKeyInput, HostVerifyResult, TokenKeyInput } from '../../../shared/contract';
import type { WorkbenchDeps, WorkbenchState } from './types';
import { isBlankInput } from './token-slice';

/**
 * Where the verification key comes from. `secret` is HMAC; the others are parsed by the host.
 * Adding a source (e.g. a stored key of the key store, `{ type: 'stored', id }`): add its id here, its
 * KeyInput in `keyInputOf` below, and its entry in panels/key-sources.tsx — the compiler lists the spots.
 */
export type KeySource = 'secret' | 'pem' | 'jwk' | 'jwks' | 'stored' | 'token-key';

export type Verification =
  /** Nothing to verify yet; `reason` says what is missing. */
  | { status: 'idle'; reason: 'no-token' | 'no-key' | 'token-invalid' }
  | { status: 'pending' }
  /**
   * `source`: where the key came from when known — "discovery:<jwks_uri>" or "jwks:<url>" (the JWKS box holds
   * what Find keys / Fetch put there), or the host's "self-asserted:…" for the token's own key.
   */
  | { status: 'done'; result: HostVerifyResult; source?: string | null }
  /** The host did not answer with a verdict (bad request, transport failure, …). */
  | { status: 'failed'; error: HostError };

/** Fetching a JWKS from a URL (only on the user's button press, through the host). */
export type JwksFetch =
  | { status: 'idle' }
  | { status: 'pending'; url: string }
  | { status: 'done'; url: string; keys: number }
  | { status: 'failed'; url: string; error: HostError };

/** "Find keys": the token's issuer keys from its iss (only on the user's button press, through the host). */
export type KeyDiscovery =
  | { status: 'idle' }
  | { status: 'pending' }
  /** `token`: the token the keys were looked up for; the panel says nothing of it once another is on screen. */
  | { status: 'done'; token: string; jwksUri: string; metadataUrl: string; keys: number }
  | { status: 'failed'; token: string; error: HostError };

/**
 * Values of one exchange the token is checked against (OIDC token pair, SD-JWT key binding): held in memory
 * only, never remembered — they are secrets of one login, unlike the expectations of settings-slice.
 */
export interface ExchangeValues {
  accessToken: string;
  code: string;
  state: string;
  nonce: string;
  kbNonce: string;
}

export const NO_EXCHANGE_VALUES: ExchangeValues = { accessToken: '', code: '', state: '', nonce: '', kbNonce: '' };

/** The key crypto.verify is asked with: a host key, or the token's own key (self-asserted, by choice only). */
export type VerifyKeyInput = HostKeyInput | TokenKeyInput;

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
  keyDiscovery: KeyDiscovery;
  /** The JWKS text Find keys or Fetch put in the JWKS box, and where it came from; the verdict names it while the text is unchanged. */
  keyOrigin: { text: string; source: string } | null;
  exchange: ExchangeValues;
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
  /** "Find keys": asks the host for the token's issuer keys (from its iss); the JWKS becomes the JWKS key text. */
  discoverKeys(): Promise<void>;
  setExchangeValue(field: keyof ExchangeValues, text: string): void;
  /** The exchange values as crypto.verify options: only the fields filled. */
  exchangeOptions(): Pick<VerifyOptions, 'accessToken' | 'code' | 'state' | 'nonce' | 'kbNonce'>;
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
    let discoverGeneration = 0;
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

    /** The key changed: its own set, then the relint, re-sign and verdict that follow it, reach the components as one. */
    const setKey = (partial: Partial<VerifySlice>) =>
      deps.batch(() => {
        set(partial);
        // The secret's length feeds the `hmac-secret-short` lint rule.
        get().relint();
        // A token the user made by editing follows the key; a pasted token is never re-signed.
        get().recompose();
        get().scheduleVerify();
      });

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
      keyDiscovery: { status: 'idle' },
      keyOrigin: null,
      exchange: { ...NO_EXCHANGE_VALUES },
      setKeySource(source) {
        setKey({ keySource: source, keyText: get().keyTexts[source] });
      },
      setKeyText(text) {
        setKey({ keyText: text, keyTexts: { ...get().keyTexts, [get().keySource]: text } });
      },
      moveKeyTextTo(source) {
        const { keySource, keyText, keyTexts } = get();
        if (source === keySource) return;
        setKey({ keySource: source, keyText, keyTexts: { ...keyTexts, [keySource]: '', [source]: keyText } });
      },
      recheckClaims() {
        clearClockTimer();
        const state = get();
        const now = state.effectiveNow();
        const token = state.decoded;
        const payload = token && token.kind !== 'jwe' ? token.payload : undefined;
        const next = validateClaims(payload, { ...state.expectedOptions(), now, leeway: state.leeway });
        const checks = sameChecks(state.claimChecks, next) ? state.claimChecks : next;
        // Times are shown to the second: within the same second the moment shown stays the same value, so a keystroke
        // re-renders only what reads the checks, and nothing when they are the same too.
        const sameSecond = Math.floor(now) === Math.floor(state.claimsNow);
        if (checks !== state.claimChecks || !sameSecond) set({ claimChecks: checks, claimsNow: sameSecond ? state.claimsNow : now });
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
        setKey({ secretEncoding: encoding });
      },
      verifyWithSecret(secret) {
        setKey({ keySource: 'secret', keyText: secret, keyTexts: { ...get().keyTexts, secret }, secretEncoding: 'utf8' });
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
          setKey({ keySource: 'jwks', keyText: text, keyTexts: { ...get().keyTexts, jwks: text }, keyOrigin: { text, source: `jwks:${url}` } });
        }
      },
      async discoverKeys() {
        // The token the panes show: the input may be broken for a moment while the user types.
        const decoded = get().decoded ?? get().lastGood;
        if (!decoded || decoded.kind === 'jwe') return;
        const mine = ++discoverGeneration;
        set({ keyDiscovery: { status: 'pending' } });
        let outcome: KeyDiscovery;
        let found: { text: string; source: string } | null = null;
        try {
          const result = await deps.host.call('keys.discover', { token: decoded.token });
          if (result.ok) {
            const { jwks, jwksUri, metadataUrl, keys } = result.value;
            found = { text: jwks, source: `discovery:${jwksUri}` };
            outcome = { status: 'done', token: decoded.token, jwksUri, metadataUrl, keys };
          } else {
            outcome = { status: 'failed', token: decoded.token, error: result.error };
          }
        } catch (error) {
          outcome = { status: 'failed', token: decoded.token, error: { code: 'network', message: error instanceof Error ? error.message : 'The host did not answer' } };
        }
        if (mine !== discoverGeneration) return;
        set({ keyDiscovery: outcome });
        if (found) {
          setKey({ keySource: 'jwks', keyText: found.text, keyTexts: { ...get().keyTexts, jwks: found.text }, keyOrigin: found });
        }
      },
      setExchangeValue(field, text) {
        set({ exchange: { ...get().exchange, [field]: text } });
        get().scheduleVerify();
      },
      exchangeOptions() {
        const options: ReturnType<VerifySlice['exchangeOptions']> = {};
        for (const field of Object.keys(NO_EXCHANGE_VALUES) as (keyof ExchangeValues)[]) {
          const value = get().exchange[field].trim();
          if (value !== '') options[field] = value;
        }
        return options;
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
        const origin = state.keySource === 'jwks' && state.keyOrigin?.text === state.keyText ? state.keyOrigin.source : null;
        try {
          const result = await deps.host.call('crypto.verify', {
            token,
            key: keyInputOf(state),
            options: { now: state.effectiveNow(), leeway: state.leeway, ...state.expectedOptions(), ...state.exchangeOptions() },
          });
          verification = result.ok
            ? { status: 'done', result: result.value, source: result.value.key?.source ?? origin }
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
      signingKey() {
        const state = get();
        // The token's own key is public: nothing to sign an edit with.
        if (!hasKey(state) || state.keySource === 'token-key') return null;
        return { input: keyInputOf(state) as HostKeyInput, label: KEY_LABEL[state.keySource](state) };
      },
      cancelVerify() {
        clearTimer();
        clearClockTimer();
        keepVerdict = false;
        generation++;
        fetchGeneration++;
        discoverGeneration++;
        get().dropSecretCheck();
      },
    };
  };

const NO_KEY_TEXTS: Record<KeySource, string> = { secret: '', pem: '', jwk: '', jwks: '', stored: '', 'token-key': '' };

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
  'token-key': () => "the token's own key",
};

/** Whether a key is entered (or, for a stored key, chosen). */
function hasKey(state: Pick<WorkbenchState, 'keySource' | 'keyText' | 'storedKeyId'>): boolean {
  // The token's own key is in (or named by) the token: the host answers no-token-key when there is none.
  if (state.keySource === 'token-key') return true;
  return state.keySource === 'stored' ? state.storedKeyId !== null : state.keyText.trim() !== '';
}

function idleReason(state: WorkbenchState): 'no-token' | 'no-key' | 'token-invalid' | null {
  if (isBlankInput(state.input)) return 'no-token';
  if (!state.decoded) return 'token-invalid';
  if (!hasKey(state)) return 'no-key';
  return null;
}

/** The entered key as the contract's KeyInput. */
export function keyInputOf(state: Pick<WorkbenchState, 'keySource' | 'keyText' | 'secretEncoding' | 'storedKeyId'>): VerifyKeyInput {
  const { keySource, keyText, secretEncoding } = state;
  switch (keySource) {
    case 'token-key':
      // Resolved by the host from the token being verified (jku / x5u fetched only now).
      return { type: 'token-key' };
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
