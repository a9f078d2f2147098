// The Issuer and Stepper views against a fake host: what they send for each user action, and what they
// show for each answer (running status, specific errors, the timeline, tokens decoded in place).
import { createHash } from 'node:crypto';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IssuerRunning, IssuerStatus } from '../../shared/contract/issuer';
import type { MethodName, RequestOf, Result } from '../../shared/contract';
import { createWorkbenchStore } from '../../renderer/src/store';
import { WorkbenchProvider } from '../../renderer/src/store/context';
import { OPEN_TOKEN_EVENT } from '../../renderer/src/issuer/open-token';
import { IssuerView } from '../../renderer/src/views/IssuerView';
import { StepperView } from '../../renderer/src/views/StepperView';
import { DEFAULT_SETTINGS_VIEW } from '../../renderer/src/issuer/defaults';
import { makeToken } from './harness';

type Responder = (method: MethodName, request: unknown) => Result<unknown> | undefined;

/** A host that answers at once through `respond`, recording every call. Unanswered methods fail `not-wired`. */
function autoHost(respond: Responder) {
  const calls: Array<{ method: MethodName; request: unknown }> = [];
  return {
    calls,
    callsTo: (method: MethodName) => calls.filter((c) => c.method === method),
    call: async <M extends MethodName>(method: M, request: RequestOf<M>) => {
      calls.push({ method, request });
      return (respond(method, request) ?? { ok: false, error: { code: 'not-wired', message: `${method} not in this test` } }) as never;
    },
  };
}

const RUNNING: IssuerRunning = {
  running: true,
  issuer: 'http://127.0.0.1:4567',
  discoveryUrl: 'http://127.0.0.1:4567/.well-known/openid-configuration',
  endpoints: {
    discovery: 'http://127.0.0.1:4567/.well-known/openid-configuration', jwks: 'http://127.0.0.1:4567/jwks', token: 'http://127.0.0.1:4567/token',
    authorize: 'http://127.0.0.1:4567/authorize', revoke: 'http://127.0.0.1:4567/revoke', introspect: 'http://127.0.0.1:4567/introspect',
    userinfo: 'http://127.0.0.1:4567/userinfo', resource: 'http://127.0.0.1:4567/resource/me', login: 'http://127.0.0.1:4567/auth/login',
    refresh: 'http://127.0.0.1:4567/auth/refresh', logout: 'http://127.0.0.1:4567/auth/logout',
  },
  clients: { workbench: null, 'resource-server': 'rs-secret' },
  keySource: 'memory',
  keys: [{ kid: 'kid-1', alg: 'ES256', symmetric: false, status: 'current', createdAt: 0, retiredAt: null, publishedUntil: null }],
  settings: DEFAULT_SETTINGS_VIEW,
  now: 1_704_067_200,
  startedAt: 1_704_067_200,
};
const STOPPED: IssuerStatus = { running: false, notice: null };
const ok = <T,>(value: T): Result<T> => ({ ok: true, value });

function renderView(view: 'issuer' | 'stepper', respond: Responder) {
  const host = autoHost(respond);
  const store = createWorkbenchStore({ host, verifyDelayMs: 10 });
  const user = userEvent.setup();
  render(<WorkbenchProvider store={store}>{view === 'issuer' ? <IssuerView /> : <StepperView />}</WorkbenchProvider>);
  return { host, store, user };
}

/** Answers of a running issuer's read methods. */
function runningReads(method: MethodName): Result<unknown> | undefined {
  if (method === 'issuer.status') return ok(RUNNING);
  if (method === 'issuer.families') return ok({ families: [], familiesWithSeveralLiveTokens: 0 });
  if (method === 'issuer.users') return ok({ users: [{ name: 'demo', claims: { roles: ['user'] }, ver: 1, createdAt: 0, updatedAt: 0 }] });
  if (method === 'issuer.log') return ok({ entries: [] });
  if (method === 'keys.status') return ok({ state: 'needs-setup', protection: null, setupChoices: [], privateExport: [], keyCount: null, notice: null });
  return undefined;
}

afterEach(() => vi.useRealTimers());

