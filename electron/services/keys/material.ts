/**
 * The normalized form of a key as the store keeps it: a JWK with only the RFC 7517/7518/8037 key
 * members (no kid/alg/use/x5c — the store keeps those beside it), in a fixed member order.
 */
import type { JWK } from 'jose';
import type { KeyType } from './algorithms';
import { EC_CURVE_BITS, OKP_CURVE_BITS } from './algorithms';

/** Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). `oth` is refused at import. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

const MEMBER_ORDER: Record<KeyType, { public: readonly string[]; private: readonly string[] }> = {
  RSA: { public: ['kty', 'n', 'e'], private: ['d', 'p', 'q', 'dp', 'dq', 'qi'] },
  EC: { public: ['kty', 'crv', 'x', 'y'], private: ['d'] },
  OKP: { public: ['kty', 'crv', 'x'], private: ['d'] },
  oct: { public: ['kty'], private: ['k'] },
};

export function publicMembers(kty: KeyType): readonly string[] {
  return MEMBER_ORDER[kty].public;
}
export function privateMembers(kty: KeyType): readonly string[] {
  return MEMBER_ORDER[kty].private;
}

/** A key in the store's normalized shape, with what is known about it without decrypting. */
export interface KeyMaterial {
  kty: KeyType;
  /** EC / OKP curve, else null. */
  crv: string | null;
  /** RSA modulus bits, EC / OKP curve bits, HMAC secret bits. */
  size: number;
  hasPrivate: boolean;
  /** Key members only; includes the private members when hasPrivate. */
  jwk: JWK;
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
export function publicJwkOf(material: Pick<KeyMaterial, 'kty' | 'jwk'>): JWK | null {
  if (material.kty === 'oct') return null;
  return canonicalJwk(material.kty, material.jwk as Record<string, unknown>, false);
}

/** Bits of a big-endian unsigned integer given in base64url (an RSA modulus), leading zeros ignored. */
export function integerBits(base64url: string): number {
  const bytes = Buffer.from(base64url, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] as number));
}

export function keySize(kty: KeyType, jwk: JWK): number {
  switch (kty) {
    case 'RSA':
      return integerBits(jwk.n ?? '');
    case 'EC':
      return EC_CURVE_BITS.get(jwk.crv ?? '') ?? 0;
    case 'OKP':
      return OKP_CURVE_BITS.get(jwk.crv ?? '') ?? 0;
    case 'oct':
      return Buffer.from(jwk.k ?? '', 'base64url').length * 8;
  }
}

export function materialFromJwk(kty: KeyType, jwk: JWK, hasPrivate: boolean): KeyMaterial {
  const canonical = canonicalJwk(kty, jwk as Record<string, unknown>, hasPrivate);
  return {
    kty,
    crv: kty === 'EC' || kty === 'OKP' ? (canonical.crv ?? null) : null,
    size: keySize(kty, canonical),
    hasPrivate,
    jwk: canonical,
  };
}

/** Human form of type and size, e.g. "RSA 2048", "EC P-256", "OKP Ed25519", "oct 256 bits". */
export function describeKey(material: Pick<KeyMaterial, 'kty' | 'crv' | 'size'>): string {
  if (material.kty === 'RSA') return `RSA ${material.size}`;
  if (material.kty === 'oct') return `HMAC secret of ${material.size} bits`;
  return `${material.kty} ${material.crv ?? '?'}`;
}

/** One key read from import text, validated, before it is stored. */
export interface ParsedKey {
  material: KeyMaterial;
  /** The `kid` the source carried (JWK), else null: the store then uses the thumbprint. */
  kid: string | null;
  /** The `alg` the source pinned the key to (JWK), else null. */
  alg: string | null;
  /** A label suggested by the source, e.g. a certificate's subject CN. */
  labelHint: string | null;
}
