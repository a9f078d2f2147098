/**
 * The key store's one error family. `code` is stable: the contract maps it to a Result error, the CLI
 * prints it, tests switch on it. Messages name what is wrong and never echo key material.
 */
import { WorkbenchError } from '../../../shared/core/errors';
export type KeyStoreErrorCode =
  | 'invalid-argument' // a caller passed something out of range (bits, label, kid, alg)
  | 'unsupported-alg' // not an algorithm this store generates or signs with
  | 'import-invalid' // the text given to import is not a usable signing key (message says why)
  | 'not-found' // no stored key has this id
  | 'no-public-part' // an HMAC secret has no public form (public JWK / PEM / JWKS)
  | 'no-private-part' // a public-only key cannot sign or export a private form
  | 'alg-not-allowed' // the key does not fit the requested algorithm
  | 'format-unsupported' // e.g. a PEM for an HMAC secret
  | 'wrong-passphrase' // the passphrase does not open this store; the store is untouched
  | 'unlock-failed' // the OS keychain could not decrypt this store's key; the store is untouched
  | 'encryption-unavailable' // the OS keychain (safeStorage) cannot encrypt on this machine
  | 'protection-mismatch' // the store is protected another way than the caller chose
  | 'store-changed' // another instance re-keyed the store while this one had it open
  | 'store-locked' // another process holds the store's lock
  | 'store-corrupt' // unparseable / wrong shape / tampered: set aside (see KeyStore.recovery)
  | 'store-unreadable' // the file exists but cannot be read nor set aside
  | 'store-version-unsupported' // written by a newer version of the app: left untouched
  | 'store-write-failed' // writing the store failed; the previous file is intact
  | 'store-io-failed' // the data folder or lock file could not be used (permissions, disk)
  | 'file-write-failed' // an export to a file the caller named could not be written
  | 'sign-failed' // the shared signer rejected the request (message says why)
  | 'keys-locked' // the host has not set up or unlocked its key store yet
  | 'not-supported'; // this host cannot do that (e.g. the web host has no clipboard of its own)

export class KeyStoreError extends WorkbenchError<KeyStoreErrorCode> {
  override readonly name = 'KeyStoreError';
}

export function isKeyStoreError(value: unknown, code?: KeyStoreErrorCode): value is KeyStoreError {
  return value instanceof KeyStoreError && (code === undefined || value.code === code);
}

/**
 * A KeyStoreError as is; a Node system error (EACCES, ENOSPC, …) as a `store-io-failed` naming its
 * errno code; anything else (a bug, or another family's typed error such as SignError) unchanged.
 */
export function asStoreError(error: unknown, doing: string): unknown {
  if (error instanceof KeyStoreError) return error;
  const code = errnoCode(error);
  if (code !== undefined && /^E[A-Z]+$/.test(code)) {
    return new KeyStoreError('store-io-failed', `cannot ${doing} (${code})`, { cause: error });
  }
  return error;
}

/** The errno code of a Node system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
