/**
 * The JWS algorithms the core verifies and signs (RFC 7518 §3, RFC 8037, RFC 9864), described once so that
 * key policy, both signature backends and signing read the same facts.
 */
export type JwsAlgorithmName =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

export type AlgorithmFamily = 'HMAC' | 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | 'EdDSA';
export type KeyType = 'oct' | 'RSA' | 'EC' | 'OKP';
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type CurveName = 'P-256' | 'P-384' | 'P-521' | 'Ed25519';

export interface JwsAlgorithm {
  readonly name: JwsAlgorithmName;
  readonly family: AlgorithmFamily;
  readonly kty: KeyType;
  /** The curve the key must be on (ECDSA, EdDSA); null for HMAC and RSA. */
  readonly crv: CurveName | null;
  /** Digest of the signing input; null for EdDSA, which hashes internally. */
  readonly hash: HashName | null;
  /** Digest output length in bytes: the HMAC tag length, the PSS salt length, the minimum HMAC secret. */
  readonly hashBytes: number;
  /** Fixed signature length in bytes; null for RSA, whose signatures are as long as the modulus. */
  readonly signatureBytes: number | null;
}

function hmac(name: JwsAlgorithmName, hash: HashName, bytes: number): JwsAlgorithm {
  return { name, family: 'HMAC', kty: 'oct', crv: null, hash, hashBytes: bytes, signatureBytes: bytes };
}
function rsa(name: JwsAlgorithmName, family: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: HashName, bytes: number): JwsAlgorithm {
  return { name, family, kty: 'RSA', crv: null, hash, hashBytes: bytes, signatureBytes: null };
}
function ecdsa(name: JwsAlgorithmName, crv: CurveName, hash: HashName, bytes: number, coordinate: number): JwsAlgorithm {
  // RFC 7518 §3.4: R || S, each as long as the curve's coordinates (66 bytes for P-521).
  return { name, family: 'ECDSA', kty: 'EC', crv, hash, hashBytes: bytes, signatureBytes: 2 * coordinate };
}
function eddsa(name: JwsAlgorithmName): JwsAlgorithm {
  return { name, family: 'EdDSA', kty: 'OKP', crv: 'Ed25519', hash: null, hashBytes: 64, signatureBytes: 64 };
}

/** In the order the UI offers them. */
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = Object.freeze([
  hmac('HS256', 'SHA-256', 32),
  hmac('HS384', 'SHA-384', 48),
  hmac('HS512', 'SHA-512', 64),
  rsa('RS256', 'RSASSA-PKCS1-v1_5', 'SHA-256', 32),
  rsa('RS384', 'RSASSA-PKCS1-v1_5', 'SHA-384', 48),
  rsa('RS512', 'RSASSA-PKCS1-v1_5', 'SHA-512', 64),
  rsa('PS256', 'RSA-PSS', 'SHA-256', 32),
  rsa('PS384', 'RSA-PSS', 'SHA-384', 48),
  rsa('PS512', 'RSA-PSS', 'SHA-512', 64),
  ecdsa('ES256', 'P-256', 'SHA-256', 32, 32),
  ecdsa('ES384', 'P-384', 'SHA-384', 48, 48),
  ecdsa('ES512', 'P-521', 'SHA-512', 64, 66),
  eddsa('EdDSA'),
  eddsa('Ed25519'),
]);

export const JWS_ALGORITHM_NAMES: readonly JwsAlgorithmName[] = Object.freeze(JWS_ALGORITHMS.map((a) => a.name));

// A Map, not an object: a header alg of "__proto__" or "constructor" must simply not be found.
const BY_NAME = new Map<string, JwsAlgorithm>(JWS_ALGORITHMS.map((a) => [a.name, a]));

export function jwsAlgorithm(name: unknown): JwsAlgorithm | undefined {
  return typeof name === 'string' ? BY_NAME.get(name) : undefined;
}

/** JWE key-management and content-encryption identifiers (RFC 7518 §4–5): a key carrying one is not for JWS. */
const JWE_ALGORITHMS = new Set([
  'RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'A128KW', 'A192KW', 'A256KW', 'dir',
  'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW',
  'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW', 'A128CBC-HS256', 'A192CBC-HS384',
  'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM',
]);

export function isJweAlgorithm(name: string): boolean {
  return JWE_ALGORITHMS.has(name);
}

/** The WebCrypto parameters for sign/verify with this algorithm (RFC 7518 §3.5: PSS salt = hash length). */
export function webCryptoSignParams(alg: JwsAlgorithm): { name: string; hash?: string; saltLength?: number } {
  switch (alg.family) {
    case 'HMAC':
      return { name: 'HMAC', hash: alg.hash as string };
    case 'RSASSA-PKCS1-v1_5':
      return { name: 'RSASSA-PKCS1-v1_5', hash: alg.hash as string };
    case 'RSA-PSS':
      return { name: 'RSA-PSS', hash: alg.hash as string, saltLength: alg.hashBytes };
    case 'ECDSA':
      return { name: 'ECDSA', hash: alg.hash as string };
    case 'EdDSA':
      return { name: 'Ed25519' };
  }
}

/** "an RSA key", "a P-256 EC key", … for messages. */
export function describeKeyType(kty: KeyType, crv: string | null): string {
  switch (kty) {
    case 'oct':
      return 'a shared secret';
    case 'RSA':
      return 'an RSA key';
    case 'EC':
      return `a ${crv ?? 'EC'} EC key`;
    case 'OKP':
      return `an ${crv ?? 'OKP'} key`;
  }
}

/** What kind of key an algorithm needs, for messages: "an RSA key", "a P-384 EC key", "a shared secret". */
export function describeNeededKey(alg: JwsAlgorithm): string {
  return describeKeyType(alg.kty, alg.crv);
}
