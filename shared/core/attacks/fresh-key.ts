/**
 * Keys made for an attack (embedded-jwk, jku, x5u): a new key pair, its public JWK named by its RFC 7638
 * thumbprint. The family follows the token's alg (its verifier expects that kind of signature) unless
 * `--key-type` says otherwise; anything but RS*, PS* and ES* gets EC P-256.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { jwsAlgorithm, type JwsAlgorithm } from '../algorithms';
import type { PublicJwk } from '../keys';
import { AttackError, type AttackJwk, type FreshKeyType } from './types';

export interface FreshKey {
  alg: JwsAlgorithm;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
  /** Public members only, then kid (the thumbprint). */
  jwk: AttackJwk;
}

/** The alg a fresh key signs with, for a token with `tokenAlg`. */
export function freshKeyAlgorithm(tokenAlg: string, keyType: FreshKeyType | undefined): JwsAlgorithm {
  const own = jwsAlgorithm(tokenAlg);
  const family = keyType ?? (own?.kty === 'RSA' ? 'rsa' : 'ec');
  if (family === 'rsa') return own?.kty === 'RSA' ? own : (jwsAlgorithm('RS256') as JwsAlgorithm);
  return own?.kty === 'EC' ? own : (jwsAlgorithm('ES256') as JwsAlgorithm);
}

export async function generateFreshKey(alg: JwsAlgorithm): Promise<FreshKey> {
  try {
    // Extractable: the x5u certificate needs the public key's SPKI.
    const { publicKey, privateKey } = await generateKeyPair(alg.name, { extractable: true, modulusLength: 2048 });
    const exported = await exportJWK(publicKey);
    const pub: PublicJwk =
      exported.kty === 'RSA'
        ? { kty: 'RSA', n: exported.n as string, e: exported.e as string }
        : { kty: 'EC', crv: exported.crv as string, x: exported.x as string, y: exported.y as string };
    const kid = await calculateJwkThumbprint({ ...pub }, 'sha256');
    return { alg, publicKey, privateKey, jwk: { ...pub, kid } };
  } catch (e) {
    throw new AttackError('crypto-failed', `could not generate a ${alg.name} key: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}
