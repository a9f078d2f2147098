// Editing a token without a usable signing key: the "unsigned" reason names what the selected key
// source lacks, whatever text another source left in the key box.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { WorkbenchStore } from '../../renderer/src/store';
import { NOW, createFakeHost, makeToken } from './harness';

const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', exp: NOW + 60 });
let store: WorkbenchStore;
const s = () => store.getState();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  store = createWorkbenchStore({ host: createFakeHost(), now: () => NOW, verifyDelayMs: 100, historyDelayMs: 500 });
});
afterEach(() => {
  s().cancelVerify();
  s().clearHistory();
  vi.useRealTimers();
});

describe('the unsigned reason', () => {
  it('with "Stored key" selected and none chosen, says no key is chosen even though secret text is in the box', () => {
    s().setKeyText('a secret typed for another source');
    s().setKeySource('stored');
    s().setInput(TOKEN);
    s().editPayload(JSON.stringify({ sub: 'u2', exp: NOW + 60 }));
    expect(s().signingKey()).toBeNull();
    expect(s().modification).toEqual({ status: 'unsigned', reason: 'no signing key is chosen' });
  });

  it('with a text source and an empty box, says no key is entered', () => {
    s().setKeySource('pem');
    s().setInput(TOKEN);
    s().editPayload(JSON.stringify({ sub: 'u2', exp: NOW + 60 }));
    expect(s().modification).toEqual({ status: 'unsigned', reason: 'no signing key is entered' });
  });
});
