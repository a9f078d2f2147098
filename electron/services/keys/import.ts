/**
 * Import entry point: the text a user pasted or dropped (a KeyInput, the shape the verify core takes) is
 * read by the core importer — shared/core/keys.ts `prepareKeys`, the one verify, sign and the CLI use, so a
 * key means the same thing everywhere — and what it read becomes what the store keeps. Nothing is stored
 * here; the service stores the result all at once, so a bad key anywhere means nothing is imported.
 * Unusable key text is refused with the core's own KeyError (its stable code: `pem-encrypted`,
 * `jwk-invalid`, …), which the keys.import contract method declares.
 */
import { KeyError, jwksKeyName, prepareKeys, type KeyInput } from '../../../shared/core/keys';
import { KeyStoreError } from './errors';
import { storedMaterialOf, type StoredKeyMaterial } from './material';

/** One key read from import text, validated, before it is stored. */
export interface ImportCandidate {
  material: StoredKeyMaterial;
  /** RFC 7638 thumbprint: the store's identity of a key, and its default kid. */
  thumbprint: string;
  /** The `kid` the source carried (JWK), else null: the store then uses the thumbprint. */
  kid: string | null;
  /** The `alg` the source pinned the key to (JWK), else null. */
  alg: string | null;
  /** A label suggested by the source: a certificate's subject CN. */
  labelHint: string | null;
}

const INPUT_TYPES: readonly string[] = ['secret', 'pem', 'jwk', 'jwks', 'auto'];

/** Reads and validates, then drops duplicates (a JWKS may list one key twice). */
export async function readKeyInput(input: KeyInput): Promise<ImportCandidate[]> {
  if (typeof input !== 'object' || input === null || typeof input.value !== 'string') {
    throw new KeyStoreError('invalid-argument', 'import needs { type, value } with value a string');
  }
  if (!INPUT_TYPES.includes(input.type)) {
    throw new KeyStoreError('invalid-argument', 'import type must be secret, pem, jwk, jwks or auto');
  }
  const prepared = await prepareKeys(input);
  // A verifier passes over JWKS members it cannot use; an import is all or nothing.
  const skipped = prepared.skipped[0];
  if (skipped) throw new KeyError(skipped.code, `${jwksKeyName(skipped.index)}: ${skipped.reason}`);

  const candidates: ImportCandidate[] = [];
  for (const key of prepared.keys) {
    const candidate: ImportCandidate = {
      material: storedMaterialOf(key),
      thumbprint: key.thumbprint,
      kid: key.kid,
      alg: key.alg,
      labelHint: key.certificateSubject,
    };
    const same = candidates.findIndex((c) => c.thumbprint === candidate.thumbprint);
    if (same === -1) {
      candidates.push(candidate);
      continue;
    }
    const kept = candidates[same] as ImportCandidate;
    // Keep the richer of the two: private over public, and any kid or alg either one carried.
    const winner = candidate.material.hasPrivate && !kept.material.hasPrivate ? candidate : kept;
    candidates[same] = { ...winner, kid: winner.kid ?? kept.kid ?? candidate.kid, alg: winner.alg ?? kept.alg ?? candidate.alg };
  }
  return candidates;
}
