/**
 * The renderer's state, one zustand store made of slices (token, verify, settings, history, app). It is created
 * per app (and per test) by createWorkbenchStore and handed down by WorkbenchProvider, which is how the
 * host is injected: components never import a transport.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { nowSeconds } from '../../../shared/core/time';
import type { HostClient } from '../host-client';
import { createAppSlice } from './app-slice';
import { createAttacksSlice } from './attacks-slice';
import { createDpopSlice } from './dpop-slice';
import { createHistorySlice } from './history-slice';
import { createIssuerSlice } from './issuer-slice';
import { createJweSlice } from './jwe-slice';
import { createKeysSlice } from './keys-slice';
import { createNotifyBatcher } from './notify-batch';
import { createProbeSlice } from './probe-slice';
import { createSecretsSlice } from './secrets-slice';
import { createSettingsSlice } from './settings-slice';
import { createTokenSlice } from './token-slice';
import type { WorkbenchDeps, WorkbenchState } from './types';
import { createVerifySlice } from './verify-slice';

export type { WorkbenchDeps, WorkbenchState } from './types';
export type { ExchangeValues, JwksFetch, KeyDiscovery, KeySource, ResigningKey, Verification, VerifyKeyInput } from './verify-slice';
export type { DraftError, Modification, RevealRequest } from './token-slice';
export { isBlankInput } from './token-slice';
export type { HistoryEntry } from './history-slice';
export type { SecretCheck } from './secrets-slice';
export type { AttackInput, AttackRun, AttackView } from './attacks-slice';
export type { ProbeForm, ProbePhase, ProbeRunState } from './probe-slice';
export type { DpopBuildForm, DpopBuildRun, DpopRequestFields } from './dpop-slice';
export type { Decryption, EncryptForm, EncryptKeySource, Encryption, JweKeySource } from './jwe-slice';
export type WorkbenchStore = StoreApi<WorkbenchState>;

export interface WorkbenchOptions {
  host: HostClient;
  now?: () => number;
  verifyDelayMs?: number;
  historyDelayMs?: number;
  probePollMs?: number;
}

/** Debounce for verification: long enough to skip mid-word keystrokes, short enough to feel live. */
export const DEFAULT_VERIFY_DELAY_MS = 250;
/** A token stays on screen this long before it counts as visited (history). */
export const DEFAULT_HISTORY_DELAY_MS = 1000;
/** A probe sends one request after another: a few polls a second keep its table live. */
export const DEFAULT_PROBE_POLL_MS = 250;

export function createWorkbenchStore(options: WorkbenchOptions): WorkbenchStore {
  const batcher = createNotifyBatcher<WorkbenchState>();
  const deps: WorkbenchDeps = {
    host: options.host,
    now: options.now ?? nowSeconds,
    verifyDelayMs: options.verifyDelayMs ?? DEFAULT_VERIFY_DELAY_MS,
    historyDelayMs: options.historyDelayMs ?? DEFAULT_HISTORY_DELAY_MS,
    probePollMs: options.probePollMs ?? DEFAULT_PROBE_POLL_MS,
    batch: (action) => batcher.batch(action),
  };
  const store = createStore<WorkbenchState>()((set, get, api) => {
    // Slices set, and subscribe, through the batcher (notify-batch.ts).
    const batchedSet = batcher.batchedSet(set, get);
    const a = [batchedSet, get, { ...api, setState: batchedSet, subscribe: batcher.subscribe }] as const;
    return {
      ...createTokenSlice(deps)(...a),
      ...createVerifySlice(deps)(...a),
      ...createSettingsSlice(deps)(...a),
      ...createHistorySlice(deps)(...a),
      ...createAppSlice(deps)(...a),
      ...createKeysSlice(deps)(...a),
      ...createIssuerSlice(deps)(...a),
      ...createSecretsSlice(deps)(...a),
      ...createAttacksSlice(...a),
      ...createProbeSlice(deps)(...a),
      ...createDpopSlice(deps)(...a),
      ...createJweSlice(deps)(...a),
    };
  });
  return batcher.attach(store);
}
