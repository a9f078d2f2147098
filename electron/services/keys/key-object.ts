/**
 * Bridges node:crypto KeyObjects (what OpenSSL parses from PEM, DER, certificates and JWK) to the
 * store's KeyMaterial, refusing key types that cannot sign a JWS with a message that says why.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { EC_CURVE_BITS } from './algorithms';
import { KeyStoreError } from './errors';
import { materialFromJwk, type KeyMaterial } from './material';

/** OpenSSL's curve names → JOSE's (RFC 7518 §6.2.1.1). */
const OPENSSL_CURVES: ReadonlyMap<string, string> = new Map([
  ['prime256v1', 'P-256'],
  ['secp384r1', 'P-384'],
  ['secp521r1', 'P-521'],
]);

function invalid(message: string, cause?: unknown): KeyStoreError {
  return new KeyStoreError('import-invalid', message, cause === undefined ? undefined : { cause });
}

/** Checks that a KeyObject is a JWS signing key type and converts it. `what` starts the messages. */
export function materialFromKeyObject(key: KeyObject, what: string): KeyMaterial {
  const hasPrivate = key.type === 'private';
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return materialFromJwk('RSA', key.export({ format: 'jwk' }) as JWK, hasPrivate);
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
      const crv = OPENSSL_CURVES.get(curve);
      if (crv === undefined) {
        throw invalid(`${what} is an EC key on curve ${curve}, which JWS does not support (P-256, P-384, P-521)`);
      }
      return materialFromJwk('EC', key.export({ format: 'jwk' }) as JWK, hasPrivate);
    }
    case 'ed25519':
      return materialFromJwk('OKP', key.export({ format: 'jwk' }) as JWK, hasPrivate);
    case 'rsa-pss':
      throw invalid(
        `${what} is an RSA-PSS-restricted key (id-RSASSA-PSS), which a JWK cannot express; ` +
          'convert it to a plain RSA key (rsaEncryption) to use it for PS256/PS384/PS512',
      );
    case 'ed448':
      throw invalid(`${what} is an Ed448 key, which is not supported (Ed25519 is)`);
    case 'x25519':
    case 'x448':
      throw invalid(`${what} is an ${key.asymmetricKeyType.toUpperCase()} key-agreement key, not a signing key`);
    default:
      throw invalid(`${what} is a ${key.asymmetricKeyType ?? 'secret'} key, which cannot sign a JWS`);
  }
}

/** node:crypto KeyObjects for an asymmetric key's halves (the private one only when present). */
export function keyObjectsOf(material: KeyMaterial): { publicKey: KeyObject; privateKey: KeyObject | null } {
  if (material.kty === 'oct') throw new Error('keyObjectsOf: an HMAC secret has no key pair');
  const privateKey = material.hasPrivate ? createPrivateKey({ key: material.jwk, format: 'jwk' }) : null;
  const publicKey = privateKey ? createPublicKey(privateKey) : createPublicKey({ key: material.jwk, format: 'jwk' });
  return { publicKey, privateKey };
}

const PROBE = Buffer.from('jwt-workbench key pair check');

/**
 * Proves a private key belongs to the public members it came with: OpenSSL does not check that an RSA
 * JWK's d matches its n, and a JWK's x/y need not match its d. One signature over a fixed message,
 * verified with the public members alone, settles it for every key type.
 */
export function assertKeyPairMatches(material: KeyMaterial, publicJwk: JWK, what: string): void {
  if (material.kty === 'oct' || !material.hasPrivate) return;
  const privateKey = createPrivateKey({ key: material.jwk, format: 'jwk' });
  const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' });
  const digest = material.kty === 'OKP' ? null : material.kty === 'EC' ? ecDigest(material.crv) : 'sha256';
  const signature = sign(digest, PROBE, privateKey);
  if (!verify(digest, PROBE, publicKey, signature)) {
    throw invalid(`${what} private part does not match its public part`);
  }
}

function ecDigest(crv: string | null): string {
  const bits = EC_CURVE_BITS.get(crv ?? '') ?? 256;
  return bits === 521 ? 'sha512' : `sha${bits}`;
}

/** OpenSSL's message without its "error:1E08010C:DECODER routines::" prefix (no key bytes in it). */
export function opensslReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cleaned = message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, '').trim();
  return cleaned.length > 0 ? cleaned : 'unreadable';
}
