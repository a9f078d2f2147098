// Shared by the issuer's HTTP tests: start an issuer on port 0 and talk to it with fetch, as any client would.
import { startIssuer } from '../../electron/services/issuer/index';
import type { IssuerHandle, StartIssuerOptions } from '../../electron/services/issuer/index';
import { VirtualClock } from '../../electron/services/issuer/clock';

export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

export interface TestIssuer {
  handle: IssuerHandle;
  clock: VirtualClock;
  url: (path: string) => string;
  /** POST an application/x-www-form-urlencoded body. */
  form: (path: string, params: Record<string, string>, headers?: Record<string, string>) => Promise<Response>;
  json: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
  control: (method: string, path: string, body?: unknown) => Promise<Response>;
  /** Password grant for the public `workbench` client. */
  passwordLogin: (extra?: Record<string, string>) => Promise<TokenResponse>;
  refresh: (refreshToken: string, extra?: Record<string, string>) => Promise<Response>;
  basic: string;
  close: () => Promise<void>;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope: string;
}

/** Starts an issuer on a frozen virtual clock unless a clock is given. */
export async function startTestIssuer(options: StartIssuerOptions = {}): Promise<TestIssuer> {
  const clock = (options.clock as VirtualClock | undefined) ?? new VirtualClock({ snapshot: { frozenAt: T0 } });
  const handle = await startIssuer({ users: [{ name: 'alice', password: 'wonderland', claims: { email: 'alice@example.test', name: 'Alice', roles: ['admin'] } }], ...options, clock });
  const base = handle.issuer.replace(/\/$/, '');
  const url = (path: string) => `${base}${path}`;
  const form = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() });
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${handle.control.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${handle.control.secret}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const passwordLogin = async (extra: Record<string, string> = {}) => {
    const res = await form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice', password: 'wonderland', ...extra });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as TokenResponse;
  };
  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    form('/token', { grant_type: 'refresh_token', client_id: 'workbench', refresh_token: refreshToken, ...extra });
  const secret = handle.clients['resource-server']!;
  const basic = `Basic ${Buffer.from(`resource-server:${secret}`).toString('base64')}`;
  return { handle, clock, url, form, json, control, passwordLogin, refresh, basic, close: () => handle.close() };
}

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
