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
import type { Err } from '../../shared/contract/result';
import { createNodeBackend } from './crypto-node';

export const PRODUCT_NAME = 'JWT Workbench';

export interface ServicesConfig {
  /** Where services keep their files (key store, issuer state): Electron's userData or `--data-dir`. */
  dataDir: string;
}

export interface Services {
  readonly app: { readonly name: string; readonly version: string; readonly platform: string };
  readonly dataDir: string;
  /** node:crypto signature verification, the fast path beneath the core's verify. */
  readonly signatureBackend: ReturnType<typeof createNodeBackend>;
}

export function createServices(config: ServicesConfig): Services {
  return {
    app: { name: PRODUCT_NAME, version: pkg.version, platform: process.platform },
    dataDir: config.dataDir,
    signatureBackend: createNodeBackend(),
  };
}

/** The contract's handlers over these services. Expected failures come back as error Results. */
export function createHandlers(services: Services): Handlers {
  return {
    'app.info': (_request, context) => ok({ ...services.app, transport: context.transport }),

    // verifyToken never throws: an unusable key or token is a verdict with a reason, not an error.
    'crypto.verify': async ({ token, key, options }) => ok(await verifyToken(token, key, options, services.signatureBackend)),

    'crypto.sign': async (request) => {
      try {
        return ok(await signToken(request));
      } catch (error) {
        const expected = asServiceError(error);
        if (expected) return expected;
        throw error; // a defect: the dispatcher answers `internal` and logs it
      }
    },
  };
}

/** The core's typed errors (stable code, message that never echoes key material) as a Result. */
function asServiceError(error: unknown): Err | null {
  if (error instanceof SignError || error instanceof KeyError) return err(error.code, error.message);
  return null;
}
