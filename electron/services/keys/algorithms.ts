/**
 * Which JWS algorithms fit which keys, read from the shared core (so the store, the verifier and the signer
 * agree: `allowedAlgorithms` in shared/core/keys.ts decides), plus what the store generates. The key decides
 * the algorithms, never a token header: this is what `keysForAlg` and signing check.
 */
import type { KeyType } from '../../../shared/core/algorithms';
import { allowedAlgorithms } from '../../../shared/core/keys';

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

export const RSA_GENERATE_BITS = [2048, 3072, 4096] as const;
export const HMAC_MIN_BITS = 128;
export const HMAC_MAX_BITS = 4096;

export function isGenerateAlg(alg: unknown): alg is GenerateAlg {
  return typeof alg === 'string' && (GENERATE_ALGS as readonly string[]).includes(alg);
}

/** Every signing algorithm a key of this type (and curve) fits, whatever its `alg` pin. */
export function algorithmsForKeyType(kty: KeyType, crv: string | null): string[] {
  return allowedAlgorithms(kty, crv, null, false);
}

/** Digest size of an HMAC algorithm: the RFC 7518 §3.2 minimum key size in bits. */
export function hmacHashBits(alg: 'HS256' | 'HS384' | 'HS512'): number {
  return Number(alg.slice(2));
}
