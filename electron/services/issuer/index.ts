/**
 * The mock OAuth 2.0 / OpenID Connect issuer: `startIssuer(options)` binds it on 127.0.0.1 (and its control
 * plane on a second loopback port), loads its state from the data folder, and returns what `jwtdbg issuer`
 * prints: `JSON.stringify(handle)` is exactly `{"issuer", "control": {"url", "secret"}, "clients"}`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { VirtualClock } from './clock';
import type { Clock, ClockSnapshot } from './clock';
import { ClientConfigError, ClientRegistry, newClientSecret } from './clients';
import type { ClientConfig } from './clients';
import { IssuerControl, controlGuard, controlRoutes } from './control';
import { IssuerCore } from './issuer';
import { KeyRing } from './keyring';
import { MemorySigningKeySource, SigningKeyError, isSigningAlg } from './keys';
import type { SigningAlg, SigningKeySource } from './keys';
import { IssuerLog } from './log';
import type { IssuerLogger } from './log';
import { Router } from './router';
import { authorizeRoutes } from './routes/authorize';
import { discoveryRoutes } from './routes/discovery';
import { introspectRoutes } from './routes/introspect';
import { naiveRoutes } from './routes/naive';
import { resourceRoutes } from './routes/resource';
import { revokeRoutes } from './routes/revoke';
import { seedRoutes } from './routes/seeds';
import { tokenRoutes } from './routes/token';
import { userinfoRoutes } from './routes/userinfo';
import { closeServer, createRequestListener, createServer, listen, LOOPBACK } from './server';
import { SettingsError, applySettingsPatch, settingsFromStored } from './settings';
import type { IssuerSettings } from './settings';
import { IssuerPersistence } from './persistence';
import type { JournalLimits } from './journal';
import type { StateChanges } from './changes';
import { StoreError } from './store';
import { UserError, UserRegistry } from './users';
import { WorkbenchError } from '../../../shared/core/errors';

export interface IssuerUserOption {
  name: string;
  password: string;
  claims?: Record<string, unknown>;
}

export interface StartIssuerOptions {
  /** Port of the issuer on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The issuer URL, used byte for byte in tokens and metadata. Default `http://127.0.0.1:<port>`. */
  issuer?: string;
  /** Algorithm of the default in-memory signing key (ignored when `keys` is given). Default ES256. */
  alg?: SigningAlg;
  /** Where signing keys come from (the app's key store). Default: keys generated in memory. */
  keys?: SigningKeySource;
  /** Folder for persisted state (families, users, settings, clock). Without it, state lives in memory only. */
  dataDir?: string;
  /** Users to ensure exist. When none is given and none is stored, a demo user `demo:demo` is created. */
  users?: IssuerUserOption[];
  /** Extra clients, or replacements for the defaults `workbench` (public) and `resource-server` (confidential). */
  clients?: ClientConfig[];
  /** Settings over the stored (or default) ones. */
  settings?: Partial<IssuerSettings>;
  /** The issuer's clock. Default: a VirtualClock (real time plus an offset the control plane can move), persisted. */
  clock?: Clock;
  /** Receives every log entry (requests and decisions; never a token). */
  logger?: IssuerLogger;
  /** Port of the control plane on 127.0.0.1; 0 (default) picks a free one. */
  controlPort?: number;
  /** Bearer secret of the control plane. Default: random per start. */
  controlSecret?: string;
  /** Largest request body accepted (bytes). Default 64 KiB. */
  maxBodyBytes?: number;
  /** When the journal is compacted into the state file (with dataDir). Default: 8 MiB or 20,000 records. */
  journalLimits?: Partial<JournalLimits>;
}

export interface IssuerHandle {
  issuer: string;
  /** Where the issuer really listens (http://127.0.0.1:PORT plus the issuer URL's path): the issuer URL may name another host. */
  address: string;
  control: { url: string; secret: string };
  /** Client id → secret (null for a public client). */
  clients: Record<string, string | null>;
  /** The same operations as the control plane, in-process. */
  api: IssuerControl;
  core: IssuerCore;
  /** Resolves once every state change made so far is on disk (at once without a data folder). */
  durable(): Promise<void>;
  /** Stops both listeners and writes the state. Safe to call twice. */
  close(): Promise<void>;
  /** The line `jwtdbg issuer` prints. */
  toJSON(): { issuer: string; control: { url: string; secret: string }; clients: Record<string, string | null> };
}

