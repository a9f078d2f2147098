import type { TokenErrorInfo } from './errors';

/** Why a signature did not verify. Stable: the CLI prints these as `reason`. */
export type VerifyReason =
  | 'signature-mismatch'
  | 'alg-not-allowed' // the key (or --alg, or the JWK's own alg) does not permit the token's alg
  | 'key-type-mismatch' // e.g. an RSA key for an ES256 token
  | 'unsupported-alg'
  | 'no-matching-key' // no key in a JWKS fits (kid / kty / alg)
  | 'alg-none' // unsecured JWS is never verified
  | 'not-a-jws' // a JWE cannot be verified with a signature key
  | 'malformed-token'
  | 'invalid-key'
  | 'crit-unsupported' // crit lists an extension this verifier does not implement, or crit / b64 are malformed (RFC 7515 §4.1.11, RFC 7797 §6)
  | 'base64url-noncanonical' // a part's last character has non-zero unused bits (RFC 4648 §3.5): malleable, refused
  | 'payload-detached' // detached content (RFC 7515 Appendix F): the payload is not in the token
  | 'jwks-mixed' // the JWKS mixes symmetric and asymmetric keys: a key-confusion risk, refused
  | 'jwks-duplicate-kid' // two keys in the JWKS share a kid: which one the issuer meant is ambiguous
  | 'internal-error'; // a defect in the verifier itself, reported instead of thrown

export interface ClaimCheck {
  claim: string; // exp, nbf, iat, aud, iss; at_hash, c_hash, s_hash, nonce, azp when token-pair values are given
  ok: boolean;
  /**
   * False when the claim was only reported, not judged (aud / iss with no expected value): `ok` is then true,
   * so aggregates are unchanged, but a UI must not show it as passed.
   */
  checked: boolean;
  message: string;
}

export interface VerifyOptions {
  /** Algorithms the caller allows (intersected with what the key allows). */
  algorithms?: string[];
  audience?: string | string[];
  issuer?: string | string[];
  /** Claims the payload must contain; each missing one is a failed claim check. */
  requiredClaims?: string[];
  /** NumericDate (seconds) to validate time claims at; default: now. */
  now?: number;
  /** Clock tolerance in seconds for exp / nbf / iat. */
  leeway?: number;
  /** OpenID Connect token-pair checks of an ID token (shared/core/token-pair.ts), each reported as a claim check. */
  accessToken?: string; // → at_hash
  code?: string; // → c_hash
  state?: string; // → s_hash
  nonce?: string; // → nonce
  /** SD-JWT (RFC 9901 §7.3): the KB-JWT's expected aud and nonce; either one makes a KB-JWT required. */
  kbAudience?: string;
  kbNonce?: string;
}

export interface MatchedKey {
  kid: string | null;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key, or of the secret key for oct. */
  thumbprint: string | null;
  kty: string;
  /** Position in the JWKS when the key came from one. */
  index: number | null;
}

export interface KeyPolicyWarning {
  rule: 'hmac-secret-short' | 'rsa-key-small' | 'rsa-exponent-weak' | 'rsa-key-roca';
  /** The same severity everywhere the rule is reported (hmac-secret-short is also a lint rule: its severity). */
  severity: 'error' | 'warning';
  message: string;
}

export interface VerifyResult {
  /** The signature, under the key policy alone. */
  valid: boolean;
  alg: string | null;
  kid: string | null;
  reason: VerifyReason | null;
  message: string;
  key: MatchedKey | null;
  warnings: KeyPolicyWarning[];
  claims: ClaimCheck[];
  /** valid and every claim check passed. */
  ok: boolean;
  /** For a general JWS JSON serialization: which entry of `signatures` the result is about. */
  signatureIndex?: number;
  /** With reason `malformed-token`: the decoder's error (the same code, message and position `decode` gives). */
  error?: TokenErrorInfo;
}
