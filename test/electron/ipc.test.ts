import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The Electron binary is not installed: main-process modules run against this stand-in of `electron`,
// whose ipcMain keeps the registered handlers so the test can invoke them like a renderer would.
const registered = vi.hoisted(() => new Map<string, (event: unknown, ...args: unknown[]) => unknown>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => {
      if (registered.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      registered.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
  },
}));

const { ipcMain } = await import('electron');
const { registerHandlers } = await import('../../electron/main/ipc');
const { isTrustedSender, APP_ENTRY_URL } = await import('../../electron/main/security');
const { METHOD_NAMES, channelOf } = await import('../../shared/contract/method-names');
const { notWiredHandlers } = await import('./not-wired-handlers');
const { ok } = await import('../../shared/contract/result');
type Handlers = import('../../shared/contract/methods').Handlers;

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

function fakeContents(id: number): WebContents {
  return { id, isDestroyed: () => false } as unknown as WebContents;
}

function fakeEvent(sender: WebContents, frame: FakeFrame | null): IpcMainInvokeEvent {
  return { sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' } as unknown as IpcMainInvokeEvent;
}

const appContents = fakeContents(7);
const mainFrame: FakeFrame = { url: APP_ENTRY_URL, parent: null };
const trusted = fakeEvent(appContents, mainFrame);

function invoke(method: string, event: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> {
  const listener = registered.get(`workbench:${method}`);
  if (!listener) throw new Error(`no handler for ${method}`);
  return Promise.resolve(listener(event, ...args));
}

const HS_KEY = { type: 'secret', value: 'a-secret-that-must-not-leak', encoding: 'utf8' } as const;

function makeHandlers() {
  const calls: string[] = [];
  const handlers: Handlers = {
    ...notWiredHandlers(calls),
    'app.info': (_req, ctx) => {
      calls.push('app.info');
      return ok({ name: 'JWT Workbench', version: '1.2.3', transport: ctx.transport, platform: 'linux' });
    },
    'crypto.verify': () => {
      calls.push('crypto.verify');
      throw new Error(`key material: ${HS_KEY.value}`);
    },
    'crypto.sign': (req) => {
      calls.push('crypto.sign');
      return ok({ token: 'signed', alg: req.alg ?? 'HS256', warnings: [], headerText: req.headerText, kid: 'k1' });
    },
  };
  return { handlers, calls };
}

let unregister: () => void;
let calls: string[];
let internalErrors: string[];

beforeEach(() => {
  unregister?.();
  const made = makeHandlers();
  calls = made.calls;
  internalErrors = [];
  unregister = registerHandlers(ipcMain, made.handlers, (event) => isTrustedSender(event, appContents), {
    onInternalError: (method) => internalErrors.push(method),
  });
});

describe('registerHandlers', () => {
  it('registers exactly one handler per method, on its fixed channel, and can remove them', () => {
    expect([...registered.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    unregister();
    expect(registered.size).toBe(0);
    unregister = () => {};
  });

  it('answers a trusted call with the handler’s Result, told it came over Electron', async () => {
    expect(await invoke('app.info', trusted, {})).toEqual({
      ok: true,
      value: { name: 'JWT Workbench', version: '1.2.3', transport: 'electron', platform: 'linux' },
    });
    // Only the first argument is the request.
    expect(await invoke('crypto.sign', trusted, { headerText: '{}', payloadText: '{}', key: HS_KEY, alg: 'HS512' }, 'extra')).toEqual({
      ok: true,
      value: { token: 'signed', alg: 'HS512', warnings: [], headerText: '{}', kid: 'k1' },
    });
  });
});

describe('sender check', () => {
  const forbidden = { ok: false, error: { code: 'forbidden-sender', message: 'This sender may not call the host' } };
  const untrusted: [string, IpcMainInvokeEvent][] = [
    ['another webContents', fakeEvent(fakeContents(8), mainFrame)],
    ['a sub-frame of the app window', fakeEvent(appContents, { url: APP_ENTRY_URL, parent: mainFrame })],
    ['a sub-frame of another origin', fakeEvent(appContents, { url: 'https://evil.example/', parent: mainFrame })],
    ['the main frame navigated to another origin', fakeEvent(appContents, { url: 'https://evil.example/', parent: null })],
    ['file://', fakeEvent(appContents, { url: 'file:///tmp/index.html', parent: null })],
    ['another app:// host', fakeEvent(appContents, { url: 'app://evil/index.html', parent: null })],
    ['a lookalike host', fakeEvent(appContents, { url: 'app://workbench.evil/index.html', parent: null })],
    ['a destroyed frame', fakeEvent(appContents, null)],
  ];

  it.each(untrusted)('refuses %s before validating or running anything', async (_label, event) => {
    for (const method of METHOD_NAMES) {
      expect(await invoke(method, event, { not: 'even valid' })).toEqual(forbidden);
    }
    expect(calls).toEqual([]);
  });

  it('refuses everything once the app window is gone', async () => {
    unregister();
    unregister = registerHandlers(ipcMain, makeHandlers().handlers, (event) => isTrustedSender(event, null));
    expect(await invoke('app.info', trusted, {})).toEqual(forbidden);
  });

  it('treats a sender check that throws as a refusal', async () => {
    unregister();
    unregister = registerHandlers(ipcMain, makeHandlers().handlers, () => {
      throw new Error('frame disposed');
    });
    expect(await invoke('app.info', trusted, {})).toEqual(forbidden);
  });
});

describe('request validation and failures', () => {
  it('bad-request names the field, and the handler never runs', async () => {
    const r = await invoke('crypto.sign', trusted, { headerText: '{}', payloadText: 42, key: HS_KEY });
    expect(r).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'payloadText: expected a string, got a number', details: { path: 'payloadText' } },
    });
    expect(await invoke('crypto.sign', trusted)).toMatchObject({ error: { code: 'bad-request', message: 'request: expected an object, got undefined' } });
    expect(calls).toEqual([]);
  });

  it('a handler that throws yields internal, without its message or the key', async () => {
    const r = await invoke('crypto.verify', trusted, { token: 'a.b.c', key: HS_KEY });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: "crypto.verify failed unexpectedly; see the host's log" } });
    expect(JSON.stringify(r)).not.toContain(HS_KEY.value);
    expect(calls).toEqual(['crypto.verify']);
    expect(internalErrors).toEqual(['crypto.verify']);
  });
});
