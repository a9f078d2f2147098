// The store without React: debounce and stale-response rules under a fake clock, where timing is exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { WorkbenchStore } from '../../renderer/src/store';
import { NOW, createFakeHost, makeToken, verifyResult } from './harness';
import type { FakeHost } from './harness';

const DELAY = 250;
const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', iss: 'me', aud: 'you', iat: NOW, exp: NOW + 60 });

let host: FakeHost;
let store: WorkbenchStore;
let clock: number;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  host = createFakeHost();
  clock = NOW;
  store = createWorkbenchStore({ host, now: () => clock, verifyDelayMs: DELAY });
});

afterEach(() => {
  store.getState().cancelVerify();
  vi.useRealTimers();
});

const verifyCalls = () => host.callsTo('crypto.verify');

describe('token slice', () => {
  it('decodes and lints synchronously on every change', () => {
    store.getState().setInput(TOKEN);
    const s = store.getState();
    expect(s.decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(s.lastGood).toBe(s.decoded);
    expect(s.decodeError).toBeNull();
    expect(s.findings.map((f) => f.rule)).not.toContain('exp-missing');
  });

  it('keeps the last good decode and its findings while the input is broken', () => {
    store.getState().setInput(TOKEN);
    const good = store.getState().lastGood;
    const findings = store.getState().findings;
    store.getState().setInput(`${TOKEN}.extra`);
    const s = store.getState();
    expect(s.decoded).toBeNull();
    expect(s.decodeError?.code).toBe('segment-count');
    expect(s.lastGood).toBe(good);
    expect(s.findings).toBe(findings);
  });

  it('forgets everything when the input is blank', () => {
    store.getState().setInput(TOKEN);
    store.getState().setInput('   ');
    const s = store.getState();
    expect([s.decoded, s.decodeError, s.lastGood]).toEqual([null, null, null]);
    expect(s.findings).toEqual([]);
    expect(s.verification).toEqual({ status: 'idle', reason: 'no-token' });
  });
});

describe('settings slice', () => {
  it('re-lints when the clock is overridden or the leeway changes', () => {
    store.getState().setInput(TOKEN);
    const rules = () => store.getState().findings.map((f) => f.rule);
    expect(rules()).not.toContain('exp-passed');
    store.getState().setNowOverride(NOW + 120);
    expect(rules()).toContain('exp-passed');
    store.getState().setLeeway(300);
    expect(rules()).not.toContain('exp-passed');
    store.getState().setNowOverride(null);
    store.getState().setLeeway(0);
    expect(rules()).not.toContain('exp-passed');
  });

  it('ignores a leeway or clock that is not a usable number', () => {
    store.getState().setLeeway(-5);
    store.getState().setLeeway(Number.NaN);
    store.getState().setNowOverride(Number.POSITIVE_INFINITY);
    expect(store.getState().leeway).toBe(0);
    expect(store.getState().nowOverride).toBeNull();
  });
});

describe('verify slice', () => {
  it('waits for a quiet period, then makes one request with the latest token, key and clock', () => {
    store.getState().setInput(TOKEN);
    // One keystroke just inside each quiet period.
    for (let i = 1; i <= 6; i++) {
      store.getState().setKeyText('abcdef'.slice(0, i));
      vi.advanceTimersByTime(DELAY - 1);
    }
    expect(verifyCalls()).toHaveLength(0);
    expect(store.getState().verification.status).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(verifyCalls()).toHaveLength(1);
    expect(verifyCalls()[0]!.request).toEqual({
      token: TOKEN,
      key: { type: 'secret', value: 'abcdef', encoding: 'utf8' },
      options: { now: NOW, leeway: 0 },
    });
    vi.advanceTimersByTime(10 * DELAY);
    expect(verifyCalls()).toHaveLength(1);
  });

  it('re-verifies when the clock setting changes, with the new time', () => {
    store.getState().setInput(TOKEN);
    store.getState().setKeyText('k');
    vi.advanceTimersByTime(DELAY);
    store.getState().setNowOverride(NOW + 3600);
    vi.advanceTimersByTime(DELAY);
    expect(verifyCalls()).toHaveLength(2);
    expect(verifyCalls()[1]!.request.options).toEqual({ now: NOW + 3600, leeway: 0 });
  });

  it('drops answers to requests that a newer one superseded, whatever order they arrive in', async () => {
    store.getState().setInput(TOKEN);
    store.getState().setKeyText('one');
    vi.advanceTimersByTime(DELAY);
    store.getState().setKeyText('two');
    vi.advanceTimersByTime(DELAY);
    const [first, second] = verifyCalls();
    second!.respond({ ok: true, value: verifyResult({ valid: true, message: 'second' }) });
    await vi.waitFor(() => expect(store.getState().verification.status).toBe('done'));
    first!.respond({ ok: true, value: verifyResult({ valid: false, message: 'first' }) });
    await Promise.resolve();
    await Promise.resolve();
    const v = store.getState().verification;
    expect(v.status === 'done' && v.result.message).toBe('second');
  });

  it('drops an answer that arrives after the token changed, even before the next request', async () => {
    store.getState().setInput(TOKEN);
    store.getState().setKeyText('k');
    vi.advanceTimersByTime(DELAY);
    store.getState().setInput(`${TOKEN}xy`); // still decodes: another signature
    expect(store.getState().decoded).not.toBeNull();
    verifyCalls()[0]!.respond({ ok: true, value: verifyResult({ valid: true }) });
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().verification.status).toBe('pending');
  });

  it('says why nothing is verified', () => {
    expect(store.getState().verification).toEqual({ status: 'idle', reason: 'no-token' });
    store.getState().setInput(TOKEN);
    expect(store.getState().verification).toEqual({ status: 'idle', reason: 'no-key' });
    store.getState().setKeyText('k');
    store.getState().setInput('not a token');
    expect(store.getState().verification).toEqual({ status: 'idle', reason: 'token-invalid' });
    vi.advanceTimersByTime(10 * DELAY);
    expect(verifyCalls()).toHaveLength(0);
  });

  it('reads the secret as the host will, for the hmac-secret-short rule', () => {
    store.getState().setInput(TOKEN);
    store.getState().setSecretEncoding('hex');
    store.getState().setKeyText('00112233');
    expect(store.getState().secretByteLength()).toBe(4);
    expect(store.getState().findings.map((f) => f.rule)).toContain('hmac-secret-short');
    store.getState().setKeyText('0011zz');
    expect(store.getState().secretByteLength()).toBeNull();
    store.getState().setSecretEncoding('utf8');
    store.getState().setKeyText('x'.repeat(32));
    expect(store.getState().findings.map((f) => f.rule)).not.toContain('hmac-secret-short');
    store.getState().setKeySource('pem');
    expect(store.getState().secretByteLength()).toBeNull();
  });
});
