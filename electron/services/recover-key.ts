/**
 * RSA public-key recovery from two RS256/384/512 tokens signed by the same key.
 *
 * For a signature s of the encoded message m (EMSA-PKCS1-v1_5, RFC 8017 §9.2), s^e ≡ m (mod n), so n
 * divides s^e − m, and the gcd of that number for two tokens is n times (almost always) a few small
 * primes. The message is rebuilt from the token (hash of the signing input, DigestInfo, padding to the
 * modulus length), so this works for every public exponent tried; the cost is the gcd of two numbers of
 * e × the modulus size in bits (134 million bits for e = 65537 and a 2048-bit key), done in
 * shared/core/bigint-gcd.ts. Each candidate is checked by verifying both tokens with it (node:crypto).
 *
 * PS256/384/512 (RSASSA-PSS) cannot be handled this way: the encoded message contains a random salt and
 * is not reconstructible from the token, and nothing short of it gives a multiple of n.
 */
import { createHash, createPublicKey, constants, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { bitLength, gcd } from '../../shared/core/bigint-gcd';
import { decodeBase64url, encodeBase64url, utf8Bytes } from '../../shared/core/base64url';
import { decodeToken } from '../../shared/core/decode';
import { WorkbenchError, type TokenErrorInfo } from '../../shared/core/errors';

export type RecoverKeyErrorCode =
  | 'token-invalid' // the decoder refuses a token (details.tokenError is its error)
  | 'not-jws' // a JWE or an unsecured token: there is no RSA signature
  | 'alg-unsupported' // a JWS whose alg is not RS256/384/512 or PS256/384/512
  | 'alg-mismatch' // the two tokens name different algorithms
  | 'same-signature' // both tokens carry the same signature: the second tells nothing new
  | 'exponent-invalid' // an exponent to try that is not an odd integer from 3 to 65537
  | 'pss-unrecoverable' // PS256/384/512: the encoded message is randomized
  | 'signature-length'; // a signature too short for any RSA modulus to make it with this hash, or over 4096 bits

/** Codes for what the user asked wrongly (exit 2), as opposed to tokens that cannot yield a key (exit 1). */
export const RECOVER_KEY_USAGE_CODES: ReadonlySet<RecoverKeyErrorCode> = new Set([
  'token-invalid',
  'not-jws',
  'alg-unsupported',
  'alg-mismatch',
  'same-signature',
  'exponent-invalid',
]);

export class RecoverKeyError extends WorkbenchError<RecoverKeyErrorCode> {
  override readonly name = 'RecoverKeyError';
}

export interface RecoveredKeyCandidate {
  e: number;
  /** The modulus, big-endian, base64url (as in the JWK). */
  n: string;
  /** SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"). */
  pem: string;
  /** Public JWK: kty, n, e only. */
  jwk: { kty: 'RSA'; n: string; e: string };
  /** Whether both tokens verify with this key. */
  verifies: boolean;
}

export interface RecoverKeyResult {
  candidates: RecoveredKeyCandidate[];
}

export interface RecoverKeyOptions {
  /** Public exponents to try, in order; default 3 then 65537 (the only ones in real use). */
  exponents?: readonly number[];
  /** Told before each expensive step, for a progress line. */
  onProgress?: (message: string) => void;
}

export const DEFAULT_EXPONENTS: readonly number[] = [3, 65537];

/** The largest modulus tried, 4096 bits: with e = 65537 that is a gcd of two 268-million-bit numbers. */
export const MAX_MODULUS_BYTES = 512;

type RsaAlg = 'RS256' | 'RS384' | 'RS512';

/** The DER DigestInfo prefix of each hash (RFC 8017 §9.2, note 1) and the node:crypto hash name. */
const DIGEST: Record<RsaAlg, { hash: string; prefix: string }> = {
  RS256: { hash: 'sha256', prefix: '3031300d060960864801650304020105000420' },
  RS384: { hash: 'sha384', prefix: '3041300d060960864801650304020205000430' },
  RS512: { hash: 'sha512', prefix: '3051300d060960864801650304020305000440' },
};

interface SignedToken {
  signingInput: Uint8Array;
  signature: Uint8Array;
}

function readToken(text: string, which: 1 | 2): { alg: string; token: SignedToken } {
  const decoded = decodeToken(text);
  if (!decoded.ok) {
    const error: TokenErrorInfo = decoded.error;
    throw new RecoverKeyError('token-invalid', `token ${which} does not decode: ${error.code}: ${error.message}`, {
      details: { tokenError: error },
    });
  }
  const token = decoded.token;
  if (token.kind !== 'jws') {
    throw new RecoverKeyError('not-jws', `token ${which} is ${token.kind === 'jwe' ? 'a JWE' : 'unsecured (alg none)'}: it carries no RSA signature`);
  }
  const alg = token.header.alg;
  if (typeof alg !== 'string' || !/^(RS|PS)(256|384|512)$/.test(alg)) {
    const shown = typeof alg === 'string' ? JSON.stringify(alg.slice(0, 20)) : 'not a string';
    throw new RecoverKeyError('alg-unsupported', `token ${which} has alg ${shown}: key recovery needs RS256/384/512 (or PS*, which cannot be recovered)`);
  }
  const signature = decodeBase64url(token.signature);
  if (signature === null || signature.length === 0) {
    throw new RecoverKeyError('token-invalid', `token ${which} has no signature bytes`);
  }
  return { alg, token: { signingInput: utf8Bytes(token.signingInput), signature } };
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function toBytes(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of the signing input, emLen bytes, as an integer; null if emLen is too short. */
export function pkcs1v15Encoding(alg: RsaAlg, signingInput: Uint8Array, emLen: number): bigint | null {
  const { hash, prefix } = DIGEST[alg];
  const t = prefix + createHash(hash).update(signingInput).digest('hex');
  const tLen = t.length / 2;
  if (emLen < tLen + 11) return null;
  return BigInt(`0x0001${'ff'.repeat(emLen - tLen - 3)}00${t}`);
}

let smallPrimes: number[] | null = null;

/** Primes below 2^16 (a sieve, once): what a gcd of two random-looking numbers is usually made of. */
function primesBelow65536(): number[] {
  if (smallPrimes) return smallPrimes;
  const limit = 65536;
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  smallPrimes = primes;
  return primes;
}

/** g with every prime factor below 2^16 divided out: an RSA modulus has none. */
function withoutSmallFactors(g: bigint): bigint {
  for (const p of primesBelow65536()) {
    const bp = BigInt(p);
    if (bp * bp > g) break;
    while (g % bp === 0n) g /= bp;
  }
  return g;
}

function verifiesBoth(key: KeyObject, alg: RsaAlg, tokens: readonly SignedToken[]): boolean {
  return tokens.every((t) => {
    try {
      return cryptoVerify(DIGEST[alg].hash, t.signingInput, { key, padding: constants.RSA_PKCS1_PADDING }, t.signature);
    } catch {
      return false; // a modulus OpenSSL refuses to use verifies nothing
    }
  });
}

function candidateFor(n: bigint, e: number, alg: RsaAlg, tokens: readonly SignedToken[]): RecoveredKeyCandidate | null {
  const jwk = { kty: 'RSA' as const, n: encodeBase64url(toBytes(n)), e: encodeBase64url(toBytes(BigInt(e))) };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return null;
  }
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  return { e, n: jwk.n, pem, jwk, verifies: verifiesBoth(key, alg, tokens) };
}

function checkExponents(exponents: readonly number[]): void {
  for (const e of exponents) {
    if (!Number.isSafeInteger(e) || e < 3 || e > 65537 || e % 2 === 0) {
      throw new RecoverKeyError('exponent-invalid', `the public exponent ${String(e).slice(0, 20)} is not an odd integer from 3 to 65537`);
    }
  }
}

/**
 * Recovers candidate RSA public keys from two tokens signed by one key. Tries each exponent in turn and
 * stops at the first that yields a key verifying both tokens. Throws RecoverKeyError for tokens that
 * cannot be used (see RECOVER_KEY_USAGE_CODES for those that are the caller's mistake).
 */
export function recoverRsaPublicKey(token1: string, token2: string, options: RecoverKeyOptions = {}): RecoverKeyResult {
  const exponents = options.exponents ?? DEFAULT_EXPONENTS;
  checkExponents(exponents);
  const first = readToken(token1, 1);
  const second = readToken(token2, 2);
  if (first.alg !== second.alg) {
    throw new RecoverKeyError('alg-mismatch', `the tokens use different algorithms (${first.alg} and ${second.alg}): one key signs with one`);
  }
  if (first.alg.startsWith('PS')) {
    throw new RecoverKeyError(
      'pss-unrecoverable',
      `${first.alg} (RSASSA-PSS) signatures cannot be used to recover the key: PSS encodes each message with a random salt, ` +
        'so the signed value cannot be rebuilt from the token, and the gcd method needs it. Only RS256/384/512 tokens work.',
    );
  }
  const alg = first.alg as RsaAlg;
  const tokens = [first.token, second.token];
  if (Buffer.compare(first.token.signature, second.token.signature) === 0) {
    throw new RecoverKeyError('same-signature', 'both tokens carry the same signature: recovery needs two differently signed tokens');
  }
  // A conforming signature is exactly as long as the modulus (RFC 8017 §8.2.2); one a signer shortened by
  // dropping leading zero bytes is shorter, so the longest gives the modulus length. Every modulus of that
  // byte length shares one encoding, so this is the one length to try.
  const k = Math.max(first.token.signature.length, second.token.signature.length);
  if (k > MAX_MODULUS_BYTES) {
    throw new RecoverKeyError(
      'signature-length',
      `the signatures are ${k} bytes, longer than a ${MAX_MODULUS_BYTES * 8}-bit modulus: recovery stops there, its work growing with e × the modulus size`,
    );
  }
  const m1 = pkcs1v15Encoding(alg, first.token.signingInput, k);
  const m2 = pkcs1v15Encoding(alg, second.token.signingInput, k);
  if (m1 === null || m2 === null) {
    throw new RecoverKeyError(
      'signature-length',
      `the signatures are ${k} bytes: no RSA modulus that short can make an ${alg} signature (it needs at least ${DIGEST[alg].prefix.length / 2 + Number(alg.slice(2)) / 8 + 11} bytes)`,
    );
  }
  const s1 = toBigInt(first.token.signature);
  const s2 = toBigInt(second.token.signature);
  const largest = s1 > s2 ? s1 : s2;
  const candidates: RecoveredKeyCandidate[] = [];
  for (const e of exponents) {
    options.onProgress?.(`e = ${e}: computing s^e − m for both tokens (${(8 * k * e).toLocaleString('en-US')} bits each) and their gcd`);
    const bigE = BigInt(e);
    const g = gcd(s1 ** bigE - m1, s2 ** bigE - m2);
    const n = withoutSmallFactors(g);
    // Anything else is not the modulus: too short or too long for the signature, or not above it.
    const bits = bitLength(n);
    if (bits <= 8 * (k - 1) || bits > 8 * k || n <= largest) continue;
    const candidate = candidateFor(n, e, alg, tokens);
    if (candidate === null) continue;
    candidates.push(candidate);
    if (candidate.verifies) break;
  }
  return { candidates };
}