export type IssuerStartErrorCode = 'invalid-options' | 'listen-failed' | 'data-dir-locked' | 'data-dir-unusable' | 'key-error';

export class IssuerStartError extends WorkbenchError<IssuerStartErrorCode> {
  override readonly name = 'IssuerStartError';
}

const STATE_SCHEMA = 1;
const DEFAULT_MAX_BODY = 64 * 1024;
const SWEEP_INTERVAL_MS = 30_000;

export const DEMO_USER: IssuerUserOption = {
  name: 'demo',
  password: 'demo',
  claims: { name: 'Demo User', preferred_username: 'demo', email: 'demo@example.test', email_verified: true, roles: ['user'] },
};

export function defaultClients(resourceServerSecret: string): ClientConfig[] {
  return [
    {
      id: 'workbench',
      secret: null,
      grants: ['authorization_code', 'refresh_token', 'password'],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'api:read', 'api:write'],
      defaultScope: ['openid', 'profile', 'email', 'api:read'],
    },
    {
      id: 'resource-server',
      secret: resourceServerSecret,
      grants: ['client_credentials'],
      scopes: ['api:read', 'api:write'],
      defaultScope: ['api:read'],
    },
  ];
}

function checkPort(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new IssuerStartError('invalid-options', `${name} must be an integer from 0 to 65535`);
  return value;
}

