import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { preloadBundle } from '../../scripts/build.mjs';

const exposed = vi.hoisted(() => new Map<string, unknown>());
const invoke = vi.hoisted(() => vi.fn((channel: string, ...args: unknown[]) => Promise.resolve({ ok: true, value: { channel, args } })));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)),
  },
  ipcRenderer: { invoke, send: vi.fn(), on: vi.fn(), sendSync: vi.fn() },
}));

await import('../../electron/preload/index');
const { METHOD_NAMES, channelOf } = await import('../../shared/contract/method-names');

describe('preload', () => {
  it('exposes window.workbench and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['workbench']);
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
