/**
 * The app's one mock issuer: started and stopped from the UI through the host contract, its state in
 * `<dataDir>/issuer`, its signing keys in the key store when the store is open (so tokens survive a
 * restart of the app) or in memory otherwise. `request` lets the host call the issuer's own endpoints on
 * the renderer's behalf: the stepper needs no CORS to the issuer's port and never learns the bound address.
 */
import path from 'node:path';
import type {
  IssuerEndpoints,
  IssuerExchange,
  IssuerSettingsPatch,
  IssuerStatus,
  JsonObject,
} from '../../../shared/contract/issuer';
import { KeyStoreError } from '../keys/errors';
import type { KeyStoreSession } from '../keys/store-session';
import { HttpError } from './errors';
import { IssuerStartError, startIssuer } from './index';
import type { IssuerHandle, IssuerLogger, IssuerSettings, SigningAlg } from './index';
import { KeyStoreSigningKeySource } from './keystore-source';
import { SigningKeyError } from './keys';
import { StoreError } from './store';
import { endpoint, PATHS } from './routes/discovery';
import { WorkbenchError } from '../../../shared/core/errors';
import type { IssuerErrorCode } from '../../../shared/contract/errors';

// The codes are the contract's (shared/contract/errors.ts): the issuer.* methods declare them.
export type IssuerServiceErrorCode = IssuerErrorCode;

export class IssuerServiceError extends WorkbenchError<IssuerServiceErrorCode> {
  override readonly name = 'IssuerServiceError';
}

export interface IssuerServiceConfig {
  /** The app's data folder; the issuer keeps its files in `<dataDir>/issuer`. */
  dataDir: string;
  /** The app's key store: signs with a chosen stored key, or keeps generated keys there when it is open. */
  keys: KeyStoreSession;
  logger?: IssuerLogger;
}

export interface IssuerStartRequest {
  port?: number;
  issuer?: string;
  alg?: SigningAlg;
  keyId?: string;
  settings?: IssuerSettingsPatch;
  users?: Array<{ name: string; password: string; claims?: JsonObject }>;
}

export interface IssuerHttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Partial<Record<'authorization' | 'content-type' | 'cookie' | 'x-device-id', string>>;
  body?: string;
}

/** Response headers a client of the issuer acts on; the rest are transport noise. */
const SHOWN_HEADERS = ['content-type', 'cache-control', 'www-authenticate', 'set-cookie', 'retry-after', 'location', 'pragma', 'dpop-nonce'];
const MAX_RESPONSE_CHARS = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;

export class IssuerService {
  private handle: IssuerHandle | null = null;
  private keySource: 'key-store' | 'memory' = 'memory';
  private startedAt = 0;
  private pending: Promise<unknown> | null = null;
  private notice: string | null = null;

  constructor(private readonly config: IssuerServiceConfig) {}

  get dataDir(): string {
    return path.join(this.config.dataDir, 'issuer');
  }

  /** The running issuer, or `issuer-not-running`. */
  running(): IssuerHandle {
    if (!this.handle) throw new IssuerServiceError('issuer-not-running', 'the issuer is not running: start it first');
    return this.handle;
  }

  async start(request: IssuerStartRequest): Promise<IssuerStatus> {
    return this.exclusive(async () => {
      // Already running (a second click, or a call the client repeated after a lost connection): the answer
      // is the issuer's real state, not an error, so a start can be sent twice and still tell the truth.
      if (this.handle) return this.status();
      const keys = await this.signingKeys(request);
      try {
        this.handle = await startIssuer({
          ...(request.port !== undefined && { port: request.port }),
          ...(request.issuer !== undefined && { issuer: request.issuer }),
          ...(request.alg !== undefined && { alg: request.alg }),
          ...(keys && { keys }),
          // A nested partial (rateLimits.login only) is what applySettingsPatch merges; the type says whole members.
          ...(request.settings !== undefined && { settings: request.settings as Partial<IssuerSettings> }),
          ...(request.users !== undefined && request.users.length > 0 && { users: request.users }),
          dataDir: this.dataDir,
          ...(this.config.logger && { logger: this.config.logger }),
        });
      } catch (error) {
        if (error instanceof IssuerStartError) throw new IssuerServiceError(error.code, error.message);
        throw error;
      }
      this.keySource = keys ? 'key-store' : 'memory';
      this.startedAt = Date.now();
      this.notice = null;
      return this.status();
    });
  }

  async stop(): Promise<IssuerStatus> {
    return this.exclusive(async () => {
      const handle = this.handle;
      this.handle = null;
      if (handle) {
        await handle.close();
        this.notice = 'stopped; families, users and settings were saved';
      }
      return this.status();
    });
  }

