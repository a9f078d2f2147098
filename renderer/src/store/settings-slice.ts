import type { StateCreator } from 'zustand';
import type { WorkbenchDeps, WorkbenchState } from './types';

/** Preferences that change how a token is judged: the clock and its tolerance. */
export interface SettingsSlice {
  /** NumericDate to judge time claims at instead of the system clock; null = now. */
  nowOverride: number | null;
  /** Clock tolerance in seconds for exp / nbf / iat, in lint and verification alike. */
  leeway: number;
  setNowOverride(now: number | null): void;
  setLeeway(seconds: number): void;
  /** The NumericDate time claims are judged at right now. */
  effectiveNow(): number;
}

export const createSettingsSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], SettingsSlice> =>
  (set, get) => ({
    nowOverride: null,
    leeway: 0,
    setNowOverride(now) {
      if (now !== null && !Number.isFinite(now)) return;
      set({ nowOverride: now });
      get().relint();
      get().scheduleVerify();
    },
    setLeeway(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      set({ leeway: seconds });
      get().relint();
      get().scheduleVerify();
    },
    effectiveNow() {
      return get().nowOverride ?? deps.now();
    },
  });
