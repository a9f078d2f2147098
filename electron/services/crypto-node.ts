/**
 * The node:crypto signature backend: the same key policy as the core (which decides everything before
 * calling here), only the raw primitive differs. It is the fast path in Node — one KeyObject per prepared
 * key, made on first use and kept in a WeakMap, and a prepared verifier per (key, alg), so a call is a hash
 * or a public-key operation and nothing else. jose over WebCrypto pays an async round trip and a JWS
 * re-parse per call; this does not.
 */
import { isUtf8 } from 'node:buffer';
import { createHash, createPublicKey, createSecretKey, constants, hash as cryptoHash, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../../shared/core/algorithms';
import { keyMaterial, type PreparedKey } from '../../shared/core/keys';
import type { SignatureBackend } from '../../shared/core/verify';

export type Verifier = (signingInput: string, signature: Uint8Array) => boolean;

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
    case 'HMAC':
      return hmacVerifier(NODE_HASH[alg.hash as keyof typeof NODE_HASH], alg.hashBytes, keyObject.export());
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

/**
 * HMAC (RFC 2104) as two one-shot hashes over K⊕ipad and K⊕opad blocks made once per key:
 * tag = H((K⊕opad) ‖ H((K⊕ipad) ‖ m)). Hand-written because it earns it: createHmac builds an Hmac object per
 * call, which cost more than the rest of an HS256 verification together; `crypto.hash` with 'binary' (latin1:
 * one character per byte) output allocates no Buffer. Checked against createHmac, RFC 4231 and every key
 * length around the block size in test/electron/crypto-node.test.ts.
 */
export function hmacVerifier(hash: 'sha256' | 'sha384' | 'sha512', digestBytes: number, secret: Uint8Array): Verifier {
  const block = digestBytes === 32 ? 64 : 128;
  // A key longer than the block is hashed first (RFC 2104 §2).
  const key = secret.length > block ? Buffer.from(createHash(hash).update(secret).digest()) : secret;
  let inner = Buffer.alloc(block + 1024, 0x36);
  const outer = Buffer.alloc(block + digestBytes, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i] = (inner[i] as number) ^ (key[i] as number);
    outer[i] = (outer[i] as number) ^ (key[i] as number);
  }
  const tag = Buffer.alloc(digestBytes);
  return (input, signature) => {
    if (signature.length !== digestBytes) return false;
    const length = Buffer.byteLength(input, 'utf8');
    if (block + length > inner.length) {
      const grown = Buffer.allocUnsafe(block + length);
      inner.copy(grown, 0, 0, block);
      inner = grown;
    }
    inner.write(input, block, 'utf8');
    outer.write(cryptoHash(hash, inner.subarray(0, block + length), 'binary'), block, 'latin1');
    tag.write(cryptoHash(hash, outer, 'binary'), 0, 'latin1');
    // Constant time: an early-exit compare leaks how many leading bytes of a forged MAC are right.
    return timingSafeEqual(tag, signature);
  };
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
