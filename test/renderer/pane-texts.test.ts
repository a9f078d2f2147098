// The Header / Payload panes' text across keystrokes: reused when only the signature changed (the cost
// of a keystroke in a 100 KB token), recomputed whenever the payload's bytes did, and the hex dump exact.
import { describe, expect, it, vi } from 'vitest';
import { hexDump } from '../../renderer/src/format';
import { createWorkbenchStore } from '../../renderer/src/store';
import { NOW, createFakeHost, makeToken } from './harness';

const payload = { sub: 'u1', iat: NOW, roles: Array.from({ length: 50 }, (_, i) => `role-${i}`) };
const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, payload);

function storeWith(text: string) {
  const store = createWorkbenchStore({ host: createFakeHost(), now: () => NOW, verifyDelayMs: 10_000 });
  store.getState().setInput(text);
  return store;
}

describe('pane texts', () => {
  it('keeps the Payload text (the same string) when only the signature changes', () => {
    const store = storeWith(TOKEN);
    const before = store.getState().payloadText;
    expect(JSON.parse(before)).toEqual(payload);
    const stringify = vi.spyOn(JSON, 'stringify');
    store.getState().setInput(`${TOKEN}AA`); // a longer signature, same header and payload
    const prettyPrintedPayload = stringify.mock.calls.filter(([value, , indent]) => indent === 2 && (value as { roles?: unknown })?.roles);
    stringify.mockRestore();
    expect(store.getState().decodeError).toBeNull();
    expect(store.getState().decoded?.signature).toBe('c2lnbmF0dXJlAA');
    expect(prettyPrintedPayload).toHaveLength(0);
    expect(store.getState().payloadText).toBe(before);
    store.getState().cancelVerify();
  });

  it('follows a new header and a new payload', () => {
    const store = storeWith(TOKEN);
    store.getState().setInput(makeToken({ alg: 'HS384', typ: 'JWT' }, payload));
    expect(JSON.parse(store.getState().headerText)).toEqual({ alg: 'HS384', typ: 'JWT' });
    expect(JSON.parse(store.getState().payloadText)).toEqual(payload);
    store.getState().setInput(makeToken({ alg: 'HS384', typ: 'JWT' }, { sub: 'u2' }));
    expect(JSON.parse(store.getState().payloadText)).toEqual({ sub: 'u2' });
    store.getState().cancelVerify();
  });

  it('switches between JSON and a hex dump when the payload stops being UTF-8, and back', () => {
    const store = storeWith(TOKEN);
    const json = store.getState().payloadText;
    const [h, p, s] = TOKEN.split('.') as [string, string, string];
    // 0xff bytes are never UTF-8: `__8` decodes to ff ff.
    store.getState().setInput(`${h}.__8${p.slice(3)}.${s}`);
    expect(store.getState().payloadEditable).toBe(false);
    expect(store.getState().payloadText).toMatch(/^00000000  ff ff /);
    // Back to the JSON it was one keystroke ago: the text is reused, not pretty-printed again.
    const stringify = vi.spyOn(JSON, 'stringify');
    store.getState().setInput(TOKEN);
    const prettyPrintedPayload = stringify.mock.calls.filter(([value, , indent]) => indent === 2 && (value as { roles?: unknown })?.roles);
    stringify.mockRestore();
    expect(prettyPrintedPayload).toHaveLength(0);
    expect(store.getState().payloadText).toBe(json);
    expect(store.getState().payloadEditable).toBe(true);
    store.getState().cancelVerify();
  });
});

describe('hexDump', () => {
  it('prints offset, 16 bytes and their ASCII per line, and what was cut', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 7 + 0x1c) & 0xff);
    const lines = hexDump(bytes, 32).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('00000000  1c 23 2a 31 38 3f 46 4d 54 5b 62 69 70 77 7e 85  .#*18?FMT[bipw~.');
    expect(lines[1]!.startsWith('00000010  8c 93 9a a1 a8 af b6 bd c4 cb d2 d9 e0 e7 ee f5  ')).toBe(true);
    expect(lines[2]).toBe('… 8 more bytes');
    expect(hexDump(Uint8Array.of(0x41, 0x0a))).toBe(`00000000  41 0a${' '.repeat(42)}  A.`);
  });
});
