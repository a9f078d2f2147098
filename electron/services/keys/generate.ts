/**
 * Key generation. RSA, EC and Ed25519 pairs come from jose's generateKeyPair (WebCrypto in Node, whose
 * generateKey runs as an async job on the libuv thread pool: an RSA 4096 does not block the event
 * loop); HMAC secrets are random bytes from node:crypto's CSPRNG, also off the loop.
 */
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import {
  GENERATE_ALGS,
  HMAC_MAX_BITS,
  HMAC_MIN_BITS,
  hmacHashBits,
  isGenerateAlg,
  RSA_GENERATE_BITS,
  type GenerateAlg,
} from './algorithms';
import { prepareKeys } from '../../../shared/core/keys';
import { KeyStoreError } from './errors';
import { publicJwkOf, storedMaterialOf, type StoredKeyMaterial } from './material';

const randomBytesAsync = promisify(randomBytes);

export interface GenerateOptions {
  /** RSA modulus (2048, 3072, 4096; default 2048) or HMAC secret length (≥ 128, multiple of 8; default the hash size). */
  bits?: number;
  /** Default: the RFC 7638 thumbprint. */
  kid?: string;
}

/**
 * A freshly generated key, private part included: for the CLI's `keygen` and for the store, never for
 * a contract response. `publicJwk` is null for an HMAC secret. Both JWKs carry kid and alg (and the
 * public one `use: sig`), ready for a JWKS or for `jwtdbg sign --key`.
 */
export interface GeneratedKey {
  kid: string;
  alg: GenerateAlg;
  publicJwk: JWK | null;
  privateJwk: JWK;
}

export async function generateKey(alg: GenerateAlg, options: GenerateOptions = {}): Promise<GeneratedKey> {
  const { material, thumbprint } = await generateMaterial(alg, options.bits);
  const kid = options.kid === undefined ? thumbprint : checkKid(options.kid);
  const publicPart = publicJwkOf(material);
  return {
    kid,
    alg,
    publicJwk: publicPart === null ? null : { ...publicPart, kid, alg, use: 'sig' },
    privateJwk: { ...material.jwk, kid, alg },
  };
}

/**
 * The key alone, in the store's normalized form, with its thumbprint. It is read back through the core
 * importer, so a generated key is kept exactly as the same key imported would be.
 */
export async function generateMaterial(
  alg: GenerateAlg,
  bits: number | undefined,
): Promise<{ material: StoredKeyMaterial; thumbprint: string }> {
  if (!isGenerateAlg(alg)) {
    throw new KeyStoreError('unsupported-alg', `cannot generate a key for ${String(alg)} (${GENERATE_ALGS.join(', ')})`);
  }
  let jwk: JWK;
  if (alg.startsWith('HS')) {
    const size = hmacBits(alg as 'HS256' | 'HS384' | 'HS512', bits);
    jwk = { kty: 'oct', k: (await randomBytesAsync(size / 8)).toString('base64url') };
  } else {
    const modulusLength = alg.startsWith('RS') || alg.startsWith('PS') ? rsaBits(bits) : noBits(alg, bits);
    const pair = await generateKeyPair(alg, { extractable: true, ...(modulusLength && { modulusLength }) });
    jwk = await exportJWK(pair.privateKey);
  }
  const [key] = (await prepareKeys({ type: 'jwk', value: JSON.stringify(jwk) })).keys;
  if (!key) throw new Error(`the key importer read no key from a generated ${alg} key`);
  return { material: storedMaterialOf(key), thumbprint: key.thumbprint };
}

function rsaBits(bits: number | undefined): number {
  if (bits === undefined) return 2048;
  if (!(RSA_GENERATE_BITS as readonly number[]).includes(bits)) {
    throw new KeyStoreError('invalid-argument', `RSA keys are generated with ${RSA_GENERATE_BITS.join(', ')} bits, not ${bits}`);
  }
  return bits;
}

function hmacBits(alg: 'HS256' | 'HS384' | 'HS512', bits: number | undefined): number {
  if (bits === undefined) return hmacHashBits(alg);
  if (!Number.isInteger(bits) || bits % 8 !== 0 || bits < HMAC_MIN_BITS || bits > HMAC_MAX_BITS) {
    throw new KeyStoreError(
      'invalid-argument',
      `an HMAC secret has a whole number of bytes between ${HMAC_MIN_BITS} and ${HMAC_MAX_BITS} bits, not ${bits}`,
    );
  }
  return bits;
}

/** EC and Ed25519 sizes follow from the curve; a --bits that disagrees is a mistake worth reporting. */
function noBits(alg: GenerateAlg, bits: number | undefined): undefined {
  const curveBits: Record<string, number> = { ES256: 256, ES384: 384, ES512: 521, EdDSA: 256 };
  if (bits !== undefined && bits !== curveBits[alg]) {
    throw new KeyStoreError('invalid-argument', `${alg} keys have ${curveBits[alg]} bits; --bits ${bits} does not apply`);
  }
  return undefined;
}

/** A kid is free text for the user, within reason: no control characters, at most 256 characters. */
export function checkKid(kid: string): string {
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256 || /\p{Cc}/u.test(kid)) {
    throw new KeyStoreError('invalid-argument', 'a kid is 1 to 256 characters without control characters');
  }
  return kid;
}
