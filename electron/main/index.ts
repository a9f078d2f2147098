/**
 * The Electron shell: lifecycle, the window, security settings, menu and the IPC transport. Everything
 * that can live in services does; this file only wires them together.
 */
import path from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Notification, protocol, safeStorage, screen, session, shell } from 'electron';
import { APP_EVENT_CHANNEL, NOTIFICATION_ACTION_LABELS, OPEN_LINK_SCHEME } from '../../shared/contract/desktop';
import type { AppEvent, NotificationAction } from '../../shared/contract/desktop';
import { describeErrorForLog } from '../../shared/contract/dispatch';
import { ok } from '../../shared/contract/result';
import { createHandlers, createServices } from '../services/index';
import { registerHandlers } from './ipc';
import { usableSafeStorage } from './key-protection';
import { createElectronPrivateExporter } from './private-export';
import { createMenuCommandRunner } from './commands';
import { installMenu } from './menu';
import { OpenQueue, openRequestsFromArgv, parseOpenLink } from './open-request';
import { hardenSession, hardenWebContents, isTrustedSender } from './security';
import { createMainWindow, registerAppScheme, serveRenderer } from './window';
import { clampToDisplays, createWindowStateKeeper, loadWindowState } from './window-state';
import type { WindowStateKeeper } from './window-state';

// Bundled to dist/electron/main.cjs: the preload is beside it, the renderer in dist/renderer.
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(__dirname, '..', 'renderer');
const devTools = !app.isPackaged;

app.enableSandbox();
registerAppScheme(protocol);

let mainWindow: BrowserWindow | null = null;
/** Set once start-up has read the saved state; from then on a window may be opened. */
let windowState: WindowStateKeeper | null = null;

/** Tells the page something happened (never with a token: the page pulls those with app.pendingOpen). */
function sendToPage(event: AppEvent): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(APP_EVENT_CHANNEL, event);
}

function bringToFront(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

// Tokens opened from outside wait here until the page pulls them; the page pulls once on load too.
const openQueue = new OpenQueue(() => {
  // macOS keeps running with no window: a file or link opened then gets one (whose page pulls it).
  if (!mainWindow && windowState) openWindow();
  sendToPage({ type: 'open-pending' });
  bringToFront();
});

function openWindow(): void {
  // Where the window was, fitted to the displays there are now (one may have been unplugged since).
  const state = windowState ? clampToDisplays(windowState.current(), screen.getAllDisplays().map((d) => d.workArea)) : undefined;
  mainWindow = createMainWindow(preloadPath, devTools, state);
  windowState?.track(mainWindow);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  serveRenderer(protocol, rendererDir);
  const services = createServices({
    dataDir: app.getPath('userData'),
    keys: {
      // The OS keychain when it really encrypts; otherwise the Keys view asks for a passphrase.
      safeStorage: usableSafeStorage(safeStorage),
      privateExporter: createElectronPrivateExporter({
        dialog,
        clipboard,
        window: () => mainWindow,
        defaultDir: () => app.getPath('documents'),
      }),
    },
  });
  const handlers = {
    ...createHandlers(services),
    'app.pendingOpen': () => ok({ opens: openQueue.take() }),
    // Title and body are bounded by the contract and shown as plain text; a click brings the window back.
    // With an action (Refresh for a mock-issuer token), a click or the action button also asks the page
    // to do it: the page decides what, from its own state (the notification carries no token).
    'app.notify': ({ title, body, action }: { title: string; body: string; action?: NotificationAction }) => {
      if (!Notification.isSupported()) return ok({ shown: false });
      const notification = new Notification({
        title,
        body,
        silent: false,
        // Buttons where the platform has them (macOS); elsewhere the click is the action.
        ...(action && { actions: [{ type: 'button' as const, text: NOTIFICATION_ACTION_LABELS[action] }] }),
      });
      notification.on('click', () => {
        bringToFront();
        if (action) sendToPage({ type: 'notification', action });
      });
      if (action) {
        notification.on('action', () => {
          bringToFront();
          sendToPage({ type: 'notification', action });
        });
      }
      notification.show();
      return ok({ shown: true });
    },
  };
  registerHandlers(ipcMain, handlers, (event) => isTrustedSender(event, mainWindow?.webContents ?? null), {
    onInternalError: (method, error) => console.error(`internal error in ${method}: ${describeErrorForLog(error)}`),
  });
  // The mock issuer writes its state and frees its ports before the app exits.
  let issuerStopped = false;
  app.on('will-quit', (event) => {
    if (issuerStopped) return;
    event.preventDefault();
    // The window's last size and place are written too (its close saved them a moment ago).
    void Promise.allSettled([services.issuer.close(), windowState?.flush()]).finally(() => {
      issuerStopped = true;
      app.quit();
    });
  });
  const runMenuCommand = createMenuCommandRunner({ dialog, clipboard, window: () => mainWindow, queue: openQueue, send: sendToPage });
  installMenu(process.platform, devTools, (id) => {
    runMenuCommand(id).catch((error: unknown) => console.error(`menu action ${id} failed: ${describeErrorForLog(error)}`));
  });
  windowState = createWindowStateKeeper({ dataDir: app.getPath('userData'), initial: await loadWindowState(app.getPath('userData')) });
  // A development build is not registered: it would point the system's jwtdbg: links at a bare Electron.
  if (app.isPackaged) app.setAsDefaultProtocolClient(OPEN_LINK_SCHEME);
  openWindow();
  void openQueue.add(openRequestsFromArgv(process.argv, process.cwd()));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch (a token or file on its command line, or a jwtdbg: link on Windows and Linux) hands
  // its argv to this instance and quits.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    bringToFront();
    void openQueue.add(openRequestsFromArgv(argv, workingDirectory));
  });
  // macOS hands files and links over as events, possibly before ready: registered here, at once.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    void openQueue.add([{ kind: 'file', source: 'file', path: file }]);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    void openQueue.add([parseOpenLink(url)]);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  start().catch((error: unknown) => {
    console.error(`JWT Workbench failed to start: ${describeErrorForLog(error)}`);
    app.exit(1);
  });
}
