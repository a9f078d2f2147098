/**
 * Compact JWS signing on node:crypto's synchronous primitives: the issuer's hot path (an access token and an
 * ID token on every refresh). jose's SignJWT goes through WebCrypto — an async job per signature and a
 * header re-validation — which the refresh benchmark's profile showed as the largest cost. The key policy is
 * the issuer's own and unchanged: the keyring decides which key signs and with which (pinned) alg; this only
 * performs the primitive, with the JWA encodings (RFC 7518 §3): ECDSA as r||s, RSASSA-PSS with a salt as long
 * as the hash.
 */
import { KeyObject, constants, createHmac, sign } from 'node:crypto';
import type { CryptoKey, KeyObject as JoseKeyObject } from 'jose';
import type { SigningAlg } from './keys';

const HASH: Record<string, 'sha256' | 'sha384' | 'sha512'> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** KeyObjects of the keys in use, made once per key (a CryptoKey, extractable or not, has one underneath). */
const keyObjects = new WeakMap<object, KeyObject>();

function keyObjectOf(key: CryptoKey | JoseKeyObject): KeyObject {
  if (key instanceof KeyObject) return key;
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = KeyObject.from(key as unknown as Parameters<typeof KeyObject.from>[0]);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

function signature(alg: SigningAlg, key: KeyObject, data: Buffer): Buffer {
  const hash = HASH[alg.slice(2)];
  switch (alg.slice(0, 2)) {
    case 'HS':
      return createHmac(hash!, key).update(data).digest();
    case 'RS':
      return sign(hash!, data, key);
    case 'PS':
      return sign(hash!, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    case 'ES':
      return sign(hash!, data, { key, dsaEncoding: 'ieee-p1363' });
    default:
      // EdDSA / Ed25519: the curve fixes the hash.
      return sign(null, data, key);
  }
}

/** `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)` of the JSON of both, signed with `alg`. */
export function signCompactJws(header: Record<string, unknown>, payload: Record<string, unknown>, alg: SigningAlg, key: CryptoKey | JoseKeyObject): string {
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${signature(alg, keyObjectOf(key), Buffer.from(signingInput)).toString('base64url')}`;
}