  status(): IssuerStatus {
    const handle = this.handle;
    if (!handle) return { running: false, notice: this.notice };
    const at = (p: string): string => endpoint(handle.issuer, p);
    const endpoints: IssuerEndpoints = {
      discovery: at('/.well-known/openid-configuration'),
      jwks: at(PATHS.jwks),
      token: at(PATHS.token),
      authorize: at(PATHS.authorize),
      revoke: at(PATHS.revoke),
      introspect: at(PATHS.introspect),
      userinfo: at(PATHS.userinfo),
      resource: at(PATHS.resource),
      login: at('/auth/login'),
      refresh: at('/auth/refresh'),
      logout: at('/auth/logout'),
    };
    return {
      running: true,
      issuer: handle.issuer,
      discoveryUrl: endpoints.discovery,
      endpoints,
      clients: { ...handle.clients },
      keySource: this.keySource,
      keys: handle.api.keys().keys,
      settings: handle.api.settings(),
      now: handle.api.clock().now,
      startedAt: Math.floor(this.startedAt / 1000),
    };
  }

  /**
   * Runs one control-plane operation, its HttpErrors turned into typed service errors; answers once the
   * change it made is on disk, as the control plane's HTTP answers do.
   */
  async control<T>(operation: (handle: IssuerHandle) => T | Promise<T>): Promise<T> {
    const handle = this.running();
    try {
      const result = await operation(handle);
      await handle.durable();
      return result;
    } catch (error) {
      if (error instanceof HttpError) throw new IssuerServiceError(codeOfHttp(error), error.description);
      if (error instanceof StoreError) throw new IssuerServiceError('data-dir-unusable', error.message);
      throw error;
    }
  }

  /** One HTTP call to the running issuer, made from the host (loopback, no redirects followed). */
  async request(request: IssuerHttpRequest): Promise<IssuerExchange> {
    const handle = this.running();
    const url = targetUrl(handle.address, request.path);
    if (request.method === 'GET' && request.body !== undefined) {
      throw new IssuerServiceError('invalid-request', 'a GET request has no body');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) headers[name] = value;
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined && { body: request.body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new IssuerServiceError('request-failed', `the issuer did not answer ${request.method} ${url.pathname}: ${(error as Error).message}`);
    }
    const text = await response.text();
    const shown: Record<string, string> = {};
    for (const name of SHOWN_HEADERS) {
      const value = name === 'set-cookie' ? response.headers.getSetCookie().join('\n') : response.headers.get(name);
      if (value) shown[name] = value;
    }
    return {
      status: response.status,
      headers: shown,
      body: text.length > MAX_RESPONSE_CHARS ? text.slice(0, MAX_RESPONSE_CHARS) : text,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** Host shutdown: stops the issuer, writing its state. */
  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
  }

  private async signingKeys(request: IssuerStartRequest): Promise<KeyStoreSigningKeySource | null> {
    let store;
    if (request.keyId !== undefined) {
      store = await this.config.keys.open(); // keys-locked / no store: the caller must unlock first
    } else {
      // Generated keys go to the key store only when it is already open: starting never asks for a passphrase.
      const status = await this.config.keys.status().catch(() => null);
      if (status?.state !== 'unlocked') return null;
      store = await this.config.keys.open();
    }
    try {
      return await KeyStoreSigningKeySource.open({
        store,
        dir: this.dataDir,
        ...(request.alg !== undefined && { alg: request.alg }),
        ...(request.keyId !== undefined && { keyId: request.keyId }),
        now: Date.now(),
      });
    } catch (error) {
      if (error instanceof SigningKeyError) throw new IssuerServiceError('key-error', error.message);
      if (error instanceof KeyStoreError) throw error;
      if ((error as NodeJS.ErrnoException).code !== undefined) {
        throw new IssuerServiceError('data-dir-unusable', `cannot use ${this.dataDir}: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  /** Start and stop never overlap (a double click must not bind twice). */
  private async exclusive<T>(task: () => Promise<T>): Promise<T> {
    while (this.pending) await this.pending.catch(() => undefined);
    const run = task();
    this.pending = run;
    try {
      return await run;
    } finally {
      if (this.pending === run) this.pending = null;
    }
  }
}

function codeOfHttp(error: HttpError): IssuerServiceErrorCode {
  if (error.status === 404) return 'not-found';
  if (error.status === 409) return 'conflict';
  return 'invalid-request';
}

/** The issuer URL for a path given by the renderer: same origin and under the issuer's path, always. */
function targetUrl(address: string, requested: string): URL {
  if (!requested.startsWith('/') || requested.startsWith('//') || requested.includes('\\') || /[\u0000-\u001f\u007f]/.test(requested)) {
    throw new IssuerServiceError('invalid-request', 'path must be an absolute path on the issuer, like /auth/login');
  }
  const base = new URL(address);
  const url = new URL(`${address}${requested}`);
  if (url.origin !== base.origin) throw new IssuerServiceError('invalid-request', 'path must stay on the issuer');
  return url;
}
