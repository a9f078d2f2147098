/**
 * Exposes `window.workbench`: one function per contract method, each bound to its fixed IPC channel and
 * passing exactly one argument. Generated from the method list (inlined into this sandboxed bundle), so
 * there is no generic invoke and nothing of ipcRenderer is reachable from the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES, channelOf } from '../../shared/contract/method-names';
import type { WorkbenchApi } from '../../shared/contract/methods';

function buildWorkbenchApi(invoke: (channel: string, request: unknown) => Promise<unknown>): WorkbenchApi {
  const api: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const method of METHOD_NAMES) {
    const channel = channelOf(method);
    api[method] = (request: unknown) => invoke(channel, request);
  }
  return Object.freeze(api) as unknown as WorkbenchApi;
}

contextBridge.exposeInMainWorld(
  'workbench',
  buildWorkbenchApi((channel, request) => ipcRenderer.invoke(channel, request)),
);
