import type { StateCreator } from 'zustand';
import type { AppInfo, HostError } from '../../../shared/contract';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

/** Facts about the host the UI runs on (version, transport), asked for once at start-up. */
export interface AppSlice {
  appInfo: AppInfo | null;
  appInfoError: HostError | null;
  loadAppInfo(): Promise<void>;
}

export const createAppSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], AppSlice> =>
  (set) => ({
    appInfo: null,
    appInfoError: null,
    async loadAppInfo() {
      const result = await callHost(deps.host, 'app.info', {});
      set(result.ok ? { appInfo: result.value, appInfoError: null } : { appInfoError: result.error });
    },
  });
