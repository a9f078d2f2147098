/**
 * Where the issuer's signing keys come from. The issuer only needs the current key, a way to rotate, and
 * the retired keys (kept published until the tokens they signed have expired). The app's key store will
 * implement this interface; MemorySigningKeySource is the default: keys generated with jose, held in memory.
 */
import { exportJWK, generateKeyPair, generateSecret, calculateJwkThumbprint } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import { randomBytes } from 'node:crypto';
import { WorkbenchError } from '../../../shared/core/errors';

export const ASYMMETRIC_ALGS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA', 'Ed25519',
] as const;
export const SYMMETRIC_ALGS = ['HS256', 'HS384', 'HS512'] as const;
export const SIGNING_ALGS = [...ASYMMETRIC_ALGS, ...SYMMETRIC_ALGS] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === 'string' && (SIGNING_ALGS as readonly string[]).includes(value);
}

export function isSymmetricAlg(alg: SigningAlg): alg is (typeof SYMMETRIC_ALGS)[number] {
  return alg.startsWith('HS');
}

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  /**
   * Prepared once, used for every signature: a private key, or for HS* the secret (an HMAC CryptoKey with
   * `sign` and `verify` usages, or a secret KeyObject).
   */
  privateKey: CryptoKey | KeyObject;
  /** The public JWK (with kid, alg, use) for the JWKS; null for a symmetric key, which is never published. */
  publicJwk: JWK | null;
  /** Milliseconds since the epoch, on the issuer's clock. */
  createdAt: number;
}

export interface RetiredSigningKey extends SigningKey {
  /** When it stopped signing (ms, issuer's clock). */
  retiredAt: number;
}

export interface SigningKeySource {
  current(): SigningKey;
  /** Keys that no longer sign but may still verify tokens they signed. */
  retired(): readonly RetiredSigningKey[];
  /** Makes a new key current and retires the old one at `now` (ms, issuer's clock). */
  rotate(now: number): Promise<SigningKey>;
  /** Told once no unexpired token signed by a retired key remains: the source may forget the key. */
  release?(kid: string): void;
}

export class SigningKeyError extends WorkbenchError<'unsupported-alg' | 'key-generation-failed'> {
  override readonly name = 'SigningKeyError';
}

/** Generates a fresh signing key for `alg` (RSA 2048, the alg's curve, or a secret as long as the hash). */
export async function generateSigningKey(alg: SigningAlg, now: number): Promise<SigningKey> {
  if (!isSigningAlg(alg)) throw new SigningKeyError('unsupported-alg', `unsupported signing algorithm: ${String(alg)}`);
  try {
    if (isSymmetricAlg(alg)) {
      const secret = (await generateSecret(alg, { extractable: false })) as CryptoKey;
      // A random kid: a thumbprint of an oct JWK would be a hash of the secret itself.
      return { kid: `hs-${randomBytes(9).toString('base64url')}`, alg, privateKey: secret, publicJwk: null, createdAt: now };
    }
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: false });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    return { kid, alg, privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' }, createdAt: now };
  } catch (error) {
    throw new SigningKeyError('key-generation-failed', `could not generate a ${alg} key: ${(error as Error).message}`);
  }
}

/** Keys generated on demand and held in memory only (they do not survive a restart). */
export class MemorySigningKeySource implements SigningKeySource {
  private active: SigningKey;
  private readonly old: RetiredSigningKey[] = [];

  private constructor(first: SigningKey) {
    this.active = first;
  }

  static async create(alg: SigningAlg, now: number): Promise<MemorySigningKeySource> {
    return new MemorySigningKeySource(await generateSigningKey(alg, now));
  }

  /** Wraps keys made elsewhere (tests, or keys imported once). */
  static of(current: SigningKey, retired: RetiredSigningKey[] = []): MemorySigningKeySource {
    const source = new MemorySigningKeySource(current);
    source.old.push(...retired);
    return source;
  }

  current(): SigningKey {
    return this.active;
  }

  retired(): readonly RetiredSigningKey[] {
    return this.old;
  }

  async rotate(now: number): Promise<SigningKey> {
    const next = await generateSigningKey(this.active.alg, now);
    this.old.push({ ...this.active, retiredAt: now });
    this.active = next;
    return next;
  }

  release(kid: string): void {
    const index = this.old.findIndex((key) => key.kid === kid);
    if (index >= 0) this.old.splice(index, 1);
  }
}
