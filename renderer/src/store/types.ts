import type { HostClient } from '../host-client';
import type { AppSlice } from './app-slice';
import type { AttacksSlice } from './attacks-slice';
import type { DpopSlice } from './dpop-slice';
import type { HistorySlice } from './history-slice';
import type { IssuerSlice } from './issuer-slice';
import type { JweSlice } from './jwe-slice';
import type { KeysSlice } from './keys-slice';
import type { ProbeSlice } from './probe-slice';
import type { SecretsSlice } from './secrets-slice';
import type { SettingsSlice } from './settings-slice';
import type { TokenSlice } from './token-slice';
import type { VerifySlice } from './verify-slice';

export type WorkbenchState = TokenSlice & VerifySlice & SettingsSlice & HistorySlice & AppSlice & KeysSlice & IssuerSlice & SecretsSlice & AttacksSlice & ProbeSlice & DpopSlice & JweSlice;

/** What the store needs from outside; tests pass a fake host and a fixed clock. */
export interface WorkbenchDeps {
  host: HostClient;
  /** The system clock as a NumericDate (seconds). */
  now: () => number;
  /** Quiet period after the last change before verification is requested. */
  verifyDelayMs: number;
  /** Quiet period before a decoded token is added to the history. */
  historyDelayMs: number;
  /** Interval between `probe.status` polls while a probe of a verifier runs. */
  probePollMs: number;
  /** Runs an action so that its sets reach subscribers as one notification (notify-batch.ts). */
  batch<R>(action: () => R): R;
}
