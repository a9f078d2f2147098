import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { preloadBundle } from '../../scripts/build.mjs';

const exposed = vi.hoisted(() => new Map<string, unknown>());
const ipcListeners = vi.hoisted(() => [] as { channel: string; listener: (...args: unknown[]) => void }[]);
const invoke = vi.hoisted(() => vi.fn((channel: string, ...args: unknown[]) => Promise.resolve({ ok: true, value: { channel, args } })));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)),
  },
  ipcRenderer: {
    invoke,
    send: vi.fn(),
    sendSync: vi.fn(),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => ipcListeners.push({ channel, listener })),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      const index = ipcListeners.findIndex((l) => l.channel === channel && l.listener === listener);
      if (index >= 0) ipcListeners.splice(index, 1);
    }),
  },
}));

await import('../../electron/preload/index');
const { METHOD_NAMES, channelOf } = await import('../../shared/contract/method-names');

describe('preload', () => {
  it('exposes window.workbench and window.workbenchEvents, nothing else', () => {
    expect([...exposed.keys()]).toEqual(['workbench', 'workbenchEvents']);
  });

  it('relays only well-formed events from main, without the IPC event, until unsubscribed', () => {
    const events = exposed.get('workbenchEvents') as { onAppEvent(listener: (event: unknown) => void): () => void };
    expect(Object.keys(events)).toEqual(['onAppEvent']);
    expect(Object.isFrozen(events)).toBe(true);
    const seen: unknown[] = [];
    const stop = events.onAppEvent((event) => seen.push(event));
    expect(ipcListeners.map((l) => l.channel)).toEqual(['workbench-app:event']);
    const ipcEvent = { sender: { send: vi.fn() }, ports: [] };
    const relay = ipcListeners[0]!.listener;
    relay(ipcEvent, { type: 'command', id: 'view-keys' });
    relay(ipcEvent, { type: 'open-pending', token: 'eyJ.e30.x' });
    relay(ipcEvent, { type: 'command', id: 'not-a-command' });
    relay(ipcEvent, 'open-pending');
    relay(ipcEvent, { type: 'eval', code: '1' });
    // A notification's action (Refresh for a pinned mock-issuer token): only the known ones, nothing more.
    relay(ipcEvent, { type: 'notification', action: 'refresh-token', token: 'eyJ.e30.x' });
    relay(ipcEvent, { type: 'notification', action: 'delete-everything' });
    relay(ipcEvent, { type: 'notification' });
    expect(seen).toEqual([{ type: 'command', id: 'view-keys' }, { type: 'open-pending' }, { type: 'notification', action: 'refresh-token' }]);
    stop();
    expect(ipcListeners).toEqual([]);
    expect(() => events.onAppEvent('x' as never)).toThrow(TypeError);
  });

  it('exposes exactly one function per contract method, and no generic invoke', () => {
    const api = exposed.get('workbench') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
    for (const method of METHOD_NAMES) expect(typeof api[method]).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('binds each function to its own channel and forwards exactly one argument', async () => {
    const api = exposed.get('workbench') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of METHOD_NAMES) {
      invoke.mockClear();
      const request = { probe: method };
      const answer = await api[method]!(request, 'smuggled', { channel: 'workbench:other' });
      expect(invoke).toHaveBeenCalledTimes(1);
      expect(invoke).toHaveBeenCalledWith(channelOf(method), request);
      expect(answer).toEqual({ ok: true, value: { channel: channelOf(method), args: [request] } });
    }
  });

  it('bundles, with the build’s own settings, to one file that requires only electron and carries no validators', async () => {
    const out = await build({ ...preloadBundle, write: false, logLevel: 'silent' });
    expect(out.outputFiles).toHaveLength(1);
    const code = out.outputFiles[0]!.text;
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    for (const method of METHOD_NAMES) expect(code).toContain(method);
    // The schema module's messages would show up if the validators were pulled in.
    expect(code).not.toContain('unknown field');
    expect(code).not.toMatch(/\bimport\s*\(/);
  });
});
