// Refresh for a token from the mock issuer, against the real issuer: the renderer's store over the real
// dispatcher and services (as the web host wires them). "Open in debugger" records where a token came from
// (only what the issuer signed; the Stepper's login gives the refresh token), any other token drops it, and
// Refresh rotates the refresh token at the issuer's token endpoint, puts the new access token in the debugger
// (verified with the issuer's JWKS) and reports each refusal specifically.
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import type { Services } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/method-names';
import type { RequestOf, ResultOf } from '../../shared/contract';
import { decodeToken } from '../../shared/core/decode';
import type { HostClient } from '../../renderer/src/host-client';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { WorkbenchStore } from '../../renderer/src/store';
import { tempDir } from './keys-test-support';

const opened: Array<{ services: Services; dir: string }> = [];
afterEach(async () => {
  for (const { services, dir } of opened.splice(0)) {
    await services.issuer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function setup(): { store: WorkbenchStore; host: HostClient; calls: Array<{ method: string; request: unknown }> } {
  const dir = tempDir('pin-refresh-');
  const services = createServices({ dataDir: dir, keys: { unencryptedTestStore: true } });
  opened.push({ services, dir });
  const dispatch = createDispatcher(createHandlers(services));
  const calls: Array<{ method: string; request: unknown }> = [];
  const host: HostClient = {
    call: <M extends MethodName>(method: M, request: RequestOf<M>) => {
      calls.push({ method, request });
      return dispatch(method, request, { transport: 'http' }) as Promise<ResultOf<M>>;
    },
  };
  return { store: createWorkbenchStore({ host, verifyDelayMs: 0, historyDelayMs: 60_000 }), host, calls };
}

/** The issuer running, and the Stepper logged in (a refresh-token family with its current refresh token). */
async function loggedIn(store: WorkbenchStore): Promise<void> {
  expect(await store.getState().startIssuer({ settings: { accessTokenTtl: 300 } })).toMatchObject({ running: true });
  for (const step of ['prepare', 'login']) expect((await store.getState().runStepperStep(step))?.status, step).toBe('passed');
}

const claim = (token: string, name: string): unknown => {
  const decoded = decodeToken(token);
  return decoded.ok ? (decoded.token.payload as Record<string, unknown>)[name] : undefined;
};

/** A refresh_token grant sent by someone else (another copy of the client), straight to the issuer. */
async function refreshElsewhere(host: HostClient, refreshToken: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'workbench' }).toString();
  const sent = await host.call('issuer.request', { method: 'POST', path: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  if (!sent.ok) throw new Error(sent.error.message);
  return { status: sent.value.status, json: JSON.parse(sent.value.body) as Record<string, unknown> };
}

describe('a token opened from the mock issuer', () => {
  it('records its origin with the login’s refresh token; anything else in the debugger drops it', async () => {
    const { store } = setup();
    await loggedIn(store);
    const { access, refresh, familyId } = store.getState().stepper.state;
    const issuer = store.getState().issuerStatus;
    if (!issuer?.running || access === null || refresh === null || familyId === null) throw new Error('not logged in');

    await store.getState().openIssuerToken(access);
    expect(store.getState().input).toBe(access);
    expect(store.getState().tokenOrigin).toEqual({ token: access, issuer: issuer.issuer, kind: 'access_token', refresh: { token: refresh, clientId: 'workbench', familyId } });

    // Typed, pasted, opened or an example: setInput, whoever calls it.
    store.getState().setInput(`${access} `);
    expect(store.getState().tokenOrigin).toBeNull();

    // An edit of the payload makes a new token: the origin goes at once (before any re-signing).
    await store.getState().openIssuerToken(access);
    expect(store.getState().tokenOrigin?.token).toBe(access);
    const payload = store.getState().payloadText;
    store.getState().editPayload(payload.replace('"stepper"', '"someone-else"'));
    expect(store.getState().input).not.toBe(access);
    expect(store.getState().tokenOrigin).toBeNull();

    // The login's ID token: the same origin, and a refresh would put an ID token back.
    const idToken = store.getState().stepper.runs.find((r) => r.id === 'login')!.outcome.tokens.find((t) => t.label === 'ID token')!.token;
    await store.getState().openIssuerToken(idToken);
    expect(store.getState().tokenOrigin).toMatchObject({ token: idToken, kind: 'id_token', refresh: { token: refresh } });
    const freshId = await store.getState().refreshTokenFromIssuer();
    if (!freshId.ok) throw new Error(freshId.message);
    expect([claim(freshId.token, 'aud'), claim(freshId.token, 'sid')]).toEqual(['workbench', familyId]);
    expect(claim(freshId.token, 'at_hash')).toEqual(expect.any(String));

    // A token the issuer did not sign (its header changed, same claims) gets no origin, though its iss is the issuer's.
    const [, body, signature] = access.split('.');
    const forged = `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'forged' })).toString('base64url')}.${body}.${signature}`;
    await store.getState().openIssuerToken(forged);
    expect(store.getState().input).toBe(forged);
    expect(store.getState().tokenOrigin).toBeNull();
  });

  it('Refresh: a new access token from the token endpoint, verified with the issuer’s JWKS; the refresh token rotates, and the Stepper keeps up', async () => {
    const { store, calls } = setup();
    await loggedIn(store);
    const { access, refresh } = store.getState().stepper.state;
    if (access === null || refresh === null) throw new Error('not logged in');
    await store.getState().openIssuerToken(access);

    calls.length = 0;
    const outcome = await store.getState().refreshTokenFromIssuer();
    if (!outcome.ok) throw new Error(outcome.message);
    const fresh = outcome.token;
    expect(fresh).not.toBe(access);
    expect(claim(fresh, 'jti')).not.toBe(claim(access, 'jti'));
    expect(claim(fresh, 'sid')).toBe(claim(access, 'sid'));
    expect(store.getState().input).toBe(fresh);
    // Through the contract: the token endpoint with grant_type=refresh_token, as a form.
    const grant = calls.find((c) => c.method === 'issuer.request' && (c.request as RequestOf<'issuer.request'>).path === '/token')!.request as RequestOf<'issuer.request'>;
    expect(grant.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(grant.body))).toEqual({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'workbench' });

    const origin = store.getState().tokenOrigin;
    expect(origin?.token).toBe(fresh);
    expect(origin?.refresh?.token).not.toBe(refresh);
    expect(store.getState().stepper.state.refresh).toBe(origin?.refresh?.token);
    // Verified as "Open in debugger" does: the issuer's JWKS, the issuer's time.
    expect(store.getState().keySource).toBe('jwks');
    await vi.waitFor(
      () => {
        const verification = store.getState().verification;
        expect(verification.status === 'done' && verification.result.valid && verification.result.ok).toBe(true);
      },
      { timeout: 10_000, interval: 20 },
    );
    // The Stepper's next rotation uses the refresh token the debugger got, so it is not taken for a reuse.
    for (const step of ['call-resource', 'advance-clock', 'resource-401', 'refresh']) expect((await store.getState().runStepperStep(step))?.status, step).toBe('passed');
    expect(store.getState().stepper.state.refresh).not.toBe(origin?.refresh?.token);
    // And the debugger, in turn, refreshes with the Stepper's newest one.
    const again = await store.getState().refreshTokenFromIssuer();
    expect(again).toMatchObject({ ok: true });
  });

  it('reports a reused refresh token, a revoked family and a stopped issuer specifically, and leaves the token as it was', async () => {
    const { store, host } = setup();
    await loggedIn(store);
    const { access } = store.getState().stepper.state;
    if (access === null) throw new Error('not logged in');
    await store.getState().openIssuerToken(access);
    const first = await store.getState().refreshTokenFromIssuer();
    if (!first.ok) throw new Error(first.message);

    // Someone else presents the current refresh token first: the debugger's copy is then a replayed one.
    const current = store.getState().tokenOrigin!.refresh!.token;
    expect((await refreshElsewhere(host, current)).status).toBe(200);
    const reused = await store.getState().refreshTokenFromIssuer();
    expect(reused).toEqual({ ok: false, message: expect.stringMatching(/^Refresh refused by the issuer: 400 invalid_grant — refresh token was already used: reuse detected/) });
    expect(store.getState().input).toBe(first.token);
    expect(store.getState().tokenOrigin?.token).toBe(first.token);
    // Reuse detection revoked the whole family.
    expect(await store.getState().refreshTokenFromIssuer()).toEqual({ ok: false, message: 'Refresh refused by the issuer: 400 invalid_grant — refresh token has been revoked' });

    expect(await store.getState().stopIssuer()).toMatchObject({ running: false });
    expect(await store.getState().refreshTokenFromIssuer()).toEqual({ ok: false, message: 'Refresh failed: the mock issuer is not running (start it in the Issuer view)' });
    expect(store.getState().input).toBe(first.token);
  });

  it('a family revoked in the Issuer view: Refresh says so', async () => {
    const { store } = setup();
    await loggedIn(store);
    const { access, familyId } = store.getState().stepper.state;
    if (access === null || familyId === null) throw new Error('not logged in');
    await store.getState().openIssuerToken(access);
    expect(await store.getState().revokeIssuerFamily(familyId)).toBe(true);
    expect(await store.getState().refreshTokenFromIssuer()).toEqual({ ok: false, message: 'Refresh refused by the issuer: 400 invalid_grant — refresh token has been revoked' });
    expect(store.getState().input).toBe(access);
  });

  it('no refresh token for what is not the Stepper’s login, and nothing to refresh without an origin', async () => {
    const { store } = setup();
    await loggedIn(store);
    const { access } = store.getState().stepper.state;
    if (access === null) throw new Error('not logged in');
    store.getState().setInput(access);
    expect(await store.getState().refreshTokenFromIssuer()).toEqual({ ok: false, message: expect.stringContaining('nothing to refresh it with') });
    // A later login of the Stepper is another family: the first login's token has nothing to refresh with.
    expect((await store.getState().runStepperStep('call-resource'))?.status).toBe('passed');
    store.setState((s) => ({ stepper: { ...s.stepper, state: { ...s.stepper.state, familyId: 'another-family' } } }));
    await store.getState().openIssuerToken(access);
    expect(store.getState().tokenOrigin).toMatchObject({ token: access, refresh: null });
  });
});
