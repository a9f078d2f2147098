/**
 * Import entry point: turns what a user pasted or dropped (a KeyInput, the same shape the verify
 * core takes) into validated keys with their thumbprints. Nothing is stored here; the service stores
 * the result all at once, so a bad key anywhere means nothing is imported.
 */
import { decodeSecret, KeyError, type KeyInput, type SecretEncoding } from '../../../shared/core/keys';
import { KeyStoreError } from './errors';
import { parseJwkOrJwksText } from './import-jwk';
import { looksLikePem, parsePem } from './import-pem';
import { materialFromJwk, type ParsedKey } from './material';
import { jwkThumbprint } from './thumbprint';

/** Key files are a few KB; a JWKS of many keys a few hundred. Anything larger is not a key. */
export const MAX_IMPORT_CHARS = 1024 * 1024;

export interface ImportCandidate extends ParsedKey {
  thumbprint: string;
}

function invalid(message: string): KeyStoreError {
  return new KeyStoreError('import-invalid', message);
}

/** Parses and validates, then drops duplicates (a private key and its own certificate are one key). */
export async function readKeyInput(input: KeyInput): Promise<ImportCandidate[]> {
  const parsed = parseKeyInput(input);
  const candidates: ImportCandidate[] = [];
  for (const key of parsed) {
    const thumbprint = await jwkThumbprint(key.material.jwk);
    const same = candidates.findIndex((c) => c.thumbprint === thumbprint);
    if (same === -1) {
      candidates.push({ ...key, thumbprint });
      continue;
    }
    const kept = candidates[same] as ImportCandidate;
    // Keep the richer of the two: private over public, and any label or kid either one carried.
    const winner = key.material.hasPrivate && !kept.material.hasPrivate ? key : kept;
    candidates[same] = {
      ...winner,
      kid: winner.kid ?? kept.kid ?? key.kid,
      alg: winner.alg ?? kept.alg ?? key.alg,
      labelHint: winner.labelHint ?? kept.labelHint ?? key.labelHint,
      thumbprint,
    };
  }
  return candidates;
}

export function parseKeyInput(input: KeyInput): ParsedKey[] {
  if (typeof input !== 'object' || input === null || typeof input.value !== 'string') {
    throw new KeyStoreError('invalid-argument', 'import needs { type, value } with value a string');
  }
  if (input.value.length > MAX_IMPORT_CHARS) throw invalid('import text is larger than 1 MiB; it is not a key');
  switch (input.type) {
    case 'secret':
      return [parseSecret(input.value, input.encoding)];
    case 'pem':
      return parsePem(input.value);
    case 'jwk':
    case 'jwks':
      return parseJwkOrJwksText(input.value, input.type);
    case 'auto':
      return parseAuto(input.value);
    default:
      throw new KeyStoreError('invalid-argument', 'import type must be secret, pem, jwk, jwks or auto');
  }
}

function parseAuto(text: string): ParsedKey[] {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw invalid('import text is empty');
  if (looksLikePem(trimmed)) return parsePem(trimmed);
  if (trimmed.startsWith('{')) return parseJwkOrJwksText(trimmed, 'jwk');
  throw invalid('text is not a PEM key, a JWK or a JWKS; to import a raw secret, choose its encoding');
}

/**
 * A raw HMAC secret, decoded exactly as the verify core decodes one (shared decodeSecret), so a secret
 * imported here and the same text given to `verify --secret` are the same bytes.
 */
export function parseSecret(value: string, encoding: SecretEncoding): ParsedKey {
  let bytes: Uint8Array;
  try {
    bytes = decodeSecret(value, encoding);
  } catch (error) {
    if (error instanceof KeyError) throw invalid(`secret: ${error.message}`);
    throw error;
  }
  const material = materialFromJwk('oct', { kty: 'oct', k: Buffer.from(bytes).toString('base64url') }, true);
  return { material, kid: null, alg: null, labelHint: null };
}
