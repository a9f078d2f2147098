/**
 * The Electron shell: lifecycle, the window, security settings, menu and the IPC transport. Everything
 * that can live in services does; this file only wires them together.
 */
import path from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { describeErrorForLog } from '../../shared/contract/dispatch';
import { createHandlers, createServices } from '../services/index';
import { registerHandlers } from './ipc';
import { usableSafeStorage } from './key-protection';
import { createElectronPrivateExporter } from './private-export';
import { installMenu } from './menu';
import { hardenSession, hardenWebContents, isTrustedSender } from './security';
import { createMainWindow, registerAppScheme, serveRenderer } from './window';

// Bundled to dist/electron/main.cjs: the preload is beside it, the renderer in dist/renderer.
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(__dirname, '..', 'renderer');
const devTools = !app.isPackaged;

app.enableSandbox();
registerAppScheme(protocol);

let mainWindow: BrowserWindow | null = null;

function openWindow(): void {
  mainWindow = createMainWindow(preloadPath, devTools);
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
  registerHandlers(ipcMain, createHandlers(services), (event) => isTrustedSender(event, mainWindow?.webContents ?? null), {
    onInternalError: (method, error) => console.error(`internal error in ${method}: ${describeErrorForLog(error)}`),
  });
  // The mock issuer writes its state and frees its ports before the app exits.
  let issuerStopped = false;
  app.on('will-quit', (event) => {
    if (issuerStopped) return;
    event.preventDefault();
    void services.issuer.close().finally(() => {
      issuerStopped = true;
      app.quit();
    });
  });
  installMenu(process.platform, devTools);
  openWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
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
