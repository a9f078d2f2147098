/**
 * Exposes `window.workbench`: one function per contract method, each bound to its fixed IPC channel and
 * passing exactly one argument. Generated from the method list (inlined into this sandboxed bundle), so
 * there is no generic invoke and nothing of ipcRenderer is reachable from the page.
 *
 * And `window.workbenchEvents`: main's events (a menu action, "a token is waiting"), vetted against the
 * known shapes before the page's listener sees them; the IPC event object itself never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { APP_EVENT_CHANNEL, parseAppEvent } from '../../shared/contract/desktop';
import type { AppEvent, AppEventsApi } from '../../shared/contract/desktop';
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

function buildEventsApi(): AppEventsApi {
  return Object.freeze({
    onAppEvent(listener: (event: AppEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onAppEvent needs a function');
      const relay = (_event: IpcRendererEvent, payload: unknown) => {
        const parsed = parseAppEvent(payload);
        if (parsed) listener(parsed);
      };
      ipcRenderer.on(APP_EVENT_CHANNEL, relay);
      return () => {
        ipcRenderer.removeListener(APP_EVENT_CHANNEL, relay);
      };
    },
  });
}

contextBridge.exposeInMainWorld(
  'workbench',
  buildWorkbenchApi((channel, request) => ipcRenderer.invoke(channel, request)),
);
contextBridge.exposeInMainWorld('workbenchEvents', buildEventsApi());
