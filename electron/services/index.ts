/**
 * The composition root of the services, shared by both hosts (Electron main and `npm run web`): builds
 * every service from one config, and maps the contract's methods onto them. No `electron` import here,
 * so everything below stays runnable and testable under plain Node.
 */
import pkg from '../../package.json';
import { KeyError } from '../../shared/core/keys';
import { SignError, signToken } from '../../shared/core/sign';
import { verifyToken } from '../../shared/core/verify';
import type { Handlers } from '../../shared/contract/methods';
import { err, ok } from '../../shared/contract/result';
import type { Err, Result } from '../../shared/contract/result';
import { createNodeBackend } from './crypto-node';
import { createIssuerHandlers } from './issuer/handlers';
import { IssuerService } from './issuer/service';
import { HistoryError, HistoryService } from './history';
import { JwksFetchError, fetchJwks } from './jwks-fetch';
import { createKeyHandlers, isStoredKey, keyResult, signWithStoredKey, verifyWithStoredKey } from './keys/handlers';
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
  /** The debugger's token history, on disk only once the user opts in (issue 3). */
  readonly history: HistoryService;
}

export function createServices(config: ServicesConfig): Services {
  const keys = new KeyStoreSession({
    privateExporter: createExportsFolderExporter(config.dataDir),
    ...config.keys,
    dataDir: config.dataDir,
  });
  return {
    app: { name: PRODUCT_NAME, version: pkg.version, platform: process.platform },
    dataDir: config.dataDir,
    signatureBackend: createNodeBackend(),
    keys,
    issuer: new IssuerService({ dataDir: config.dataDir, keys }),
    history: new HistoryService({ dataDir: config.dataDir }),
  };
}

/** The contract's handlers over these services. Expected failures come back as error Results. */
export function createHandlers(services: Services): Handlers {
  return {
    'app.info': (_request, context) => ok({ ...services.app, transport: context.transport }),

    // verifyToken never throws: an unusable key or token is a verdict with a reason, not an error.
    'crypto.verify': async (request) => {
      const { token, key, options } = request;
      if (isStoredKey(key)) return keyResult(() => verifyWithStoredKey(services.keys, { ...request, key }, services.signatureBackend));
      return ok(await verifyToken(token, key, options, services.signatureBackend));
    },

    'crypto.sign': async (request) => {
      const { key } = request;
      if (isStoredKey(key)) return keyResult(() => signWithStoredKey(services.keys, { ...request, key }), asServiceError);
      try {
        return ok(await signToken({ ...request, key }));
      } catch (error) {
        const expected = asServiceError(error);
        if (expected) return expected;
        throw error; // a defect: the dispatcher answers `internal` and logs it
      }
    },

    // Only ever called on the user's button press; the limits and URL rules are in jwks-fetch.ts.
    'jwks.fetch': async ({ url }) => {
      try {
        return ok(await fetchJwks(url));
      } catch (error) {
        if (error instanceof JwksFetchError) return err(error.code, error.message);
        throw error;
      }
    },

    'history.get': () => historyResult(() => services.history.get()),
    'history.setEnabled': ({ enabled }) => historyResult(() => services.history.setEnabled(enabled)),
    'history.save': ({ entries }) => historyResult(() => services.history.save(entries)),
    'history.clear': () => historyResult(() => services.history.clear()),

    ...createKeyHandlers(services.keys),
    ...createIssuerHandlers(services.issuer),
  };
}

/** The core's typed errors (stable code, message that never echoes key material) as a Result. */
function asServiceError(error: unknown): Err | null {
  if (error instanceof SignError || error instanceof KeyError) return err(error.code, error.message);
  return null;
}

/** A history operation as a Result: its typed failures (turned off, disk trouble) are expected ones. */
async function historyResult<T>(operation: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await operation());
  } catch (error) {
    if (error instanceof HistoryError) return err(error.code, error.message);
    throw error;
  }
}
