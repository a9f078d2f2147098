import { mkdir } from 'node:fs/promises';
import { KeyStore, isKeyStoreError } from '../../services/keys/index';
import type { Protection } from '../../services/keys/index';
import { IssuerStartError, isSigningAlg, jsonLinesLogger, startIssuer, SIGNING_ALGS } from '../../services/issuer/index';
import type { IssuerHandle, IssuerUserOption, SigningAlg } from '../../services/issuer/index';
import { KeyStoreSigningKeySource } from '../../services/issuer/keystore-source';
import { SigningKeyError } from '../../services/issuer/keys';
import { flagOption, listOption, stringOption } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import { InputError, UsageError } from '../usage-error';

/** Where the passphrase of the key store under --data comes from (never argv: `ps` would show it). */
export const PASSPHRASE_ENV = 'JWTDBG_PASSPHRASE';

export const issuerCommand: Command = {
  name: 'issuer',
  summary: 'run the mock OAuth 2.0 / OpenID Connect issuer on 127.0.0.1',
  help: `Usage: jwtdbg issuer [--port N] [--alg ALG] [--issuer URL] [--user NAME:PASSWORD]...
                     [--data DIR [--passphrase-file FILE | --unencrypted-test-store]]
                     [--demo-vulnerable]

Runs the mock issuer on 127.0.0.1 until SIGINT or SIGTERM. Once it listens, prints one JSON line:
  {"issuer": URL, "control": {"url": URL, "secret": STRING},
   "clients": {"workbench": null, "resource-server": SECRET}}
then logs requests and decisions to stderr as JSON lines (tokens, codes and passwords masked).
The control plane (clock, key rotation, families, users, settings) takes the secret as a Bearer token.

Options:
  --port N                  port of the issuer; default: a free one
  --alg ALG                 signing algorithm, default ES256: RS256/384/512, PS256/384/512,
                            ES256/384/512, EdDSA, Ed25519, HS256/384/512
  --issuer URL              the issuer identifier; default http://127.0.0.1:PORT
  --user NAME:PASSWORD      a user to create (repeatable); default demo:demo when DIR has none
  --data DIR                keep state (families, users, settings, clock) and signing keys in DIR,
                            so tokens survive a restart. The keys go to DIR's key store (keys.json,
                            as jwtdbg keys uses it), encrypted with the passphrase from
                            --passphrase-file or $${PASSPHRASE_ENV}
  --passphrase-file FILE    read that passphrase from FILE's first line (never argv: ps shows it)
  --unencrypted-test-store  with --data: keep the signing keys unencrypted (tests only)
  --demo-vulnerable         also serve GET /resource/naive, a DELIBERATELY VULNERABLE resource
                            (trusts alg none, an embedded jwk, a loopback jku, the public key as
                            an HMAC secret) to practise attacks on (jwtdbg probe). Lab use only
  -h, --help                show this help

Exit status: 0 after a clean stop; 2 bad usage or the issuer could not start.`,
  options: {
    port: { type: 'string' },
    alg: { type: 'string' },
    issuer: { type: 'string' },
    data: { type: 'string' },
    'passphrase-file': { type: 'string' },
    'unencrypted-test-store': { type: 'boolean' },
    'demo-vulnerable': { type: 'boolean' },
    user: { type: 'string', multiple: true },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError('takes no arguments, only options', 'issuer');
    const port = parsePort(stringOption(values, 'port'));
    const algText = stringOption(values, 'alg');
    if (algText !== undefined && !isSigningAlg(algText)) {
      throw new UsageError(`--alg must be one of ${SIGNING_ALGS.join(', ')}`, 'issuer');
    }
    const alg: SigningAlg = algText ?? 'ES256';
    const users = listOption(values, 'user').map(parseUser);
    const dataDir = stringOption(values, 'data');
    const unencrypted = flagOption(values, 'unencrypted-test-store');
    const passphraseFile = stringOption(values, 'passphrase-file');
    if (dataDir === '') throw new UsageError('--data needs a folder', 'issuer');
    if ((unencrypted || passphraseFile !== undefined) && dataDir === undefined) {
      throw new UsageError('--passphrase-file and --unencrypted-test-store apply only with --data', 'issuer');
    }
    if (unencrypted && passphraseFile !== undefined) throw new UsageError('give either --passphrase-file or --unencrypted-test-store', 'issuer');

    let keys: KeyStoreSigningKeySource | undefined;
    if (dataDir !== undefined) {
      const passphrase = passphraseFile !== undefined ? (await readTextFile(passphraseFile, 'passphrase file', 'issuer')).split(/\r?\n/, 1)[0] : io.env[PASSPHRASE_ENV];
      const protection = protectionFor(unencrypted, passphrase);
      keys = await openKeys(dataDir, protection, alg);
    }

    // Signals are watched before the start so a stop that arrives while starting still ends cleanly.
    const stop = waitForStopSignal();
    let handle: IssuerHandle;
    try {
      handle = await startIssuer({
        port,
        alg,
        ...(keys && { keys }),
        ...(dataDir !== undefined && { dataDir }),
        ...(stringOption(values, 'issuer') !== undefined && { issuer: stringOption(values, 'issuer') }),
        ...(users.length > 0 && { users }),
        ...(flagOption(values, 'demo-vulnerable') && { settings: { demoVulnerable: true } }),
        logger: jsonLinesLogger(io.stderr),
      });
    } catch (error) {
      stop.dispose();
      if (error instanceof IssuerStartError) throw new InputError(`cannot start: ${error.message}`, 'issuer');
      throw error;
    }
    io.stdout.write(`${JSON.stringify(handle)}\n`);
    await stop.signalled;
    stop.dispose();
    await handle.close();
    return 0;
  },
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError('--port must be an integer from 0 to 65535', 'issuer');
  return Number(text);
}

/** `NAME:PASSWORD`, split at the first colon (a password may contain colons, a user name may not). */
export function parseUser(text: string): IssuerUserOption {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new UsageError('--user must be NAME:PASSWORD, both non-empty', 'issuer');
  return { name: text.slice(0, colon), password: text.slice(colon + 1) };
}

function protectionFor(unencrypted: boolean, passphrase: string | undefined): Protection {
  if (unencrypted) return { kind: 'unencrypted-test-store' };
  if (passphrase !== undefined && passphrase !== '') return { kind: 'passphrase', passphrase };
  throw new UsageError(
    `--data keeps private signing keys: give a passphrase (--passphrase-file FILE or $${PASSPHRASE_ENV}) to encrypt them, or --unencrypted-test-store`,
    'issuer',
  );
}

async function openKeys(dataDir: string, protection: Protection, alg: SigningAlg): Promise<KeyStoreSigningKeySource> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const store = await KeyStore.open({ dataDir, protection });
    return await KeyStoreSigningKeySource.open({ store, dir: dataDir, alg, now: Date.now() });
  } catch (error) {
    if (isKeyStoreError(error) || error instanceof SigningKeyError) throw new InputError(`signing keys in ${dataDir}: ${error.message}`, 'issuer');
    if ((error as NodeJS.ErrnoException).code !== undefined) {
      throw new InputError(`cannot use ${dataDir} (${(error as NodeJS.ErrnoException).code})`, 'issuer');
    }
    throw error;
  }
}

function waitForStopSignal(): { signalled: Promise<void>; dispose(): void } {
  let resolve!: () => void;
  const signalled = new Promise<void>((r) => (resolve = r));
  const onSignal = (): void => resolve();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signalled,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
