import type { StateCreator } from 'zustand';
import type { VerifyOptions } from '../../../shared/core/verify-types';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * What verification expects of a token, as typed (lists separated by commas or spaces). Remembered on this
 * computer like the layout (localStorage): they describe the user's setup, never a token or a key.
 */
export interface Expectations {
  audience: string;
  issuer: string;
  algorithms: string;
  requiredClaims: string;
  /** SD-JWT: the audience a KB-JWT must name (RFC 9901 §7.3); like `audience`, part of the user's setup. */
  kbAudience: string;
}

export const EXPECTATIONS_STORAGE_KEY = 'jwt-workbench.layout.expectations';

const NO_EXPECTATIONS: Expectations = { audience: '', issuer: '', algorithms: '', requiredClaims: '', kbAudience: '' };

/** Preferences that change how a token is judged: the clock and its tolerance, and what is expected of it. */
export interface SettingsSlice {
  /** NumericDate to judge time claims at instead of the system clock; null = now. */
  nowOverride: number | null;
  /** Clock tolerance in seconds for exp / nbf / iat, in lint and verification alike. */
  leeway: number;
  expectations: Expectations;
  setNowOverride(now: number | null): void;
  setLeeway(seconds: number): void;
  setExpectation(field: keyof Expectations, text: string): void;
  /** The expectations as crypto.verify options: only the fields given. */
  expectedOptions(): Pick<VerifyOptions, 'audience' | 'issuer' | 'algorithms' | 'requiredClaims' | 'kbAudience'>;
  /** The NumericDate time claims are judged at right now. */
  effectiveNow(): number;
}

export const createSettingsSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], SettingsSlice> =>
  (set, get) => ({
    nowOverride: null,
    leeway: 0,
    expectations: readExpectations(),
    setNowOverride(now) {
      if (now !== null && !Number.isFinite(now)) return;
      set({ nowOverride: now });
      get().relint();
      get().scheduleVerify({ clockOnly: true });
    },
    setLeeway(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      set({ leeway: seconds });
      get().relint();
      get().scheduleVerify({ clockOnly: true });
    },
    setExpectation(field, text) {
      const expectations = { ...get().expectations, [field]: text };
      set({ expectations });
      writeExpectations(expectations);
      // Allowed algorithms can change the signature verdict itself: ask the host again.
      get().scheduleVerify();
    },
    expectedOptions() {
      const { audience, issuer, algorithms, requiredClaims } = get().expectations;
      const options: ReturnType<SettingsSlice['expectedOptions']> = {};
      const aud = listOf(audience);
      const iss = listOf(issuer);
      const algs = listOf(algorithms);
      const required = listOf(requiredClaims);
      if (aud.length) options.audience = aud.length === 1 ? aud[0]! : aud;
      if (iss.length) options.issuer = iss.length === 1 ? iss[0]! : iss;
      if (algs.length) options.algorithms = algs;
      if (required.length) options.requiredClaims = required;
      const kbAudience = get().expectations.kbAudience.trim();
      if (kbAudience !== '') options.kbAudience = kbAudience;
      return options;
    },
    effectiveNow() {
      return get().nowOverride ?? deps.now();
    },
  });

/** Items of a list typed with commas and / or spaces, without duplicates. */
export function listOf(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((item) => item !== ''))];
}

function readExpectations(): Expectations {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(EXPECTATIONS_STORAGE_KEY) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return { ...NO_EXPECTATIONS };
    const read = { ...NO_EXPECTATIONS };
    for (const field of Object.keys(NO_EXPECTATIONS) as (keyof Expectations)[]) {
      const value = (stored as Record<string, unknown>)[field];
      if (typeof value === 'string') read[field] = value;
    }
    return read;
  } catch {
    return { ...NO_EXPECTATIONS }; // storage disabled or damaged: nothing expected
  }
}

function writeExpectations(expectations: Expectations): void {
  try {
    localStorage.setItem(EXPECTATIONS_STORAGE_KEY, JSON.stringify(expectations));
  } catch {
    // Not remembered; still used.
  }
}