/** The issuer URL as configured, and the path its routes are mounted under. */
function checkIssuerUrl(issuer: string): { issuer: string; mount: string } {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new IssuerStartError('invalid-options', `issuer must be an absolute URL: ${issuer.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new IssuerStartError('invalid-options', 'issuer must be an http or https URL');
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    throw new IssuerStartError('invalid-options', 'issuer must have no query or fragment (OIDC Discovery §3)');
  }
  if (url.username !== '' || url.password !== '') throw new IssuerStartError('invalid-options', 'issuer must not carry credentials');
  return { issuer, mount: url.pathname.replace(/\/+$/, '') };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startIssuer(options: StartIssuerOptions = {}): Promise<IssuerHandle> {
  const port = checkPort(options.port, 'port');
  const controlPort = checkPort(options.controlPort, 'controlPort');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024 || maxBodyBytes > 16 * 1024 * 1024) {
    throw new IssuerStartError('invalid-options', 'maxBodyBytes must be an integer from 1024 to 16 MiB');
  }
  const alg = options.alg ?? 'ES256';
  if (!options.keys && !isSigningAlg(alg)) throw new IssuerStartError('invalid-options', `unsupported signing algorithm ${String(alg)}`);
  if (options.controlSecret !== undefined && options.controlSecret.length < 16) {
    throw new IssuerStartError('invalid-options', 'controlSecret must have at least 16 characters');
  }
  if (options.issuer !== undefined) checkIssuerUrl(options.issuer);

  const ownClock = options.clock === undefined;
  const clock: Clock = options.clock ?? new VirtualClock();
  const log = new IssuerLog(() => clock.now(), options.logger);
  const cleanup: Array<() => Promise<void>> = [];
  const fail = async (error: unknown): Promise<never> => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    if (error instanceof IssuerStartError) throw error;
    if (error instanceof StoreError) throw new IssuerStartError(error.code, error.message);
    if (error instanceof SigningKeyError) throw new IssuerStartError('key-error', error.message);
    if (error instanceof SettingsError || error instanceof ClientConfigError || error instanceof UserError) {
      throw new IssuerStartError('invalid-options', error.message);
    }
    throw error;
  };

  let core: IssuerCore | null = null;
  let persistence: IssuerPersistence | null = null;
  // Set once the state is journaled: the core reports settings, clock and key changes to it.
  let changes: StateChanges | null = null;
  let stored: Record<string, unknown> = {};
  try {
    // 1. State, before anything listens: a locked or unusable folder stops the start.
    if (options.dataDir !== undefined) {
      const opened = await IssuerPersistence.open(options.dataDir, {
        ...(options.journalLimits && { limits: options.journalLimits }),
        onError: (error) => log.error('store.write-failed', `could not write the state: ${error.message}`),
      });
      persistence = opened.persistence;
      cleanup.push(() => opened.persistence.close());
      const { notes } = opened;
      if (notes.stateSetAside) log.warn('store.corrupt', `the state file was unreadable and was moved to ${notes.stateSetAside}; starting fresh`);
      if (notes.journalSetAside) {
        log.warn('store.journal-corrupt', `the journal was damaged and was moved to ${notes.journalSetAside}; only the ${notes.replayed} record(s) before the damage were replayed`);
      }
      if (notes.tornRecord) log.info('store.torn-record', 'the last journal record was cut short by a crash (never acknowledged) and was ignored');
      if (isObject(opened.state)) {
        if (typeof opened.state.schema === 'number' && opened.state.schema > STATE_SCHEMA) {
          throw new IssuerStartError('data-dir-unusable', `${opened.persistence.file} was written by a newer version (schema ${opened.state.schema})`);
        }
        stored = opened.state;
      }
    }
    if (ownClock && clock instanceof VirtualClock && isObject(stored.clock)) clock.restore(stored.clock as ClockSnapshot);

    // 2. Listeners: the default issuer URL needs the bound port.
    type Listener = (req: IncomingMessage, res: ServerResponse) => void;
    let handler = null as Listener | null;
    let controlHandler = null as Listener | null;
    const notReady = (res: ServerResponse): void => {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end(JSON.stringify({ error: 'service_unavailable', error_description: 'the issuer is starting' }));
    };
    const publicServer = createServer((req, res) => (handler ? handler(req, res) : notReady(res)));
    const controlServer = createServer((req, res) => (controlHandler ? controlHandler(req, res) : notReady(res)));
    const bind = async (server: Server, wanted: number, what: string): Promise<number> => {
      try {
        const bound = await listen(server, wanted);
        cleanup.push(() => closeServer(server));
        return bound;
      } catch (error) {
        throw new IssuerStartError('listen-failed', `cannot listen on ${LOOPBACK}:${wanted} (${what}): ${(error as Error).message}`);
      }
    };
    const boundPort = await bind(publicServer, port, 'issuer');
    const boundControlPort = await bind(controlServer, controlPort, 'control plane');
    const { issuer, mount } = checkIssuerUrl(options.issuer ?? `http://${LOOPBACK}:${boundPort}`);

    // 3. The core.
    let settings = settingsFromStored(stored.settings);
    if (options.settings !== undefined) settings = applySettingsPatch(settings, options.settings);
    const source = options.keys ?? (await MemorySigningKeySource.create(alg, clock.now()));
    const keyring = new KeyRing(source, () => (core ? core.maxTokenTtlMs() : 3600_000));
    if (Array.isArray(stored.keyUsage)) keyring.restoreUsage(stored.keyUsage.filter((e): e is [string, number] => Array.isArray(e)));
    await keyring.load(clock.now());
    const clientConfigs = new Map<string, ClientConfig>();
    for (const config of [...defaultClients(newClientSecret()), ...(options.clients ?? [])]) clientConfigs.set(config.id, config);
    const clients = new ClientRegistry([...clientConfigs.values()]);
    const users = new UserRegistry();
    users.restore(stored.users);
    const created: IssuerCore = new IssuerCore({
      issuer, clock, settings, keys: keyring, users, clients, log, onChange: (part) => changes?.[part](),
    });
    core = created;
    const restored = created.families.restore(stored);
    if (restored.skipped > 0) log.warn('store.skipped', `${restored.skipped} stored famil${restored.skipped === 1 ? 'y was' : 'ies were'} malformed and not loaded`);
    for (const user of options.users ?? (users.size === 0 ? [DEMO_USER] : [])) {
      const same = (await users.authenticate(user.name, user.password)) !== null;
      const change = await users.upsert(user.name, { ...(!same && { password: user.password }), ...(user.claims && { claims: user.claims }) }, clock.now());
      if (change.passwordChanged && !change.created) created.families.revokeUser(user.name, 'password-changed', clock.now());
    }
    created.sweep();

    const clockSnapshot = (): ClockSnapshot | null => (ownClock && clock instanceof VirtualClock ? clock.snapshot() : null);
    if (persistence) {
      changes = await persistence.start(
        { families: created.families, users, settings: () => created.settings, clock: clockSnapshot, keyUsage: () => keyring.usageSnapshot() },
        () => ({
          schema: STATE_SCHEMA,
          issuer,
          savedAt: new Date().toISOString(),
          clock: clockSnapshot(),
          settings: created.settings,
          users: users.snapshot(),
          keyUsage: keyring.usageSnapshot(),
          ...created.families.snapshot(),
        }),
      );
    }
    const durable = persistence ? () => persistence!.durable() : () => Promise.resolve();

    // 4. Routes.
    const router = new Router().add(
      ...discoveryRoutes(created),
      ...tokenRoutes(created),
      ...authorizeRoutes(created),
      ...revokeRoutes(created),
      ...introspectRoutes(created),
      ...userinfoRoutes(created),
      ...resourceRoutes(created),
      ...naiveRoutes(created),
      ...seedRoutes(created, mount),
    );
    const aliases = new Map<string, string>();
    if (mount !== '') aliases.set(`/.well-known/oauth-authorization-server${mount}`, `${mount}/.well-known/oauth-authorization-server`);
    handler = createRequestListener({
      router, mount, maxBodyBytes, log, name: 'issuer', aliases, credentialedOrigins: () => created.settings.corsOrigins, durable,
    });
    const api = new IssuerControl(created);
    const controlSecret = options.controlSecret ?? randomBytes(32).toString('base64url');
    controlHandler = createRequestListener({
      router: new Router().add(...controlRoutes(api)), mount: '', maxBodyBytes, log, name: 'control', credentialedOrigins: () => [],
      guard: controlGuard(controlSecret, () => boundControlPort), durable,
    });

    const sweeper = setInterval(() => created.sweep(), SWEEP_INTERVAL_MS);
    sweeper.unref();
    cleanup.push(async () => clearInterval(sweeper));

    const clientSecrets: Record<string, string | null> = {};
    for (const config of clientConfigs.values()) clientSecrets[config.id] = config.secret ?? null;
    const summary = { issuer, control: { url: `http://${LOOPBACK}:${boundControlPort}`, secret: controlSecret }, clients: clientSecrets };
    log.info('started', `issuer ${issuer} listening; ${restored.families} famil${restored.families === 1 ? 'y' : 'ies'} restored`, {
      port: boundPort, controlPort: boundControlPort, alg: keyring.current().alg, persisted: persistence !== null,
    });

    let closing: Promise<void> | null = null;
    return {
      ...summary,
      address: `http://${LOOPBACK}:${boundPort}${mount}`,
      api,
      core: created,
      durable,
      close: () => {
        closing ??= (async () => {
          for (const step of cleanup.reverse()) await step().catch((error: Error) => log.error('close.failed', error.message));
          log.info('stopped', 'issuer stopped; state written');
        })();
        return closing;
      },
      toJSON: () => summary,
    };
  } catch (error) {
    return fail(error);
  }
}

export { VirtualClock } from './clock';
export type { Clock, ClockSnapshot } from './clock';
export { MemorySigningKeySource, generateSigningKey, SIGNING_ALGS, isSigningAlg } from './keys';
export type { SigningAlg, SigningKey, RetiredSigningKey, SigningKeySource } from './keys';
export type { ClientConfig, GrantType } from './clients';
export { DEFAULT_SETTINGS, defaultSettings } from './settings';
export type { IssuerSettings, RateLimitRule } from './settings';
export { IssuerControl } from './control';
export { KeyStoreSigningKeySource } from './keystore-source';
export type { FamilyView, RefreshTokenView } from './control';
export type { IssuerKeyInfo } from './keyring';
export { jsonLinesLogger } from './log';
export type { IssuerLogger, IssuerLogEntry } from './log';
export type { UserView } from './users';
export type { IssuerCore } from './issuer';
