import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Session, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// A stand-in for the missing Electron binary: BrowserWindow records how it was built.
const windows = vi.hoisted(() => [] as { options: Record<string, unknown>; loaded: string[] }[]);
vi.mock('electron', () => ({
  BrowserWindow: class {
    loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    once() {}
    show() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  },
}));

const { createMainWindow, registerAppScheme, serveRenderer } = await import('../../electron/main/window');
const { hardenSession, hardenWebContents, isSafeExternalUrl, isAppUrl, APP_ENTRY_URL } = await import('../../electron/main/security');
const { CONTENT_SECURITY_POLICY } = await import('../../shared/contract/csp');

describe('the window', () => {
  it('is created with isolation, sandbox, no Node, web security and no webviews, loading app://workbench', () => {
    createMainWindow('/app/preload.cjs', false);
    const { options, loaded } = windows.at(-1)!;
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(loaded).toEqual([APP_ENTRY_URL]);
  });

  it('registers app:// as a standard, secure scheme', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(registerSchemesAsPrivileged.mock.calls[0]![0][0].privileges).not.toHaveProperty('bypassCSP');
  });
});

describe('the app:// protocol', () => {
  let tmp: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'app-protocol-'));
    fs.mkdirSync(path.join(tmp, 'renderer', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html><p>app</p>');
    fs.writeFileSync(path.join(tmp, 'renderer', 'assets', 'a.css'), 'p{}');
    fs.writeFileSync(path.join(tmp, 'package.json'), '{"name":"outside"}');
    serveRenderer(
      {
        handle: (scheme: string, h: (request: Request) => Promise<Response>) => {
          expect(scheme).toBe('app');
          handler = h;
        },
      } as never,
      path.join(tmp, 'renderer'),
    );
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('serves the renderer with the CSP and nosniff headers', async () => {
    const res = await handler(new Request('app://workbench/'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<!doctype html><p>app</p>');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await handler(new Request('app://workbench/assets/a.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('refuses traversal, other hosts and missing files', async () => {
    // new Request() normalizes plain dot segments away; encoded ones reach the handler as written.
    for (const url of ['app://workbench/..%2fpackage.json', 'app://workbench/%2e%2e%5cpackage.json', 'app://workbench/assets/..%2F..%2Fpackage.json']) {
      const res = await handler(new Request(url));
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('outside');
    }
    expect((await handler(new Request('app://workbench/../package.json'))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://workbench/nope.js'))).status).toBe(404);
  });
});

describe('navigation, popups and links', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void; url?: string }) => void>();
    let openHandler: ((details: { url: string; disposition: string }) => { action: string }) | null = null;
    const contents = {
      on: (name: string, listener: (event: { preventDefault(): void }) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    } as unknown as WebContents;
    const fire = (name: string, url = 'https://example.com/') => {
      const event = { url, preventDefault: vi.fn() };
      listeners.get(name)!(event);
      return event.preventDefault.mock.calls.length > 0;
    };
    return { contents, fire, open: (url: string, disposition: string) => openHandler!({ url, disposition }) };
  }

  it('prevents every navigation and webview', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, vi.fn(async () => {}));
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', APP_ENTRY_URL)).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-redirect', 'app://workbench/index.html')).toBe(false);
  });

  it('denies every new window; only an https link the user opened goes to the system browser', () => {
    const openExternal = vi.fn(async () => {});
    const { contents, open } = fakeContents();
    hardenWebContents(contents, openExternal);
    expect(open('https://datatracker.ietf.org/doc/html/rfc7519', 'foreground-tab')).toEqual({ action: 'deny' });
    expect(open('https://example.com/', 'background-tab')).toEqual({ action: 'deny' });
    expect(open('https://example.com/popup', 'new-window')).toEqual({ action: 'deny' });
    expect(open('http://example.com/', 'foreground-tab')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd', 'foreground-tab')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)', 'foreground-tab')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://datatracker.ietf.org/doc/html/rfc7519'], ['https://example.com/']]);
  });

  it('vets external URLs', () => {
    expect(isSafeExternalUrl('https://jwt.io/')).toBe(true);
    for (const bad of ['http://jwt.io/', 'https://user:pw@jwt.io/', 'smb://host/share', 'not a url', 'https://']) {
      expect(isSafeExternalUrl(bad)).toBe(false);
    }
    expect(isAppUrl('app://workbench/x')).toBe(true);
    expect(isAppUrl('app://workbench.evil/x')).toBe(false);
  });
});

describe('permissions', () => {
  it('denies every permission request except clipboard writes from the app', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void) | undefined;
    let check: ((c: unknown, p: string, origin: string) => boolean) | undefined;
    hardenSession({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as unknown as Session);
    const ask = (permission: string, url = APP_ENTRY_URL) => {
      let granted: boolean | undefined;
      request!(null, permission, (g) => (granted = g), { requestingUrl: url });
      return granted;
    };
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem', 'unknown']) {
      expect(ask(p)).toBe(false);
      expect(check!(null, p, 'app://workbench')).toBe(false);
    }
    expect(ask('clipboard-sanitized-write')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check!(null, 'clipboard-sanitized-write', 'app://workbench')).toBe(true);
    expect(check!(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});
