/**
 * Why a key cannot be used: the key importer's error family (shared/core/keys.ts), in a module of its own so
 * that code needing only the error or a secret's encoding (the renderer's key fields) does not load the importer.
 */
import { WorkbenchError } from './errors';

export const KEY_ERROR_CODES = [
  'key-unreadable', // not a secret, PEM, JWK or JWKS at all, or the input has the wrong shape
  'key-too-large', // longer than MAX_KEY_TEXT_CHARS, or a JWKS of more than MAX_JWKS_KEYS keys
  'pem-invalid', // a PEM block whose base64 or DER is broken
  'pem-unsupported', // a PEM block that is not a key (CERTIFICATE REQUEST, PKCS7, …)
  'pem-encrypted', // a password-protected private key
  'jwk-invalid', // a JWK with missing or malformed members
  'jwks-empty', // a JWKS without one usable signature key
  'jwks-mixed', // a JWKS with both symmetric (oct) and asymmetric keys: refused (key confusion)
  'jwks-duplicate-kid', // two keys of a JWKS share a kid: ambiguous, refused
  'key-unsupported', // a well-formed key of a type no supported JWS algorithm uses (Ed448, secp256k1, DSA…)
  'key-not-for-signing', // a key marked for encryption (use "enc", a JWE alg, X25519)
  'key-pair-mismatch', // a private key whose public members belong to another key
  'secret-encoding', // the secret is not valid in the encoding given
  'secret-empty',
] as const;
export type KeyErrorCode = (typeof KEY_ERROR_CODES)[number];

export class KeyError extends WorkbenchError<KeyErrorCode> {
  override readonly name = 'KeyError';
  /** Character offset in the value, where one is meaningful (secret encodings). */
  readonly offset: number | null;

  constructor(code: KeyErrorCode, message: string, offset: number | null = null) {
    super(code, message, offset === null ? undefined : { details: { offset } });
    this.offset = offset;
  }
}
