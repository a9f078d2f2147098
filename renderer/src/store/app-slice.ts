import type { StateCreator } from 'zustand';
import type { AppInfo, HostError } from '../../../shared/contract';
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
      try {
        const result = await deps.host.call('app.info', {});
        set(result.ok ? { appInfo: result.value, appInfoError: null } : { appInfoError: result.error });
      } catch (error) {
        set({
          appInfoError: {
            code: 'network',
            message: error instanceof Error ? error.message : 'The host did not answer',
          },
        });
      }
    },
  });
