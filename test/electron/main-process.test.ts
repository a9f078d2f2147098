/**
 * The Electron main process as it ships: electron/main/index.ts bundled with the build's settings and
 * run under Node against a recording stand-in for `electron` (the binary is not installed here).
 * Proves the real composition: order of start-up, security settings, and calls over the IPC transport
 * reaching the real services.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, channelOf } from '../../shared/contract/method-names';
import type { SafeStorageLike } from '../../electron/services/keys';
import { testKeychain } from './keys-test-support';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const distElectron = path.join(root, 'dist', 'electron');
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [path.join(root, 'electron/main/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
});

type Listener = (...args: unknown[]) => unknown;

function fakeElectron(options: { gotLock: boolean; userData: string; keychain?: SafeStorageLike; savePath?: string; packaged?: boolean }) {
  const log: string[] = [];
  const shownNotifications: { options: { title: string; body: string }; listeners: Map<string, Listener> }[] = [];
  const appListeners = new Map<string, Listener>();
  const ipc = new Map<string, Listener>();
  const windows: { options: Record<string, unknown>; url: string | null; webContents: { id: number; isDestroyed(): boolean; sent: unknown[][] } }[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const electron = {
    app: {
      isPackaged: options.packaged ?? false,
      setAsDefaultProtocolClient: vi.fn((scheme: string) => log.push(`setAsDefaultProtocolClient ${scheme}`)),
      enableSandbox: vi.fn(() => log.push('enableSandbox')),
      requestSingleInstanceLock: vi.fn(() => options.gotLock),
      quit: vi.fn(() => log.push('quit')),
      exit: vi.fn((code: number) => log.push(`exit ${code}`)),
      on: vi.fn((name: string, listener: Listener) => appListeners.set(name, listener)),
      whenReady: () => readyPromise,
      isReady: () => true,
      getPath: vi.fn((name: string) => (name === 'userData' ? options.userData : '/nowhere')),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => log.push('registerSchemesAsPrivileged')),
      handle: vi.fn((scheme: string) => log.push(`protocol.handle ${scheme}`)),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(() => log.push('setPermissionRequestHandler')),
        setPermissionCheckHandler: vi.fn(() => log.push('setPermissionCheckHandler')),
      },
    },
    ipcMain: {
      handle: vi.fn((channel: string, listener: Listener) => ipc.set(channel, listener)),
      removeHandler: vi.fn((channel: string) => ipc.delete(channel)),
    },
    BrowserWindow: class {
      static getAllWindows = () => windows;
      url: string | null = null;
      webContents = { id: 41, isDestroyed: () => false, sent: [] as unknown[][], send(...args: unknown[]) { this.sent.push(args); } };
      focused = 0;
      constructor(readonly options: Record<string, unknown>) {
        windows.push(this);
        log.push('new BrowserWindow');
      }
      listeners = new Map<string, Listener>();
      maximized = false;
      once() {}
      on(name: string, listener: Listener) { this.listeners.set(name, listener); }
      show() {}
      maximize() { this.maximized = true; }
      isMaximized() { return this.maximized; }
      getNormalBounds() { const o = this.options as { x?: number; y?: number; width: number; height: number }; return { x: o.x ?? 0, y: o.y ?? 0, width: o.width, height: o.height }; }
      isDestroyed() { return false; }
      isMinimized() { return false; }
      restore() {}
      focus() { this.focused++; }
      loadURL(url: string) {
        this.url = url;
        return Promise.resolve();
      }
    },
    Notification: Object.assign(
      class {
        listeners = new Map<string, Listener>();
        constructor(readonly options: { title: string; body: string }) {}
        on(name: string, listener: Listener) { this.listeners.set(name, listener); }
        show() { shownNotifications.push(this); }
      },
      { isSupported: () => true },
    ),
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: vi.fn(() => log.push('setApplicationMenu')),
    },
    shell: { openExternal: vi.fn(async () => {}) },
    // Absent keychain: safeStorage reports no encryption, as on Linux without a keyring.
    safeStorage: options.keychain ?? { isEncryptionAvailable: () => false },
    dialog: { showSaveDialog: vi.fn(async () => (options.savePath ? { canceled: false, filePath: options.savePath } : { canceled: true })) },
    clipboard: { text: '', writeText: vi.fn(function (this: { text: string }, text: string) { this.text = text; }), readText() { return this.text; }, clear() { this.text = ''; } },
  };
  return { electron, log, appListeners, ipc, windows, shownNotifications, ready: () => ready() };
}

function runMain(electron: unknown, argv: string[] = ['/opt/jwt-workbench']): void {
  const nodeRequire = createRequire(path.join(distElectron, 'main.cjs'));
  const requireShim = (id: string): unknown => (id === 'electron' ? electron : nodeRequire(id));
  const module = { exports: {} };
  // The app's own command line, not the test runner's.
  const processShim = Object.assign(Object.create(process) as NodeJS.Process, { argv });
  // The bundle is CommonJS, as Electron loads it.
  new Function('require', 'module', 'exports', '__dirname', '__filename', 'process', bundle)(
    requireShim,
    module,
    module.exports,
    distElectron,
    path.join(distElectron, 'main.cjs'),
    processShim,
  );
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));
/** Waits until main has told the page that something is waiting. */
const waitForSend = (window: { webContents: { sent: unknown[][] } }) =>
  vi.waitFor(() => expect(window.webContents.sent.length).toBeGreaterThan(0), { timeout: 10_000, interval: 10 });
