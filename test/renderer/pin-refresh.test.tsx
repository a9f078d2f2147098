// Refresh for a pinned token from the mock issuer, in the page: the expiry notice's "Refresh token" button,
// a click on the page's Notification, and Electron's notification click (main → page event) all get a new
// token from the issuer's token endpoint and pin it again; an edit of the token takes Refresh away; a
// refusal is reported in the notice. The host is a fake that answers at once (issuer-view.test.tsx style).
import { act, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodName, RequestOf, Result } from '../../shared/contract';
import { App } from '../../renderer/src/App';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { WorkbenchStore } from '../../renderer/src/store';
import type { TokenOrigin } from '../../renderer/src/store/issuer-slice';
import { WorkbenchProvider } from '../../renderer/src/store/context';
import { fakeAppEvents, makeToken } from './harness';

const ISSUER = 'http://127.0.0.1:4567';
const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** An access token of the issuer's that expires in 30 s: its notice is due at once (60 s before exp). */
const accessToken = (jti: string) => makeToken({ alg: 'ES256', typ: 'at+jwt', kid: 'kid-1' }, { iss: ISSUER, sub: 'stepper', sid: 'fam-1', jti, exp: nowSeconds() + 30 });

type Responder = (method: MethodName, request: unknown) => Result<unknown> | undefined;

/** The issuer's token endpoint rotating rt-n → rt-(n+1), each time with a new access token. */
function issuerAnswers(tokenEndpoint?: () => Result<unknown>): { respond: Responder; grants: Array<Record<string, string>>; issued: string[] } {
  const grants: Array<Record<string, string>> = [];
  const issued: string[] = [];
  const respond: Responder = (method, request) => {
    if (method === 'issuer.request') {
      const r = request as RequestOf<'issuer.request'>;
      if (r.path === '/token') {
        const form = Object.fromEntries(new URLSearchParams(r.body));
        grants.push(form);
        if (tokenEndpoint) return tokenEndpoint();
        const token = accessToken(`j${grants.length + 1}`);
        issued.push(token);
        return ok({ status: 200, headers: {}, body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 30, refresh_token: `rt-${grants.length + 1}` }), ms: 1 });
      }
      if (r.path === '/jwks') return ok({ status: 200, headers: {}, body: '{"keys":[]}', ms: 1 });
    }
    if (method === 'issuer.clock') return ok({ now: nowSeconds(), adjustable: true });
    if (method === 'app.info') return ok({ name: 'JWT Workbench', version: '1', transport: 'http', platform: 'linux' });
    return undefined;
  };
  return { respond, grants, issued };
}

function renderApp(respond: Responder) {
  const calls: Array<{ method: MethodName; request: unknown }> = [];
  const host = {
    call: async <M extends MethodName>(method: M, request: RequestOf<M>) => {
      calls.push({ method, request });
      return (respond(method, request) ?? { ok: false, error: { code: 'not-wired', message: `${method} not in this test` } }) as never;
    },
  };
  const store = createWorkbenchStore({ host, verifyDelayMs: 60_000, historyDelayMs: 60_000 });
  const user = userEvent.setup();
  render(
    <WorkbenchProvider store={store}>
      <App />
    </WorkbenchProvider>,
  );
  return { store, user, calls };
}

/** The token in the debugger as "Open in debugger" leaves it: with its origin (the Stepper's login, refresh token rt-1). */
function openFromIssuer(store: WorkbenchStore, token: string): TokenOrigin {
  const origin: TokenOrigin = { token, issuer: ISSUER, kind: 'access_token', refresh: { token: 'rt-1', clientId: 'workbench', familyId: 'fam-1' } };
  act(() => {
    store.getState().setInput(token);
    store.setState({ tokenOrigin: origin });
  });
  return origin;
}

async function pinFromPalette(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await user.keyboard('{Control>}k{/Control}');
  await user.keyboard('pin{Enter}');
}

const notice = () => document.querySelector('.desktop-notice[role="status"]')?.textContent ?? '';
const refreshButton = () => screen.queryByRole('button', { name: 'Refresh token' });

afterEach(() => {
  Reflect.deleteProperty(window, 'workbench');
  Reflect.deleteProperty(window, 'workbenchEvents');
  vi.unstubAllGlobals();
});

