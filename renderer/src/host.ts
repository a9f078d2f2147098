/**
 * The renderer's client of the host contract. In Electron the preload has exposed `window.workbench`
 * (one function per method); in a browser (`npm run web`) calls go to `POST /rpc/<method>` with the
 * per-launch secret. Either way a call resolves to a Result: transport failures become error Results.
 *
 * The secret arrives in the URL fragment (`#secret=…`, never sent to a server), is kept in sessionStorage
 * so a reload still works (never localStorage: it must die with the tab), and is removed from the
 * address bar at once so it does not linger in history or get copied along with the URL.
 */
import type { MethodName } from '../../shared/contract/method-names';
import type { RequestOf, ResultOf, WorkbenchApi } from '../../shared/contract/methods';
import { err, isResult } from '../../shared/contract/result';
import type { HostClient } from './host-client';

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload. */
    readonly workbench?: WorkbenchApi;
  }
}

export const SECRET_STORAGE_KEY = 'jwt-workbench.secret';

/** What the client uses of the page; injectable so it can be tested without a browser. */
export interface HostEnvironment {
  bridge: WorkbenchApi | undefined;
  fetch: typeof fetch;
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

function browserEnvironment(): HostEnvironment | null {
  if (typeof window === 'undefined') return null;
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    // Storage disabled (sandboxed or privacy settings): the secret then lives only in memory.
  }
  return {
    bridge: window.workbench,
    fetch: window.fetch.bind(window),
    location: window.location,
    history: window.history,
    storage,
  };
}

/**
 * Takes `secret` out of the fragment (keeping any other fragment parameters), stores it for reloads,
 * and returns the secret to use: the fragment's when there is one, else the stored one.
 */
export function takeSecret(env: Pick<HostEnvironment, 'location' | 'history' | 'storage'>): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromUrl = params.get('secret');
  if (fromUrl) {
    params.delete('secret');
    const rest = params.toString();
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    try {
      env.storage?.setItem(SECRET_STORAGE_KEY, fromUrl);
    } catch {
      // Quota or disabled storage: a reload will need the printed URL again.
    }
    return fromUrl;
  }
  try {
    return env.storage?.getItem(SECRET_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function createHostClient(env: HostEnvironment | null = browserEnvironment()): HostClient {
  if (env?.bridge) return bridgeClient(env.bridge);
  if (!env) {
    return {
      call: async () => err('network', 'No host: this page is running outside the app and outside a browser'),
    };
  }
  return httpClient(env, takeSecret(env));
}

function bridgeClient(bridge: WorkbenchApi): HostClient {
  return {
    async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResultOf<M>> {
      const fn = bridge[method] as ((request: RequestOf<M>) => Promise<unknown>) | undefined;
      if (typeof fn !== 'function') return err('unknown-method', `The desktop host does not offer ${method}`);
      try {
        const answer = await fn(request);
        return isResult(answer) ? (answer as ResultOf<M>) : err('bad-response', `The desktop host answered ${method} with something that is not a Result`);
      } catch (error) {
        return err('network', `The desktop host did not answer ${method}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

/**
 * Calls that can be sent twice without changing the outcome: reads, pure computations, and the issuer's
 * start and stop, which answer with the issuer's state whatever it was. Anything else (advance the clock,
 * generate a key, save history) is never repeated behind the user's back.
 */
const REPEATABLE: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.info',
  'crypto.verify',
  'crypto.sign',
  'crypto.decrypt',
  'crypto.encrypt',
  'jwks.fetch',
  'dpop.create',
  'dpop.check',
  'keys.status',
  'keys.list',
  'keys.exportPublic',
  'issuer.start',
  'issuer.stop',
  'issuer.status',
  'issuer.settings',
  'issuer.families',
  'issuer.users',
  'issuer.log',
  'history.get',
]);

export function isRepeatable<M extends MethodName>(method: M, request: RequestOf<M>): boolean {
  if (REPEATABLE.has(method)) return true;
  // Reading the issuer's clock, or putting it back to real time, are the same when done twice; advancing is not.
  if (method === 'issuer.clock') {
    const keys = Object.keys(request as object);
    return keys.length === 0 || (keys.length === 1 && keys[0] === 'reset');
  }
  return false;
}

const isAbort = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';

function httpClient(env: HostEnvironment, secret: string | null): HostClient {
  return {
    async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResultOf<M>> {
      if (!secret) {
        return err(
          'unauthorized',
          'This page has no session secret: open the address that `npm run web` printed (it ends with #secret=…)',
        );
      }
      const send = () =>
        env.fetch(`/rpc/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
          body: JSON.stringify(request),
          credentials: 'omit',
          cache: 'no-store',
        });
      let response: Response;
      try {
        response = await send();
      } catch (first) {
        if (isAbort(first)) return err('network', `The call to ${method} was aborted before the host answered`);
        // No response at all: typically a pooled connection the host had already closed. Once more, on a
        // fresh connection, when repeating the call cannot do anything twice.
        if (!isRepeatable(method, request)) {
          return err('network', `The connection to the JWT Workbench host was lost before it answered ${method}: is \`npm run web\` still running?`);
        }
        try {
          response = await send();
        } catch (second) {
          if (isAbort(second)) return err('network', `The call to ${method} was aborted before the host answered`);
          return err('network', 'Could not reach the JWT Workbench host: is `npm run web` still running?');
        }
      }
      let text: string;
      try {
        text = await response.text();
      } catch {
        return err('network', `The connection to the JWT Workbench host was lost while it answered ${method}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      // Transport refusals (401, 403, 413, …) carry a Result error too; pass it on as it is.
      if (isResult(body) && (response.ok || !body.ok)) return body as ResultOf<M>;
      return err('bad-response', `The host answered ${method} with HTTP ${response.status} and no Result`);
    },
  };
}

export const host: HostClient = createHostClient();