/** Start-up reads files (the window state) before the window opens: wait for the window, generously. */
const started = (fake: { windows: unknown[] }) =>
  vi.waitFor(
    () => {
      if (fake.windows.length === 0) throw new Error('no window yet');
    },
    { timeout: 10_000, interval: 10 },
  );

describe('the bundled main process', () => {
  it('hardens and registers before ready, then wires services, IPC, menu and the window', async () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'main-process-'));
    const fake = fakeElectron({ gotLock: true, userData });
    runMain(fake.electron);
    // Before ready: sandbox for every renderer and the privileged scheme, nothing else yet.
    expect(fake.log).toEqual(['enableSandbox', 'registerSchemesAsPrivileged']);
    expect([...fake.appListeners.keys()].sort()).toEqual(['activate', 'open-file', 'open-url', 'second-instance', 'web-contents-created', 'window-all-closed']);

    fake.ready();
    await started(fake);
    expect(fake.log.slice(2)).toEqual([
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'protocol.handle app',
      'setApplicationMenu',
      'new BrowserWindow',
    ]);
    expect([...fake.ipc.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    const window = fake.windows[0]!;
    expect(window.url).toBe('app://workbench/index.html');
    expect(window.options.webPreferences).toMatchObject({
      preload: path.join(distElectron, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(fake.electron.app.getPath).toHaveBeenCalledWith('userData');

    const trusted = { sender: { id: 41 }, senderFrame: { url: 'app://workbench/index.html', parent: null } };
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await fake.ipc.get('workbench:app.info')!(trusted, {})).toEqual({
      ok: true,
      value: { name: 'JWT Workbench', version: pkg.version, platform: process.platform, transport: 'electron' },
    });
    const verified = await fake.ipc.get('workbench:crypto.verify')!(trusted, {
      token: 'eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo',
      key: { type: 'secret', value: 'a-secret-that-is-not-the-right-one', encoding: 'utf8' },
    });
    expect(verified).toMatchObject({ ok: true, value: { valid: false, alg: 'HS256', reason: 'signature-mismatch' } });

    const otherWindow = { sender: { id: 42 }, senderFrame: { url: 'app://workbench/index.html', parent: null } };
    expect(await fake.ipc.get('workbench:app.info')!(otherWindow, {})).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    fs.rmSync(userData, { recursive: true, force: true });
  });

  it('protects keys with the OS keychain when it really encrypts, and exports private keys from main only', async () => {
    const trusted = { sender: { id: 41 }, senderFrame: { url: 'app://workbench/index.html', parent: null } };
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'main-keys-'));
    const savePath = path.join(userData, 'chosen.private.pem');
    const fake = fakeElectron({ gotLock: true, userData, keychain: testKeychain({ backend: 'gnome_libsecret' }), savePath });
    runMain(fake.electron);
    fake.ready();
    await started(fake);
    const call = (method: string, request: unknown) => fake.ipc.get(`workbench:${method}`)!(trusted, request) as Promise<any>;
    expect((await call('keys.status', {})).value).toMatchObject({ state: 'unlocked', protection: 'safe-storage', privateExport: ['file', 'clipboard'] });
    const key = (await call('keys.generate', { alg: 'ES256' })).value;
    const copied = await call('keys.exportPrivate', { id: key.id, format: 'pem', destination: 'clipboard', confirmed: true });
    expect(copied).toEqual({ ok: true, value: { status: 'copied', clearsAfterSeconds: 60 } });
    expect(fake.electron.clipboard.readText()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const saved = await call('keys.exportPrivate', { id: key.id, format: 'jwk', destination: 'file', confirmed: true });
    expect(saved).toEqual({ ok: true, value: { status: 'saved', path: savePath } });
    expect(JSON.parse(fs.readFileSync(savePath, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String) });
    fs.rmSync(userData, { recursive: true, force: true });

    // Linux basic_text is a hard-coded password, not protection: the user is asked for a passphrase.
    const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-keys-'));
    const basic = fakeElectron({ gotLock: true, userData: plainDir, keychain: testKeychain({ backend: 'basic_text' }) });
    runMain(basic.electron);
    basic.ready();
    await started(basic);
    const status = (await basic.ipc.get('workbench:keys.status')!(trusted, {})) as any;
    expect(status.value).toMatchObject({ state: 'needs-setup', setupChoices: process.platform === 'linux' ? ['passphrase', 'unencrypted-test-store'] : expect.any(Array) });
    fs.rmSync(plainDir, { recursive: true, force: true });
  });

  it('opens tokens from its command line, a second instance, macOS open-file and open-url, for the page to pull', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo';
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'main-open-'));
    fs.writeFileSync(path.join(userData, 'first.jwt'), `${token}\n`);
    const fake = fakeElectron({ gotLock: true, userData });
    const logged = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'info')];
    runMain(fake.electron, ['/opt/jwt-workbench', '--enable-logging', path.join(userData, 'first.jwt')]);
    // macOS may hand a link over before ready.
    const prevented = vi.fn();
    fake.appListeners.get('open-url')!({ preventDefault: prevented }, `jwtdbg://open?token=${token}`);
    expect(prevented).toHaveBeenCalled();
    fake.ready();
    await started(fake);
    // The command line's file is read after the window opens; main then says a token is waiting.
    const firstWindow = fake.windows[0]!;
    await vi.waitFor(() => expect(firstWindow.webContents.sent).toContainEqual(['workbench-app:event', { type: 'open-pending' }]), { timeout: 10_000, interval: 10 });
    // Not packaged: this development Electron is not made the system's jwtdbg: handler.
    expect(fake.electron.app.setAsDefaultProtocolClient).not.toHaveBeenCalled();
    const trusted = { sender: { id: 41 }, senderFrame: { url: 'app://workbench/index.html', parent: null } };
    const pull = () => fake.ipc.get('workbench:app.pendingOpen')!(trusted, {}) as Promise<any>;
    expect(await pull()).toEqual({
      ok: true,
      value: {
        opens: [
          { ok: true, source: 'link', token, name: null },
          { ok: true, source: 'command-line', token, name: 'first.jwt' },
        ],
      },
    });
    expect((await pull()).value.opens).toEqual([]);
    const window = fake.windows[0]! as unknown as { webContents: { sent: unknown[][] }; focused: number };
    expect(window.webContents.sent).toContainEqual(['workbench-app:event', { type: 'open-pending' }]);

    window.webContents.sent.length = 0;
    fs.writeFileSync(path.join(userData, 'relative.txt'), token);
    // A relative path is the second launch's, resolved against its working folder.
    fake.appListeners.get('second-instance')!({}, ['/opt/jwt-workbench', 'relative.txt', 'jwtdbg://garbage'], userData);
    await waitForSend(window);
    expect((await pull()).value.opens).toEqual([
      { ok: true, source: 'command-line', token, name: 'relative.txt' },
      { ok: false, source: 'link', message: 'The jwtdbg:// link does not carry a token that decodes' },
    ]);
    expect(window.webContents.sent).toEqual([['workbench-app:event', { type: 'open-pending' }]]);
    expect(window.focused).toBeGreaterThan(0);

    // A pinned token's notification: shown by main, as plain text; a click brings the window back.
    expect(await fake.ipc.get('workbench:app.notify')!(trusted, { title: 'Expiring', body: 'soon' })).toEqual({ ok: true, value: { shown: true } });
    expect(fake.shownNotifications.map((n) => n.options)).toEqual([{ title: 'Expiring', body: 'soon', silent: false }]);
    const focusedBefore = window.focused;
    fake.shownNotifications[0]!.listeners.get('click')!();
    expect(window.focused).toBe(focusedBefore + 1);
    expect(await fake.ipc.get('workbench:app.notify')!(trusted, { title: '', body: 'x' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // No action, no event: the click above only brought the window back.
    expect(window.webContents.sent).toEqual([['workbench-app:event', { type: 'open-pending' }]]);
    window.webContents.sent.length = 0;
    // With Refresh (a pinned mock-issuer token): a button where the platform has them; a click or the
    // button sends the page the action, never a token.
    expect(await fake.ipc.get('workbench:app.notify')!(trusted, { title: 'Expiring', body: 'soon', action: 'refresh-token' })).toEqual({ ok: true, value: { shown: true } });
    const withAction = fake.shownNotifications[1]!;
    expect(withAction.options).toEqual({ title: 'Expiring', body: 'soon', silent: false, actions: [{ type: 'button', text: 'Refresh' }] });
    withAction.listeners.get('click')!();
    expect(window.focused).toBe(focusedBefore + 2);
    withAction.listeners.get('action')!({}, 0);
    expect(window.webContents.sent).toEqual([
      ['workbench-app:event', { type: 'notification', action: 'refresh-token' }],
      ['workbench-app:event', { type: 'notification', action: 'refresh-token' }],
    ]);
    expect(await fake.ipc.get('workbench:app.notify')!(trusted, { title: 'Expiring', body: 'soon', action: 'run-this' })).toMatchObject({ ok: false, error: { code: 'bad-request', details: { path: 'action' } } });
    expect(fake.shownNotifications).toHaveLength(2);

    window.webContents.sent.length = 0;
    fake.appListeners.get('open-file')!({ preventDefault: () => {} }, path.join(userData, 'absent.jwt'));
    await waitForSend(window);
    expect((await pull()).value.opens).toEqual([{ ok: false, source: 'file', message: "'absent.jwt' does not exist" }]);
    // With its window closed (macOS keeps the app running), a file opened gets a new window.
    (fake.windows[0] as unknown as { listeners: Map<string, Listener> }).listeners.get('closed')!();
    fake.appListeners.get('open-file')!({ preventDefault: () => {} }, path.join(userData, 'relative.txt'));
    await vi.waitFor(() => expect(fake.windows).toHaveLength(2), { timeout: 10_000, interval: 10 });
    expect((await pull()).value.opens).toEqual([{ ok: true, source: 'file', token, name: 'relative.txt' }]);
    // Nothing about the tokens went to the console on the way.
    for (const spy of logged) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    fs.rmSync(userData, { recursive: true, force: true });
  });

  it('restores the saved window size and place (fitted to the display), and saves them on close', async () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'main-window-'));
    fs.writeFileSync(path.join(userData, 'window-state.json'), JSON.stringify({ x: 1500, y: 100, width: 900, height: 700, maximized: true }));
    const fake = fakeElectron({ gotLock: true, userData });
    runMain(fake.electron);
    fake.ready();
    await started(fake);
    const window = fake.windows[0]! as unknown as { options: Record<string, unknown>; maximized: boolean; listeners: Map<string, Listener> };
    expect(window.options).toMatchObject({ x: 1020, y: 100, width: 900, height: 700, minWidth: 720, minHeight: 480 });
    expect(window.maximized).toBe(true);
    window.listeners.get('close')!();
    // Written atomically (fsync and all): wait for it, generously.
    await vi.waitFor(
      () => expect(JSON.parse(fs.readFileSync(path.join(userData, 'window-state.json'), 'utf8'))).toEqual({ x: 1020, y: 100, width: 900, height: 700, maximized: true }),
      { timeout: 10_000, interval: 20 },
    );
    fs.rmSync(userData, { recursive: true, force: true });

    // A corrupt file: the defaults, and the app starts all the same.
    const corruptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-window-'));
    fs.writeFileSync(path.join(corruptDir, 'window-state.json'), '{"width":');
    const corrupt = fakeElectron({ gotLock: true, userData: corruptDir });
    runMain(corrupt.electron);
    corrupt.ready();
    await started(corrupt);
    expect(corrupt.windows[0]!.options).toMatchObject({ width: 1280, height: 820 });
    expect(corrupt.windows[0]!.options).not.toHaveProperty('x');
    fs.rmSync(corruptDir, { recursive: true, force: true });
  });

  it('registers itself for jwtdbg: links when packaged', async () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'main-open-'));
    const fake = fakeElectron({ gotLock: true, userData, packaged: true });
    runMain(fake.electron);
    fake.ready();
    await started(fake);
    expect(fake.electron.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('jwtdbg');
    fs.rmSync(userData, { recursive: true, force: true });
  });

  it('quits at once when another instance holds the lock', async () => {
    const fake = fakeElectron({ gotLock: false, userData: os.tmpdir() });
    runMain(fake.electron);
    fake.ready();
    await flush();
    expect(fake.log).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'quit']);
    expect(fake.ipc.size).toBe(0);
    expect(fake.windows).toHaveLength(0);
  });
});
