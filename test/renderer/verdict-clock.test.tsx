// The verdict follows the clock: claim checks are re-judged on a timer near a time claim, without a new
// token and without asking the host again; a time override changes the verdict at once.
import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clockDelay } from '../../renderer/src/store/verify-slice';
import { NOW, makeToken, renderApp, verifyResult } from './harness';

let clock = NOW;

beforeEach(() => {
  clock = NOW;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
});

const verdict = () => within(screen.getByRole('region', { name: 'Verification' })).getByRole('status', { name: 'Verdict' }).textContent!;
const checks = () => screen.getByRole('list', { name: 'Claim checks' }).textContent!;

/** A token with exp 5 s ahead, verified (by the fake host) with a key. */
function verifiedSoonExpiring() {
  const app = renderApp({ clock: () => clock, verifyDelayMs: 10 });
  act(() => {
    app.store.getState().setInput(makeToken({ alg: 'HS256' }, { sub: 'u1', exp: NOW + 5 }));
    app.store.getState().setKeyText('a-secret-of-at-least-32-bytes-long!!');
  });
  act(() => vi.advanceTimersByTime(10));
  const calls = app.host.callsTo('crypto.verify');
  expect(calls).toHaveLength(1);
  return { ...app, call: calls[0]! };
}

describe('the verdict follows the clock', () => {
  it('an exp 5 s ahead turns to "expired" as time passes, with no new token and no new host call', async () => {
    const { call, host, store } = verifiedSoonExpiring();
    await act(async () => call.respond({ ok: true, value: verifyResult({ valid: true }) }));
    expect(verdict()).toContain('Signature valid — all checked claims pass');
    expect(checks()).toContain('expires');
    expect(checks()).toContain('(in 5 s)');

    clock = NOW + 2;
    act(() => vi.advanceTimersByTime(1000));
    expect(checks()).toContain('(in 3 s)');

    clock = NOW + 8;
    act(() => vi.advanceTimersByTime(1000));
    expect(verdict()).toContain('Signature valid — token expired 3 s ago');
    expect(checks()).toContain('Failed: exp expired');
    // The lint moved with it: the Claim warnings pane has exp's finding now.
    expect(store.getState().findings.map((f) => f.rule)).toContain('exp-passed');
    expect(host.callsTo('crypto.verify')).toHaveLength(1);
    // The hovers read the same "now" the checks were judged at.
    expect(store.getState().claimsNow).toBe(NOW + 8);
  });

  it('a time override changes the verdict at once, keeps the signature verdict, and stops the timer', async () => {
    const { call, host, store } = verifiedSoonExpiring();
    await act(async () => call.respond({ ok: true, value: verifyResult({ valid: true }) }));
    act(() => store.getState().setNowOverride(NOW + 3600));
    expect(verdict()).toContain('Signature valid — token expired 59 min 55 s ago');
    // The host is asked again (the clock is an option of crypto.verify), but the verdict does not blank out meanwhile.
    act(() => vi.advanceTimersByTime(10));
    expect(host.callsTo('crypto.verify')).toHaveLength(2);
    expect(verdict()).toContain('Signature valid');
    // No timer with an override: the real clock moving changes nothing.
    clock = NOW + 1;
    act(() => vi.advanceTimersByTime(60_000));
    expect(verdict()).toContain('59 min 55 s ago');
  });

  it('a key change still blanks the signature verdict until the host answers', async () => {
    const { call, store } = verifiedSoonExpiring();
    await act(async () => call.respond({ ok: true, value: verifyResult({ valid: true }) }));
    act(() => store.getState().setKeyText('another'));
    expect(verdict()).toContain('Verifying');
  });

  it('cancelVerify (store teardown) stops the clock timer', () => {
    const { store } = verifiedSoonExpiring();
    store.getState().cancelVerify();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('clockDelay', () => {
  it('every second near a time claim, every 30 s otherwise, never without one', () => {
    expect(clockDelay({ exp: NOW + 60 }, NOW, 0)).toBe(1000);
    expect(clockDelay({ exp: NOW - 119 }, NOW, 0)).toBe(1000);
    expect(clockDelay({ exp: NOW + 3600 }, NOW, 0)).toBe(30_000);
    expect(clockDelay({ exp: NOW + 3600, iat: NOW - 10 }, NOW, 0)).toBe(1000);
    expect(clockDelay({ exp: NOW + 200 }, NOW, 100)).toBe(1000);
    expect(clockDelay({ sub: 'x', exp: 'soon' }, NOW, 0)).toBeNull();
    expect(clockDelay(null, NOW, 0)).toBeNull();
  });
});

describe('the claim checks list while the input is broken for a moment', () => {
  it('leaves the page’s accessible tree and comes back with the mended token, the same list element', () => {
    const { store } = renderApp({ clock: () => clock });
    const token = makeToken({ alg: 'HS256' }, { sub: 'u1', exp: NOW + 60 });
    act(() => store.getState().setInput(token));
    const list = screen.getByRole('list', { name: 'Claim checks' });
    expect(list.textContent).toContain('exp');
    act(() => store.getState().setInput(`${token}$`)); // not base64url: the token does not decode
    expect(screen.queryByRole('list', { name: 'Claim checks' })).toBeNull();
    expect(list.hidden).toBe(true);
    act(() => store.getState().setInput(token));
    expect(screen.getByRole('list', { name: 'Claim checks' })).toBe(list);
    expect(list.hidden).toBe(false);
    expect(list.textContent).toContain('exp');
  });
});
