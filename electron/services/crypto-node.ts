/**
 * The node:crypto signature backend: the same key policy as the core (which decides everything before
 * calling here), only the raw primitive differs. It is the fast path in Node — one KeyObject per prepared
 * key, made on first use and kept in a WeakMap, and a prepared verifier per (key, alg), so a call is a hash
 * or a public-key operation and nothing else. jose over WebCrypto pays an async round trip and a JWS
 * re-parse per call; this does not.
 */
import { isUtf8 } from 'node:buffer';
import { createHmac, createPublicKey, createSecretKey, constants, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../../shared/core/algorithms';
import { keyMaterial, type PreparedKey } from '../../shared/core/keys';
import type { SignatureBackend } from '../../shared/core/verify';

type Verifier = (signingInput: string, signature: Uint8Array) => boolean;

const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

export function createNodeBackend(): SignatureBackend {
  const verifiers = new WeakMap<PreparedKey, Map<string, Verifier>>();
  const keyObjects = new WeakMap<PreparedKey, KeyObject>();

  function keyObjectOf(key: PreparedKey): KeyObject {
    let keyObject = keyObjects.get(key);
    if (!keyObject) {
      const m = keyMaterial(key);
      keyObject = m.secret ? createSecretKey(m.secret) : createPublicKey({ key: { ...m.jwk } as never, format: 'jwk' });
      keyObjects.set(key, keyObject);
    }
    return keyObject;
  }

  function verifierFor(alg: JwsAlgorithm, key: PreparedKey): Verifier {
    let byAlg = verifiers.get(key);
    if (!byAlg) verifiers.set(key, (byAlg = new Map()));
    let verifier = byAlg.get(alg.name);
    if (!verifier) {
      verifier = makeVerifier(alg, keyObjectOf(key));
      byAlg.set(alg.name, verifier);
    }
    return verifier;
  }

  return {
    name: 'node:crypto',
    verify(alg, key, signingInput, signature) {
      return verifierFor(alg, key)(signingInput, signature);
    },
    decodeBase64url,
    decodeBase64urlText,
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict (no padding, no '+' or '/', no whitespace) where Buffer alone is lenient; then Buffer's native decoder. */
function decodeBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1 || !BASE64URL.test(text)) return null;
  return Buffer.from(text, 'base64url');
}

/**
 * Decoded header and payload bytes are only read as text, so they go through one reused buffer instead of
 * a fresh allocation per segment: a payload per verification otherwise churns Buffer's shared 8 KiB pool,
 * and replacing the pool's ArrayBuffer every few tokens showed as garbage collection in profiles. Safe to
 * share because the decode and the toString below run synchronously, back to back.
 */
const SCRATCH = Buffer.allocUnsafe(16 * 1024);

/** Strict base64url (as decodeBase64url) to strict UTF-8 text (isUtf8 rejects what a fatal TextDecoder rejects). */
function decodeBase64urlText(text: string): string | null {
  if (text.length % 4 === 1 || !BASE64URL.test(text)) return null;
  const size = (text.length * 3) >>> 2;
  const bytes = size <= SCRATCH.length ? SCRATCH.subarray(0, SCRATCH.write(text, 0, size, 'base64url')) : Buffer.from(text, 'base64url');
  // toString('utf8') keeps a leading BOM, as the core's decoder (ignoreBOM) does: text maps 1:1 onto bytes.
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}

function makeVerifier(alg: JwsAlgorithm, keyObject: KeyObject): Verifier {
  switch (alg.family) {
    case 'HMAC': {
      const hash = NODE_HASH[alg.hash as keyof typeof NODE_HASH];
      return (input, signature) => {
        const mac = createHmac(hash, keyObject).update(input, 'utf8').digest();
        // Constant time: an early-exit compare leaks how many leading bytes of a forged MAC are right.
        return mac.length === signature.length && timingSafeEqual(mac, signature);
      };
    }
    case 'RSASSA-PKCS1-v1_5':
      return primitive(NODE_HASH[alg.hash as keyof typeof NODE_HASH], keyObject);
    case 'RSA-PSS':
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
      return primitive(NODE_HASH[alg.hash as keyof typeof NODE_HASH], {
        key: keyObject,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: alg.hashBytes,
      });
    case 'ECDSA':
      // RFC 7518 §3.4: R || S, not DER.
      return primitive(NODE_HASH[alg.hash as keyof typeof NODE_HASH], { key: keyObject, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return primitive(null, keyObject);
  }
}

function primitive(hash: string | null, key: Parameters<typeof verify>[2]): Verifier {
  return (input, signature) => {
    try {
      return verify(hash, Buffer.from(input, 'utf8'), key, signature);
    } catch {
      // OpenSSL throws for signatures it cannot even parse; to the caller that is simply "does not match".
      return false;
    }
  };
}