describe('Refresh for a pinned mock-issuer token', () => {
  it('the expiry notice’s Refresh token puts a new token in, pins it again; an edit takes Refresh away', async () => {
    const answers = issuerAnswers();
    const { store, user } = renderApp(answers.respond);
    const first = accessToken('j1');
    openFromIssuer(store, first);
    await pinFromPalette(user);
    // Due at once: the notice says so, with Refresh.
    await waitFor(() => expect(refreshButton()).not.toBeNull());
    expect(notice()).toMatch(/^The pinned token expires at /);

    await user.click(refreshButton()!);
    await waitFor(() => expect(store.getState().input).toBe(answers.issued[0]));
    expect(answers.grants).toEqual([{ grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'workbench' }]);
    expect(store.getState().tokenOrigin).toMatchObject({ token: answers.issued[0], refresh: { token: 'rt-2' } });
    // Verified with the issuer's JWKS, as "Open in debugger" does.
    expect(store.getState().keySource).toBe('jwks');
    // Pinned again: the new token's notice (due at once too) offers Refresh, which now presents rt-2.
    await waitFor(() => expect(refreshButton()).not.toBeNull());
    await user.click(refreshButton()!);
    await waitFor(() => expect(store.getState().input).toBe(answers.issued[1]));
    expect(answers.grants[1]).toMatchObject({ refresh_token: 'rt-2' });
    await waitFor(() => expect(refreshButton()).not.toBeNull());

    // An edit of the payload: another token, no origin, no Refresh.
    act(() => store.getState().editPayload(store.getState().payloadText.replace('"stepper"', '"edited"')));
    expect(store.getState().tokenOrigin).toBeNull();
    expect(refreshButton()).toBeNull();
    expect(notice()).toMatch(/^The pinned token expires at /);
  });

  it('a token without an origin is pinned without Refresh', async () => {
    const { store, user } = renderApp(issuerAnswers().respond);
    act(() => store.getState().setInput(accessToken('typed')));
    await pinFromPalette(user);
    await waitFor(() => expect(notice()).toMatch(/^The pinned token expires at /));
    expect(refreshButton()).toBeNull();
  });

  it('reports the issuer’s refusal in the notice and keeps the token', async () => {
    const refusal = ok({ status: 400, headers: {}, body: JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token was already used: reuse detected, every token of its family is revoked' }), ms: 1 });
    const { store, user } = renderApp(issuerAnswers(() => refusal).respond);
    const first = accessToken('j1');
    openFromIssuer(store, first);
    await pinFromPalette(user);
    await waitFor(() => expect(refreshButton()).not.toBeNull());
    await user.click(refreshButton()!);
    await waitFor(() => expect(notice()).toContain('Refresh refused by the issuer: 400 invalid_grant — refresh token was already used: reuse detected'));
    expect(store.getState().input).toBe(first);
    expect(refreshButton()).toBeNull();
  });

  it('in the browser, a click on the page’s notification refreshes', async () => {
    const shown: Array<{ title: string; body: string; instance: { onclick: (() => void) | null } }> = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = vi.fn(async () => 'granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        shown.push({ title, body: options.body, instance: this });
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification);
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {});
    const answers = issuerAnswers();
    const { store, user } = renderApp(answers.respond);
    openFromIssuer(store, accessToken('j1'));
    await pinFromPalette(user);
    await waitFor(() => expect(shown).toHaveLength(1));
    expect(shown[0]!.body).toMatch(/^The pinned token expires at .*\. Click to refresh it from the mock issuer\.$/);
    act(() => shown[0]!.instance.onclick!());
    await waitFor(() => expect(store.getState().input).toBe(answers.issued[0]));
    expect(focus).toHaveBeenCalled();
    focus.mockRestore();
  });

  it('in Electron, the notification asks for the action, and main’s click event refreshes', async () => {
    const listeners = fakeAppEvents();
    const notifications: Array<RequestOf<'app.notify'>> = [];
    Object.defineProperty(window, 'workbench', {
      configurable: true,
      value: {
        'app.notify': async (request: RequestOf<'app.notify'>) => {
          notifications.push(request);
          return ok({ shown: true });
        },
        'app.pendingOpen': async () => ok({ opens: [] }),
      },
    });
    const answers = issuerAnswers();
    const { store, user } = renderApp(answers.respond);
    act(() => store.getState().setInput(accessToken('plain')));
    await pinFromPalette(user);
    await waitFor(() => expect(notifications).toHaveLength(1));
    // Nothing to refresh: no action asked for.
    expect(notifications[0]!.action).toBeUndefined();

    openFromIssuer(store, accessToken('j1'));
    await pinFromPalette(user);
    await waitFor(() => expect(notifications).toHaveLength(2));
    expect(notifications[1]).toMatchObject({ action: 'refresh-token', body: expect.stringContaining('Click to refresh it') });
    act(() => listeners.forEach((l) => l({ type: 'notification', action: 'refresh-token' })));
    await waitFor(() => expect(store.getState().input).toBe(answers.issued[0]));
    expect(answers.grants).toHaveLength(1);

    // The token changed since: the click says there is nothing to refresh, and nothing is sent.
    act(() => store.getState().setInput(accessToken('typed')));
    act(() => listeners.forEach((l) => l({ type: 'notification', action: 'refresh-token' })));
    await waitFor(() => expect(notice()).toContain('Nothing to refresh'));
    expect(answers.grants).toHaveLength(1);
  });
});
