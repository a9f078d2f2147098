/**
 * The debugger's known-secret check (`secrets.check` / `secrets.cancel`): the built-in list scan of
 * electron/services/crack, run in the host on one lazily created worker pool, never on the page's thread.
 * One scan at a time matters to the user — the token on screen — so a newer check stops the one in flight.
 */
import path from 'node:path';
import type { SecretsCheckResult } from '../../shared/contract/methods';
import { WorkbenchError } from '../../shared/core/errors';
import type { SecretsCheckErrorCode } from '../../shared/contract/errors';
import { CrackError, crackHmac, findKnownSecretsList, hmacTargetOfText, loadKnownSecretsList, ScanPool } from './crack';
import type { HmacTarget } from './crack';

export class SecretsCheckError extends WorkbenchError<SecretsCheckErrorCode> {
  override readonly name = 'SecretsCheckError';
}

export interface SecretsServiceConfig {
  /** The list file; by default found upward from the running bundle's folder (see findKnownSecretsList). */
  listFile?: string;
  /** Scan workers; by default one per core. */
  poolSize?: number;
}

export class SecretsService {
  private pool: ScanPool | null = null;
  private inFlight: AbortController | null = null;

  constructor(private readonly config: SecretsServiceConfig = {}) {}

  /** Scans the built-in list for the token's HMAC secret. Throws SecretsCheckError. */
  async check(token: string): Promise<SecretsCheckResult> {
    const target = targetOf(token);
    // The previous check is about a token no longer on screen.
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const pool = (this.pool ??= new ScanPool(this.config.poolSize));
      // The workers start while the list is read.
      pool.prestart();
      const list = await loadKnownSecretsList(await this.listFile());
      controller.signal.throwIfAborted();
      const result = await crackHmac(target, [{ kind: 'builtin', list }], { pool, signal: controller.signal });
      return {
        found: result.found,
        secret: result.secret,
        alg: result.alg,
        tried: result.tried,
        seconds: result.seconds,
        source: result.found ? 'builtin' : null,
      };
    } catch (error) {
      if (controller.signal.aborted) throw new SecretsCheckError('scan-cancelled', 'The known-secret check was cancelled');
      if (error instanceof CrackError) throw new SecretsCheckError('scan-unavailable', `The known-secret check cannot run: ${error.message}`, { cause: error });
      throw error;
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }

  /** Stops the check in flight, if any (it then answers `scan-cancelled`). */
  cancel(): { cancelled: boolean } {
    const controller = this.inFlight;
    if (controller === null) return { cancelled: false };
    this.inFlight = null;
    controller.abort();
    return { cancelled: true };
  }

  /** Ends the workers (host shutdown, tests); a later check starts new ones. */
  async close(): Promise<void> {
    this.cancel();
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  private async listFile(): Promise<string> {
    if (this.config.listFile !== undefined) return this.config.listFile;
    for (const dir of searchDirs()) {
      const found = await findKnownSecretsList(dir);
      if (found !== null) return found;
    }
    throw new SecretsCheckError('scan-unavailable', 'The built-in list of known secrets is missing from this installation');
  }
}

/** The token's scan target; the scan's refusals of the token keep their codes. */
function targetOf(token: string): HmacTarget {
  try {
    return hmacTargetOfText(token);
  } catch (error) {
    if (error instanceof CrackError && (error.code === 'token-invalid' || error.code === 'not-jws' || error.code === 'not-hmac' || error.code === 'signature-length')) {
      throw new SecretsCheckError(error.code, error.message, { cause: error, details: error.details });
    }
    throw error;
  }
}

/**
 * Where the list may be, nearest first: beside the CommonJS bundle (Electron's dist/electron, also inside
 * app.asar), beside the entry script (the web host's dist/web), and the working folder (sources, tests).
 */
function searchDirs(): string[] {
  const dirs: string[] = [];
  if (typeof __dirname === 'string') dirs.push(__dirname);
  if (typeof process.argv[1] === 'string') dirs.push(path.dirname(path.resolve(process.argv[1])));
  dirs.push(process.cwd());
  return dirs;
}
