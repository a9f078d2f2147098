/**
 * The app's one window and the app:// protocol that serves the built renderer to it.
 */
import { readFile } from 'node:fs/promises';
import { BrowserWindow } from 'electron';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp';
import { cacheControlOf, lookupStatic } from '../web/static';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from './security';
import { DEFAULT_WINDOW_STATE, MIN_WINDOW_SIZE } from './window-state';
import type { WindowState } from './window-state';

/** Must run before `app` is ready: a standard, secure scheme gets an origin, fetch, workers and storage. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `rendererDir` at app://workbench/ with the CSP as a header; traversal is refused (static.ts). */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const found = await lookupStatic(rendererDir, url.pathname);
    if (!found.ok) return new Response('Not found', { status: found.reason === 'bad-path' ? 400 : 404 });
    const headers = {
      'Content-Type': found.contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': cacheControlOf(url.pathname),
    };
    return new Response(request.method === 'HEAD' ? null : await readFile(found.filePath), { status: 200, headers });
  });
}

/** `state`: the restored size and place (window-state.ts, already clamped to a display); default 1280×820. */
export function createMainWindow(preloadPath: string, devTools: boolean, state: WindowState = DEFAULT_WINDOW_STATE): BrowserWindow {
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'JWT Workbench',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
