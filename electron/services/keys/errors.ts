/**
 * The key store's one error family. `code` is stable: the contract maps it to a Result error, the CLI
 * prints it, tests switch on it. Messages name what is wrong and never echo key material.
 */
import { WorkbenchError } from '../../../shared/core/errors';
import { errnoCode } from '../files/errors';
// The codes are the contract's (shared/contract/errors.ts): the key.* methods declare them.
export type { KeyStoreErrorCode } from '../../../shared/contract/errors';
import type { KeyStoreErrorCode } from '../../../shared/contract/errors';

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

export { errnoCode } from '../files/errors';
