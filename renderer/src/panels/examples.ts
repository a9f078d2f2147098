/**
 * Sample tokens to explore, each with the key that verifies it (generated once by
 * scripts/make-examples.mjs; demonstration keys, public by design).
 */
import type { SecretEncoding } from '../../../shared/core/secret';
import { decodeToken } from '../../../shared/core/decode';
import type { KeySource, WorkbenchStore } from '../store';
import data from './examples.json';

export interface Example {
  id: string;
  label: string;
  token: string;
  /** What verifies it; null for alg none and JWE (nothing to verify with a public key). */
  key: { source: KeySource; value: string; encoding?: SecretEncoding } | null;
}

export const EXAMPLES: readonly Example[] = data as Example[];

/** Puts the example's token and key in place: the token as pasted (never re-signed), then its key. */
export function loadExample(store: WorkbenchStore, example: Example): void {
  const state = store.getState();
  state.setInput(example.token);
  if (example.key) {
    state.setKeySource(example.key.source);
    if (example.key.encoding) state.setSecretEncoding(example.key.encoding);
    state.setKeyText(example.key.value);
  } else {
    state.setKeyText('');
  }
  const decoded = decodeToken(example.token);
  if (decoded.ok) state.rememberToken(decoded.token);
}
