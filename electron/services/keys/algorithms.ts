/**
 * Which JWS algorithms fit which keys, read from the shared core's algorithm table (so the store, the
 * verifier and the signer agree), plus what the store generates. The key decides the algorithms,
 * never a token header: this is what `keysForAlg` and signing check.
 */
import { JWS_ALGORITHMS, JWS_ALGORITHM_NAMES, isJweAlgorithm, type KeyType } from '../../../shared/core/algorithms';

export type { KeyType };

/** Algorithms a key can be generated for (the `jwtdbg keygen ALG` set). */
export const GENERATE_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'HS256',
  'HS384',
  'HS512',
] as const;
export type GenerateAlg = (typeof GENERATE_ALGS)[number];

// Maps, not objects: a crv of "constructor" or "__proto__" from an imported JWK must simply not be found.
/** The EC curves JWS uses (RFC 7518 §3.4), with their sizes in bits. */
export const EC_CURVE_BITS: ReadonlyMap<string, number> = new Map([
  ['P-256', 256],
  ['P-384', 384],
  ['P-521', 521],
]);
/** Ed25519 only: X25519 is for key agreement, and jose's JWS has no Ed448. */
export const OKP_CURVE_BITS: ReadonlyMap<string, number> = new Map([['Ed25519', 256]]);

export const RSA_GENERATE_BITS = [2048, 3072, 4096] as const;
export const HMAC_MIN_BITS = 128;
export const HMAC_MAX_BITS = 4096;

export function isGenerateAlg(alg: unknown): alg is GenerateAlg {
  return typeof alg === 'string' && (GENERATE_ALGS as readonly string[]).includes(alg);
}

export function isSigningAlg(alg: unknown): alg is string {
  return typeof alg === 'string' && (JWS_ALGORITHM_NAMES as readonly string[]).includes(alg);
}

export { isJweAlgorithm };

/** Every signing algorithm a key of this type (and curve) fits, whatever its `alg` pin. */
export function algorithmsForKeyType(kty: KeyType, crv: string | null): string[] {
  return JWS_ALGORITHMS.filter((a) => a.kty === kty && (a.crv === null || a.crv === crv)).map((a) => a.name);
}

/** The algorithms a key may be used with: its pinned `alg` alone when it has one, else all that fit. */
export function allowedAlgorithms(kty: KeyType, crv: string | null, pinnedAlg: string | null): string[] {
  const fitting = algorithmsForKeyType(kty, crv);
  if (pinnedAlg === null) return fitting;
  return fitting.includes(pinnedAlg) ? [pinnedAlg] : [];
}

/** Digest size of an HMAC algorithm: the RFC 7518 §3.2 minimum key size in bits. */
export function hmacHashBits(alg: 'HS256' | 'HS384' | 'HS512'): number {
  return Number(alg.slice(2));
}
