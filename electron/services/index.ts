/**
 * The composition root of the services, shared by both hosts (Electron main and `npm run web`): builds
 * every service from one config, and maps the contract's methods onto them. No `electron` import here,
 * so everything below stays runnable and testable under plain Node.
 */
import pkg from '../../package.json';
import { signToken } from '../../shared/core/sign';
import { verifyToken } from '../../shared/core/verify';
import { createDpopProof, singleSigningKey, verifyDpopProof } from '../../shared/core/dpop';
import { prepareKeys } from '../../shared/core/keys';
import type { Handlers } from '../../shared/contract/methods';
import { answer, ok } from '../../shared/contract/result';
import { createNodeBackend } from './crypto-node';
import { createIssuerHandlers } from './issuer/handlers';
import { IssuerService } from './issuer/service';
import { HistoryService } from './history';
import { fetchJwks } from './jwks-fetch';
import { decryptForHost, encryptForHost } from './jwe';
import { discoverTokenKeys } from './key-discovery';
import { verifyWithTokenKey } from './token-key';
import { SecretsService } from './secrets';
import { ProbeService } from './probe-runs';
import type { ProbeServiceConfig } from './probe-runs';
import type { SecretsServiceConfig } from './secrets';
import { createKeyHandlers, isStoredKey, signWithStoredKey, verifyWithStoredKey } from './keys/handlers';
import { createExportsFolderExporter } from './keys/private-export';
import { KeyStoreSession } from './keys/store-session';
import type { KeyStoreSessionConfig } from './keys/store-session';

export const PRODUCT_NAME = 'JWT Workbench';

export interface ServicesConfig {
  /** Where services keep their files (key store, issuer state): Electron's userData or `--data-dir`. */
  dataDir: string;
  /**
   * How this host protects and exports stored keys (issue 4). Default: passphrase or an explicitly
   * chosen unencrypted store, private keys exported into `<dataDir>/exports/`.
   */
  keys?: Omit<KeyStoreSessionConfig, 'dataDir'>;
  /** The known-secret check: where the built-in list is (default: found from the bundle) and how many workers. */
  secrets?: SecretsServiceConfig;
  /** The Attacks panel's probe of a verifier (per-request timeout). */
  probe?: ProbeServiceConfig;
}

export interface Services {
  readonly app: { readonly name: string; readonly version: string; readonly platform: string };
  readonly dataDir: string;
  /** node:crypto signature verification, the fast path beneath the core's verify. */
  readonly signatureBackend: ReturnType<typeof createNodeBackend>;
  /** The key store, opened once set up or unlocked. */
  readonly keys: KeyStoreSession;
  /** The one mock issuer of this host (issue 5); `issuer.close()` on host shutdown. */
  readonly issuer: IssuerService;
  /** The debugger's token history, on disk only once the user opts in (issue 3), sealed like the key store. */
  readonly history: HistoryService;
  /** The debugger's known-secret check; its idle workers do not keep the process alive. */
  readonly secrets: SecretsService;
  /** The Attacks panel's probe of a verifier: runs started by the user, polled by the page. */
  readonly probe: ProbeService;
}

export function createServices(config: ServicesConfig): Services {
  const keys = new KeyStoreSession({
    privateExporter: createExportsFolderExporter(config.dataDir),
    ...config.keys,
    dataDir: config.dataDir,
  });
  // Sealed with the key store's protection when it has one; told when it opens, to write what it held meanwhile.
  const history = new HistoryService({ dataDir: config.dataDir, protection: keys });
  keys.onOpen(() => void history.storeOpened());
  return {
    app: { name: PRODUCT_NAME, version: pkg.version, platform: process.platform },
    dataDir: config.dataDir,
    signatureBackend: createNodeBackend(),
    keys,
    issuer: new IssuerService({ dataDir: config.dataDir, keys }),
    history,
    secrets: new SecretsService(config.secrets),
    probe: new ProbeService(config.probe),
  };
}

/**
 * The contract's handlers over these services. A service's typed error (WorkbenchError) is left to the
 * dispatcher, which answers it as an error Result when the method declares its code.
 */
export function createHandlers(services: Services): Handlers {
  return {
    'app.info': (_request, context) => ok({ ...services.app, transport: context.transport }),
    // Only the desktop shell has tokens opened from outside; it replaces this handler with its queue.
    'app.pendingOpen': () => ok({ opens: [] }),
    // The web host has no desktop of its own: the page uses the browser's Notification API instead.
    'app.notify': () => ok({ shown: false }),

    // verifyToken never throws: an unusable key or token is a verdict with a reason, not an error.
    'crypto.verify': async (request) => {
      const { token, key, options } = request;
      // The only path to a key the token names about itself: the user chose "Token's own key".
      if (key.type === 'token-key') return ok(await verifyWithTokenKey(token, options, services.signatureBackend));
      if (isStoredKey(key)) return ok(await verifyWithStoredKey(services.keys, { ...request, key }, services.signatureBackend));
      return ok(await verifyToken(token, key, options, services.signatureBackend));
    },

    'crypto.sign': async (request) => {
      const { key } = request;
      return ok(isStoredKey(key) ? await signWithStoredKey(services.keys, { ...request, key }) : await signToken({ ...request, key }));
    },

    // JWE (jwe.ts): a stored key is resolved here by id; an undecryptable token is a JweError Result.
    'crypto.decrypt': (request) => answer(() => decryptForHost(services.keys, request)),
    'crypto.encrypt': (request) => answer(() => encryptForHost(services.keys, request)),

    // Only ever called on the user's button press; the limits and URL rules are in jwks-fetch.ts.
    'jwks.fetch': async ({ url }) => ok(await fetchJwks(url)),
    // Only on the user's "Find keys"; every request under jwks-fetch's limits (key-discovery.ts).
    'keys.discover': async ({ token }) => ok(await discoverTokenKeys(token)),

    // A stored key signs in the store (its private part never leaves it); pasted key text is imported here.
    'dpop.create': async ({ key, ...options }) => {
      const made = isStoredKey(key)
        ? await (await services.keys.open()).dpopProof(key.id, options)
        : await createDpopProof(singleSigningKey((await prepareKeys(key)).keys), options);
      return ok({ proof: made.proof, jkt: made.jkt });
    },
    // Never an error: a proof that fails is a verdict, each §4.3 check one entry.
    'dpop.check': async ({ proof, ...options }) => ok(await verifyDpopProof(proof, { ...options, backend: services.signatureBackend })),

    'history.get': async () => ok(await services.history.get()),
    'history.setEnabled': async ({ enabled }) => ok(await services.history.setEnabled(enabled)),
    'history.save': async ({ entries }) => ok(await services.history.save(entries)),
    'history.clear': async () => ok(await services.history.clear()),

    // The scan runs on the host's worker pool; a newer check (or secrets.cancel) ends the one in flight.
    'secrets.check': async ({ token }) => ok(await services.secrets.check(token)),
    'secrets.cancel': () => ok(services.secrets.cancel()),

    // Only ever started by the user's "Run probe"; requests go only to the URL given (see probe.ts).
    'probe.start': (request) => ok(services.probe.start(request)),
    'probe.status': ({ runId }) => ok(services.probe.status(runId)),
    'probe.cancel': ({ runId }) => ok(services.probe.cancel(runId)),

    ...createKeyHandlers(services.keys),
    ...createIssuerHandlers(services.issuer),
  };
}
