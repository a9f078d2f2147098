/**
 * The normalized form of a key as the store keeps it: a JWK with only the RFC 7517/7518/8037 key
 * members (no kid/alg/use/x5c — the store keeps those beside it), in a fixed member order. Keys reach it
 * from the core importer (shared/core/keys.ts), whether imported or generated.
 */
import type { JWK } from 'jose';
import { keyMaterial, PRIVATE_MEMBERS, type PreparedKey } from '../../../shared/core/keys';
import type { KeyType } from './algorithms';

/** Members that make a JWK private: the core's one list (store-file.ts refuses them in a public JWK). */
export { PRIVATE_MEMBERS };

const MEMBER_ORDER: Record<KeyType, { public: readonly string[]; private: readonly string[] }> = {
  RSA: { public: ['kty', 'n', 'e'], private: ['d', 'p', 'q', 'dp', 'dq', 'qi'] },
  EC: { public: ['kty', 'crv', 'x', 'y'], private: ['d'] },
  OKP: { public: ['kty', 'crv', 'x'], private: ['d'] },
  oct: { public: ['kty'], private: ['k'] },
};

export function publicMembers(kty: KeyType): readonly string[] {
  return MEMBER_ORDER[kty].public;
}

/** A key in the store's normalized shape, with what is known about it without decrypting. */
export interface StoredKeyMaterial {
  kty: KeyType;
  /** EC / OKP curve, else null. */
  crv: string | null;
  /** RSA modulus bits, EC / OKP curve bits, HMAC secret bits. */
  size: number;
  hasPrivate: boolean;
  /** Key members only; includes the private members when hasPrivate. */
  jwk: JWK;
  /** An id-RSASSA-PSS key: PS256/384/512 only, which its JWK cannot say (the store keeps it beside). */
  pssOnly: boolean;
}

/** Copies only the members of the key type, in a fixed order (so equal keys serialize equally). */
export function canonicalJwk(kty: KeyType, source: Record<string, unknown>, withPrivate: boolean): JWK {
  const out: Record<string, unknown> = {};
  const order = MEMBER_ORDER[kty];
  for (const name of withPrivate ? [...order.public, ...order.private] : order.public) {
    if (source[name] !== undefined) out[name] = source[name];
  }
  out.kty = kty;
  return out as JWK;
}

/** The public JWK of a key, or null for an HMAC secret (it has no public part). */
export function publicJwkOf(material: Pick<StoredKeyMaterial, 'kty' | 'jwk'>): JWK | null {
  if (material.kty === 'oct') return null;
  return canonicalJwk(material.kty, material.jwk as Record<string, unknown>, false);
}

/** What the store keeps of a key the core importer read: its private JWK too, when it has one. */
export function storedMaterialOf(key: PreparedKey): StoredKeyMaterial {
  const m = keyMaterial(key);
  const hasPrivate = key.type !== 'public';
  // A secret's `jwk` is {kty: 'oct', k}; an asymmetric key's private JWK holds its public members too.
  const members = key.type === 'private' ? m.privateJwk : m.jwk;
  return {
    kty: key.kty,
    crv: key.crv,
    size: key.bits,
    hasPrivate,
    jwk: canonicalJwk(key.kty, members as Record<string, unknown>, hasPrivate),
    pssOnly: m.pssOnly,
  };
}

/** Human form of type and size, e.g. "RSA 2048", "RSA-PSS 2048", "EC P-256", "OKP Ed25519", "HMAC secret of 256 bits". */
export function storedKeyDescription(material: Pick<StoredKeyMaterial, 'kty' | 'crv' | 'size' | 'pssOnly'>): string {
  if (material.kty === 'RSA') return `${material.pssOnly ? 'RSA-PSS' : 'RSA'} ${material.size}`;
  if (material.kty === 'oct') return `HMAC secret of ${material.size} bits`;
  return `${material.kty} ${material.crv ?? '?'}`;
}
