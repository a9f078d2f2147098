/**
 * The renderer's state, one zustand store made of slices (token, verify, settings, app). It is created
 * per app (and per test) by createWorkbenchStore and handed down by WorkbenchProvider, which is how the
 * host is injected: components never import a transport.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { nowSeconds } from '../../../shared/core/time';
import type { HostClient } from '../host-client';
import { createAppSlice } from './app-slice';
import { createSettingsSlice } from './settings-slice';
import { createTokenSlice } from './token-slice';
import type { WorkbenchDeps, WorkbenchState } from './types';
import { createVerifySlice } from './verify-slice';

export type { WorkbenchDeps, WorkbenchState } from './types';
export type { KeySource, Verification } from './verify-slice';
export type WorkbenchStore = StoreApi<WorkbenchState>;

export interface WorkbenchOptions {
  host: HostClient;
  now?: () => number;
  verifyDelayMs?: number;
}

/** Debounce for verification: long enough to skip mid-word keystrokes, short enough to feel live. */
export const DEFAULT_VERIFY_DELAY_MS = 250;

export function createWorkbenchStore(options: WorkbenchOptions): WorkbenchStore {
  const deps: WorkbenchDeps = {
    host: options.host,
    now: options.now ?? nowSeconds,
    verifyDelayMs: options.verifyDelayMs ?? DEFAULT_VERIFY_DELAY_MS,
  };
  return createStore<WorkbenchState>()((...a) => ({
    ...createTokenSlice(...a),
    ...createVerifySlice(deps)(...a),
    ...createSettingsSlice(deps)(...a),
    ...createAppSlice(deps)(...a),
  }));
}
