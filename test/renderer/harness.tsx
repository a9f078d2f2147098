/**
 * Renders the app against a fake host. The fake answers each call only when the test says so, so a
 * test controls timing and order (stale responses) and sees exactly what the renderer sent.
 */
import { render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { App } from '../../renderer/src/App';
import type { HostClient } from '../../renderer/src/host-client';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { WorkbenchStore } from '../../renderer/src/store';
import { WorkbenchProvider } from '../../renderer/src/store/context';
import type { MethodName, RequestOf, ResponseOf, Result } from '../../shared/contract';
import type { AppEvent } from '../../shared/contract/desktop';
import { encodeBase64urlText } from '../../shared/core/base64url';
import type { VerifyResult } from '../../shared/core/verify-types';

export interface HostCall<M extends MethodName = MethodName> {
  method: M;
  request: RequestOf<M>;
  respond(result: Result<ResponseOf<M>>): void;
  fail(error: Error): void;
}

export interface FakeHost extends HostClient {
  calls: HostCall[];
  callsTo<M extends MethodName>(method: M): HostCall<M>[];
}

/** A host whose calls wait until the test responds; `app.info` answers at once unless `manualAppInfo`. */
export function createFakeHost(options: { manualAppInfo?: boolean } = {}): FakeHost {
  const calls: HostCall[] = [];
  const call = (method: MethodName, request: unknown) =>
    new Promise<Result<unknown>>((resolve, reject) => {
      const entry = { method, request, respond: resolve, fail: reject } as unknown as HostCall;
      calls.push(entry);
      if (method === 'app.info' && !options.manualAppInfo) entry.respond({ ok: true, value: APP_INFO } as never);
    });
  return {
    calls,
    call: call as HostClient['call'],
    callsTo: <M extends MethodName>(method: M) => calls.filter((c): c is HostCall<M> => c.method === method),
  };
}

export const APP_INFO: ResponseOf<'app.info'> = {
  name: 'JWT Workbench',
  version: '9.8.7',
  transport: 'http',
  platform: 'linux',
};

const stores: WorkbenchStore[] = [];

export function disposeStores(): void {
  for (const store of stores.splice(0)) {
    store.getState().cancelVerify();
    store.getState().clearHistory();
  }
}

/** A fixed clock, 2024-01-01T00:00:00Z, so time rules give the same answer every run. */
export const NOW = 1_704_067_200;

export function renderApp(options: { host?: FakeHost; now?: number; clock?: () => number; verifyDelayMs?: number; historyDelayMs?: number } = {}) {
  const host = options.host ?? createFakeHost();
  const now = options.now ?? NOW;
  const store = createWorkbenchStore({
    host,
    // `clock`: a clock the test moves (the claim checks follow it); else a fixed `now`.
    now: options.clock ?? (() => now),
    verifyDelayMs: options.verifyDelayMs ?? 10,
    historyDelayMs: options.historyDelayMs ?? 10,
  });
  stores.push(store);
  const user = userEvent.setup();
  const view = render(
    <WorkbenchProvider store={store}>
      <App />
    </WorkbenchProvider>,
  );
  return { ...view, host, store, user };
}

/** A compact JWS from JSON values; the signature is any base64url text (the fake host judges it). */
export function makeToken(header: object, payload: object, signature = 'c2lnbmF0dXJl'): string {
  return `${encodeBase64urlText(JSON.stringify(header))}.${encodeBase64urlText(JSON.stringify(payload))}.${signature}`;
}

export function verifyResult(overrides: Partial<VerifyResult>): VerifyResult {
  return {
    valid: true,
    alg: 'HS256',
    kid: null,
    reason: null,
    message: 'The signature matches the key.',
    key: { kid: null, thumbprint: 'thumb', kty: 'oct', index: null },
    warnings: [],
    claims: [],
    ok: true,
    ...overrides,
  };
}

/** The text of the (test double) editor in the pane named `name`. */
export function paneText(name: string): string {
  const region = document.querySelector(`[aria-labelledby="${paneTitleId(name)}"]`);
  if (!region) throw new Error(`no pane ${name}`);
  return (region.querySelector(`textarea[aria-label="${name}"]`) as HTMLTextAreaElement).value;
}

function paneTitleId(name: string): string {
  return { 'Encoded token': 'encoded-title', Header: 'header-title', Payload: 'payload-title', Signature: 'signature-title' }[name] ?? name;
}

/** What the pane's editor was asked to underline. */
export function paneProblems(name: string): Array<{ start: number; end: number; message: string; severity: string }> {
  const box = document.querySelector(`textarea[aria-label="${name}"]`);
  return JSON.parse(box?.getAttribute('data-problems') ?? '[]') as Array<{ start: number; end: number; message: string; severity: string }>;
}

/**
 * The preload's event bridge as Electron exposes it (`window.workbenchEvents`): answers the listeners the
 * page registers, so a test can send them main's events. The test deletes the property afterwards.
 */
export function fakeAppEvents(): Array<(event: AppEvent) => void> {
  const listeners: Array<(event: AppEvent) => void> = [];
  Object.defineProperty(window, 'workbenchEvents', {
    configurable: true,
    value: {
      onAppEvent(listener: (event: AppEvent) => void) {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    },
  });
  return listeners;
}