describe('IssuerView', () => {
  it('starts the issuer with the form’s settings and then shows its discovery URL, users and a stop button', async () => {
    let running = false;
    const { host, user } = renderView('issuer', (method) => {
      if (method === 'issuer.start') {
        running = true;
        return ok(RUNNING);
      }
      if (method === 'issuer.status') return ok(running ? RUNNING : STOPPED);
      return runningReads(method);
    });
    await screen.findByRole('button', { name: 'Start issuer' });
    await user.clear(screen.getByLabelText(/Access token lifetime/));
    await user.type(screen.getByLabelText(/Access token lifetime/), '60');
    await user.click(screen.getByLabelText(/Cookie mode/));
    await user.click(screen.getByRole('button', { name: 'Start issuer' }));
    const start = host.callsTo('issuer.start')[0]!.request as RequestOf<'issuer.start'>;
    expect(start).toMatchObject({ port: 0, alg: 'ES256', settings: { accessTokenTtl: 60, cookieMode: true, rotation: true, graceWindow: 0 } });
    expect((await screen.findByTestId('discovery-url')).textContent).toContain(RUNNING.discoveryUrl);
    expect(await screen.findByText('{"roles":["user"]}')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Stop issuer' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('refuses a bad port or lifetime in the form without calling the host', async () => {
    const { host, user } = renderView('issuer', (method) => (method === 'issuer.status' ? ok(STOPPED) : runningReads(method)));
    await user.type(await screen.findByLabelText('Port'), 'abc');
    await user.click(screen.getByRole('button', { name: 'Start issuer' }));
    expect(screen.getByRole('alert').textContent).toContain('Port must be a whole number');
    await user.clear(screen.getByLabelText('Port'));
    await user.clear(screen.getByLabelText(/Access token lifetime/));
    await user.click(screen.getByRole('button', { name: 'Start issuer' }));
    expect(screen.getByRole('alert').textContent).toContain('Access token lifetime must be a whole number of at least 1');
    expect(host.callsTo('issuer.start')).toHaveLength(0);
  });

  it('registers redirect URIs of the workbench client from the form, refusing a line that is not an http(s) URL', async () => {
    const { host, user } = renderView('issuer', (method) => (method === 'issuer.status' ? ok(STOPPED) : method === 'issuer.start' ? ok(RUNNING) : runningReads(method)));
    const field = await screen.findByLabelText(/Redirect URIs of the workbench client/);
    await user.type(field, 'app.example.test/callback');
    await user.click(screen.getByRole('button', { name: 'Start issuer' }));
    expect(screen.getByRole('alert').textContent).toContain('Redirect URIs: app.example.test/callback is not an absolute http(s) URL');
    expect(host.callsTo('issuer.start')).toHaveLength(0);

    await user.clear(field);
    await user.type(field, 'https://app.example.test/callback{Enter}{Enter}  https://other.example.test/cb  ');
    await user.click(screen.getByRole('button', { name: 'Start issuer' }));
    const start = host.callsTo('issuer.start')[0]!.request as RequestOf<'issuer.start'>;
    expect(start.settings?.redirectUris).toEqual({ workbench: ['https://app.example.test/callback', 'https://other.example.test/cb'] });
  });

  it('shows the host’s specific error when the start fails', async () => {
    const { user } = renderView('issuer', (method) => {
      if (method === 'issuer.status') return ok(STOPPED);
      if (method === 'issuer.start') return { ok: false, error: { code: 'listen-failed', message: 'cannot listen on 127.0.0.1:80 (issuer): EACCES' } };
      return runningReads(method);
    });
    await user.click(await screen.findByRole('button', { name: 'Start issuer' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The issuer did not start: cannot listen on 127.0.0.1:80 (issuer): EACCES');
    expect(alert.textContent).toContain('(listen-failed)');
  });

  it('lists families with each refresh token’s state, and revokes a family by id', async () => {
    const family = {
      id: 'fam-1', user: 'demo', clientId: 'workbench', scope: 'openid', deviceBound: false, status: 'active' as const, revokeReason: null, revokedAt: null,
      createdAt: 0, authTime: 0, lastUsedAt: 0, absoluteExpiresAt: 0, endsAt: 0, rotations: 1, liveTokens: 1, accessTokens: 2, tokenCount: 2,
      tokens: [
        { id: 'rt:aaa', parent: null, replacedBy: 'rt:bbb', state: 'rotated' as const, issuedAt: 0, expiresAt: 10, rotatedAt: 5 },
        { id: 'rt:bbb', parent: 'rt:aaa', replacedBy: null, state: 'active' as const, issuedAt: 5, expiresAt: 15, rotatedAt: null },
      ],
    };
    const { host, user } = renderView('issuer', (method) => {
      if (method === 'issuer.families') return ok({ families: [family], familiesWithSeveralLiveTokens: 0 });
      if (method === 'issuer.revokeFamily') return ok({ family: { ...family, status: 'revoked' } });
      return runningReads(method);
    });
    const chain = await screen.findByRole('list', { name: 'Refresh tokens of family fam-1' });
    expect(within(chain).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['rt:aaa: rotated', 'rt:bbb: active']);
    await user.click(screen.getByRole('button', { name: 'Revoke family' }));
    expect(host.callsTo('issuer.revokeFamily').map((c) => c.request)).toEqual([{ id: 'fam-1' }]);
  });

  it('advances the clock and rotates keys through the host', async () => {
    const { host, user } = renderView('issuer', (method) => {
      if (method === 'issuer.clock') return ok({ now: RUNNING.now + 900, adjustable: true });
      if (method === 'issuer.rotateKeys') return ok({ current: { kid: 'kid-2', alg: 'ES256' }, keys: [] });
      return runningReads(method);
    });
    await user.click(await screen.findByRole('button', { name: 'Advance +15 min' }));
    await user.click(screen.getByRole('button', { name: 'Rotate signing key' }));
    expect(host.callsTo('issuer.clock').map((c) => c.request)).toEqual([{ advance: 900 }]);
    expect(host.callsTo('issuer.rotateKeys')).toHaveLength(1);
  });
});

describe('StepperView', () => {
  const access = makeToken({ alg: 'ES256', kid: 'kid-1', typ: 'at+jwt' }, { sub: 'stepper', jti: 'j1', exp: 1_704_068_100 });
  // The login's ID token, bound to that access token (at_hash: the left half of its SHA-256, OIDC Core §3.2.2.9).
  const atHash = createHash('sha256').update(access).digest().subarray(0, 16).toString('base64url');
  const idToken = makeToken({ alg: 'ES256', kid: 'kid-1' }, { sub: 'stepper', aud: 'workbench', at_hash: atHash, exp: 1_704_068_100 });

  function stepperHost(method: MethodName, request: unknown): Result<unknown> | undefined {
    if (method === 'issuer.settings.put') return ok(RUNNING.settings);
    if (method === 'issuer.users.put') return ok({ user: { name: 'stepper', claims: {}, ver: 1, createdAt: 0, updatedAt: 0 }, created: true, revokedFamilies: 0 });
    if (method === 'issuer.clock') return ok({ now: RUNNING.now, adjustable: true });
    if (method === 'issuer.families') return ok({ families: [{ id: 'fam-1' }], familiesWithSeveralLiveTokens: 0 });
    if (method === 'issuer.request') {
      const r = request as RequestOf<'issuer.request'>;
      if (r.path === '/auth/login') return ok({ status: 200, headers: {}, body: JSON.stringify({ accessToken: access, refreshToken: 'rt-1', idToken, expiresIn: 900 }), ms: 1 });
      if (r.path === '/resource/me') return ok({ status: 200, headers: {}, body: JSON.stringify({ sub: 'stepper', kid: 'kid-1' }), ms: 1 });
    }
    return runningReads(method);
  }

  it('runs steps one at a time: each says what happened and why, the timeline grows, tokens decode in place', async () => {
    const { host, store, user } = renderView('stepper', stepperHost);
    await user.click(await screen.findByRole('button', { name: 'Next: Prepare the issuer' }));
    await user.click(await screen.findByRole('button', { name: 'Next: Log in' }));
    await screen.findByRole('button', { name: 'Next: Call the protected resource' });

    const login = host.callsTo('issuer.request')[0]!.request as RequestOf<'issuer.request'>;
    expect(login).toMatchObject({ method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(login.body!)).toEqual({ username: 'stepper', password: 'stepper-demo-password', clientId: 'workbench', scope: 'openid profile' });

    expect(screen.getByTestId('outcome-login').textContent).toContain('access token signed by kid kid-1');
    const loginCard = screen.getByRole('list', { name: 'Steps' }).querySelector('[data-step-id="login"]')!;
    expect(loginCard.getAttribute('data-status')).toBe('passed');
    expect(loginCard.textContent).toContain('RFC 9068 §2');

    const timeline = screen.getByRole('list', { name: 'Sequence of messages' });
    const steps = timeline.querySelectorAll('.iss-sequence-step');
    expect([...steps].map((s) => s.getAttribute('data-step-id'))).toEqual(['prepare', 'login']);
    expect(steps[1]!.textContent).toContain('POST /auth/login (stepper)');
    expect(steps[1]!.textContent).toContain('200 access, refresh and ID token');
    // The ID token was checked against the access token.
    expect(screen.getByTestId('outcome-login').textContent).toMatch(/at_hash/);

    // Decoded in place, and handed to the debugger on request.
    expect(screen.getByLabelText('access token payload').textContent).toContain('"jti": "j1"');
    const opened = vi.fn();
    window.addEventListener(OPEN_TOKEN_EVENT, opened);
    // The access token's button (the ID token's follows it).
    await user.click(screen.getAllByRole('button', { name: 'Open in debugger' })[0]!);
    window.removeEventListener(OPEN_TOKEN_EVENT, opened);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(store.getState().input).toBe(access);
  });

  it('a step whose expectation fails is shown as failed with the reason, and Next stays on it', async () => {
    const { user } = renderView('stepper', (method, request) => {
      const r = request as RequestOf<'issuer.request'>;
      if (method === 'issuer.request' && r.path === '/auth/login') {
        return ok({ status: 429, headers: { 'retry-after': '30' }, body: JSON.stringify({ error: 'slow_down', error_description: 'too many login attempts' }), ms: 1 });
      }
      return stepperHost(method, request);
    });
    await user.click(await screen.findByRole('button', { name: 'Run all remaining steps' }));
    await waitFor(() => expect(screen.getByTestId('outcome-login').textContent).toContain('login was refused: 429 slow_down: too many login attempts'));
    expect(screen.getByRole('list', { name: 'Steps' }).querySelector('[data-step-id="login"]')!.getAttribute('data-status')).toBe('failed');
    expect((screen.getByRole('button', { name: 'Next: Log in' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByRole('list', { name: 'Steps' }).querySelector('[data-step-id="call-resource"]')!.getAttribute('data-status')).toBe('pending');
  });

  it('disables a step that cannot run yet, saying which step to run first, and enables it once that step ran', async () => {
    const { host, store, user } = renderView('stepper', stepperHost);
    const steps = await screen.findByRole('list', { name: 'Steps' });
    const reason = (button: HTMLElement) => {
      const id = button.getAttribute('aria-describedby');
      return id === null ? null : document.getElementById(id)?.textContent ?? null;
    };
    const runButton = (id: string) => within(steps.querySelector(`[data-step-id="${id}"]`) as HTMLElement).getByRole('button', { name: /^Run step:/ }) as HTMLButtonElement;
    await waitFor(() => expect(runButton('prepare').disabled).toBe(false));
    for (const id of ['login', 'call-resource', 'attacks-disable']) {
      expect(runButton(id).disabled, id).toBe(true);
      expect(reason(runButton(id)), id).toBe('Run step 1 first');
      expect(runButton(id).title).toBe('Run step 1 first');
    }
    // Even when invoked anyway, a blocked step is not run (no request, no "failed" entry).
    const before = host.calls.length;
    expect(await act(() => store.getState().runStepperStep('call-resource'))).toBeNull();
    expect(host.calls.length).toBe(before);
    expect(steps.querySelector('[data-step-id="call-resource"]')!.getAttribute('data-status')).toBe('pending');

    await user.click(runButton('prepare'));
    await waitFor(() => expect(runButton('login').disabled).toBe(false));
    expect(reason(runButton('login'))).toBeNull();
    expect(reason(runButton('call-resource'))).toBe('Run step 2 first');
    expect(screen.queryByRole('list', { name: 'Sequence of messages' })!.querySelectorAll('[data-status="failed"]')).toHaveLength(0);
  });

  it('opens a token in the debugger with the issuer’s JWKS as the key and its virtual time as the clock', async () => {
    const jwks = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', kid: 'kid-1', x: 'x', y: 'y', use: 'sig', alg: 'ES256' }] });
    const virtualNow = RUNNING.now + 960;
    const { host, store, user } = renderView('stepper', (method, request) => {
      if (method === 'issuer.request' && (request as RequestOf<'issuer.request'>).path === '/jwks') return ok({ status: 200, headers: {}, body: jwks, ms: 1 });
      if (method === 'issuer.clock') return ok({ now: virtualNow, adjustable: true });
      return stepperHost(method, request);
    });
    // The debugger had an unrelated secret and the system clock.
    store.getState().verifyWithSecret('an-unrelated-secret');
    await user.click(await screen.findByRole('button', { name: 'Next: Prepare the issuer' }));
    await user.click(await screen.findByRole('button', { name: 'Next: Log in' }));
    const opened = vi.fn();
    window.addEventListener(OPEN_TOKEN_EVENT, opened);
    await user.click((await screen.findAllByRole('button', { name: 'Open in debugger' }))[0]!);
    await waitFor(() => expect(opened).toHaveBeenCalledTimes(1));
    window.removeEventListener(OPEN_TOKEN_EVENT, opened);
    const state = store.getState();
    expect(state.input).toBe(access);
    expect(state.keySource).toBe('jwks');
    expect(state.keyText).toBe(jwks);
    expect(state.nowOverride).toBe(virtualNow);
    expect(host.callsTo('issuer.request').map((c) => (c.request as RequestOf<'issuer.request'>).path)).toContain('/jwks');
  });

  it('Reset clears the steps and puts the issuer’s clock back to real time', async () => {
    const { host, user } = renderView('stepper', stepperHost);
    await user.click(await screen.findByRole('button', { name: 'Next: Prepare the issuer' }));
    await screen.findByRole('button', { name: 'Next: Log in' });
    const statusCalls = host.callsTo('issuer.status').length;
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(host.callsTo('issuer.clock').map((c) => c.request)).toContainEqual({ reset: true }));
    await waitFor(() => expect(host.callsTo('issuer.status').length).toBeGreaterThan(statusCalls));
    expect(await screen.findByRole('button', { name: 'Next: Prepare the issuer' })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Sequence of messages' })).toBeNull();
  });

  it('the timeline keeps its lane headers in its scroll box and follows the newest step unless scrolled up', async () => {
    const { user } = renderView('stepper', stepperHost);
    const box = screen.getByTestId('timeline-scroll');
    expect(box.querySelector(':scope > .iss-lanes')).not.toBeNull();
    // jsdom lays nothing out: give the box a 630 px window on content that grows with each step.
    let top = 0;
    let height = 630;
    Object.defineProperty(box, 'clientHeight', { configurable: true, get: () => 630 });
    Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => height });
    Object.defineProperty(box, 'scrollTop', { configurable: true, get: () => top, set: (v: number) => void (top = v) });

    height = 1460;
    await user.click(await screen.findByRole('button', { name: 'Next: Prepare the issuer' }));
    await screen.findByRole('button', { name: 'Next: Log in' });
    expect(top).toBe(1460);

    // The user scrolls up to read: a new step does not pull the box away from what they read.
    top = 100;
    act(() => void box.dispatchEvent(new Event('scroll')));
    height = 1800;
    await user.click(screen.getByRole('button', { name: 'Next: Log in' }));
    await screen.findByRole('button', { name: 'Next: Call the protected resource' });
    expect(top).toBe(100);

    // Back at the bottom, it follows again.
    top = height - 630;
    act(() => void box.dispatchEvent(new Event('scroll')));
    height = 2100;
    await user.click(screen.getByRole('button', { name: 'Next: Call the protected resource' }));
    await screen.findByRole('button', { name: /^Next: Advance the clock/ });
    expect(top).toBe(2100);
  });

  it('offers to start a stopped issuer, and the first step explains that it is not running', async () => {
    const { host, user } = renderView('stepper', (method) => (method === 'issuer.status' ? ok(STOPPED) : undefined));
    expect((await screen.findByRole('note')).textContent).toContain('The issuer is not running');
    await user.click(screen.getByRole('button', { name: 'Next: Prepare the issuer' }));
    expect((await screen.findByTestId('outcome-prepare')).textContent).toContain('the issuer is not running: start it first');
    await user.click(screen.getByRole('button', { name: 'Start it with default settings' }));
    await act(async () => {});
    expect(host.callsTo('issuer.start').map((c) => c.request)).toEqual([{}]);
  });
});
