/**
 * Reads JWK and JWKS text (RFC 7517) into validated keys. Each check names the member at fault, so
 * a user sees "JWK has kty EC but no crv" rather than an OpenSSL error; a JWKS is all or nothing.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readJson } from '../../../shared/core/json';
import type { JWK } from 'jose';
import { algorithmsForKeyType, EC_CURVE_BITS, isJweAlgorithm, isSigningAlg, OKP_CURVE_BITS, type KeyType } from './algorithms';
import { KeyStoreError } from './errors';
import { assertKeyPairMatches, opensslReason } from './key-object';
import { canonicalJwk, materialFromJwk, privateMembers, publicMembers, type ParsedKey } from './material';

/** A JWKS larger than this is not a test key set: refuse rather than spend minutes importing it. */
export const MAX_JWKS_KEYS = 1000;

const KEY_TYPES: readonly KeyType[] = ['RSA', 'EC', 'OKP', 'oct'];
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function invalid(message: string): KeyStoreError {
  return new KeyStoreError('import-invalid', message);
}

/**
 * JSON text to a value; a syntax error says where and what the grammar wanted, but never quotes the
 * offending text (V8's own message does, and that text may be a secret).
 */
export function parseJsonText(text: string, what: string): unknown {
  const read = readJson(text);
  if (read.ok) return read.value;
  const { line, column, reason } = read.error;
  throw invalid(`${what} is not valid JSON at line ${line}, column ${column}: ${reason}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON text holding a JWK or a JWKS (told apart by a `keys` member). */
export function parseJwkOrJwksText(text: string, declared: 'jwk' | 'jwks'): ParsedKey[] {
  const value = parseJsonText(text, declared === 'jwks' ? 'JWKS' : 'JWK');
  if (isObject(value) && 'keys' in value) return parseJwks(value);
  if (declared === 'jwks' && !isObject(value)) throw invalid('JWKS is not a JSON object with a keys array');
  return [parseJwk(value, 'JWK')];
}

export function parseJwks(value: Record<string, unknown>): ParsedKey[] {
  const keys = value.keys;
  if (!Array.isArray(keys)) throw invalid('JWKS keys member is not an array');
  if (keys.length === 0) throw invalid('JWKS has no keys');
  if (keys.length > MAX_JWKS_KEYS) throw invalid(`JWKS has ${keys.length} keys; at most ${MAX_JWKS_KEYS} are imported`);
  // Every key is validated before any is returned, so one bad key imports nothing.
  return keys.map((key, index) => parseJwk(key, `JWKS key ${index}: JWK`));
}

/**
 * Validates one JWK. `what` prefixes every message ("JWK", or "JWKS key 3: JWK").
 */
export function parseJwk(value: unknown, what: string): ParsedKey {
  if (!isObject(value)) throw invalid(`${what} is not a JSON object`);
  const kty = value.kty;
  if (kty === undefined) throw invalid(`${what} has no kty`);
  if (typeof kty !== 'string') throw invalid(`${what} kty is not a string`);
  if (!(KEY_TYPES as readonly string[]).includes(kty)) {
    throw invalid(`${what} has kty ${kty}, which is not a signing key type (RSA, EC, OKP, oct)`);
  }
  const keyType = kty as KeyType;

  checkIntendedUse(value, what);
  const crv = checkCurve(keyType, value, what);

  for (const name of publicMembers(keyType)) {
    if (name === 'kty' || name === 'crv') continue;
    requireBase64url(value, name, keyType, what);
  }
  if (keyType === 'RSA' && value.oth !== undefined) {
    throw invalid(`${what} is a multi-prime RSA key (oth), which is not supported`);
  }
  const present = privateMembers(keyType).filter((name) => value[name] !== undefined);
  const hasPrivate = keyType === 'oct' || present.length > 0;
  if (keyType === 'oct') {
    requireBase64url(value, 'k', keyType, what);
    if ((value.k as string).length === 0) throw invalid(`${what} has kty oct but an empty k`);
  } else if (present.length > 0) {
    const first = present[0] as string;
    for (const name of privateMembers(keyType)) {
      if (value[name] === undefined) {
        throw invalid(
          `${what} has kty ${keyType} and ${first} but no ${name} ` +
            `(a private ${keyType} JWK needs ${privateMembers(keyType).join(', ')})`,
        );
      }
      requireBase64url(value, name, keyType, what);
    }
  }

  const alg = checkAlg(keyType, crv, value, what);
  const kid = value.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    throw invalid(`${what} kid is not a non-empty string`);
  }

  const material = materialFromJwk(keyType, value as JWK, hasPrivate);
  if (keyType !== 'oct') checkWithOpenSsl(material.jwk, keyType, crv, hasPrivate, what);
  if (keyType === 'RSA' && material.size < 512) throw invalid(`${what} RSA modulus is only ${material.size} bits`);
  if (hasPrivate && keyType !== 'oct') {
    assertKeyPairMatches(material, canonicalJwk(keyType, value, false), what);
  }
  return { material, kid: (kid as string | undefined) ?? null, alg, labelHint: null };
}

function checkIntendedUse(value: Record<string, unknown>, what: string): void {
  if (value.use !== undefined && value.use !== 'sig') {
    throw invalid(`${what} has use ${JSON.stringify(value.use)}: only signature keys (use sig) are imported`);
  }
  const ops = value.key_ops;
  if (ops !== undefined) {
    if (!Array.isArray(ops) || !ops.every((op) => typeof op === 'string')) {
      throw invalid(`${what} key_ops is not an array of strings`);
    }
    if (!ops.includes('sign') && !ops.includes('verify')) {
      throw invalid(`${what} key_ops ${JSON.stringify(ops)} allow neither sign nor verify`);
    }
  }
}

function checkCurve(kty: KeyType, value: Record<string, unknown>, what: string): string | null {
  if (kty !== 'EC' && kty !== 'OKP') return null;
  const crv = value.crv;
  if (crv === undefined) throw invalid(`${what} has kty ${kty} but no crv`);
  if (typeof crv !== 'string') throw invalid(`${what} crv is not a string`);
  if (kty === 'EC' && !EC_CURVE_BITS.has(crv)) {
    throw invalid(`${what} has crv ${crv}, which JWS does not support for EC (P-256, P-384, P-521)`);
  }
  if (kty === 'OKP' && !OKP_CURVE_BITS.has(crv)) {
    if (crv === 'X25519' || crv === 'X448') {
      throw invalid(`${what} has crv ${crv}, a key-agreement curve, not a signing curve (Ed25519)`);
    }
    throw invalid(`${what} has crv ${crv}, which is not supported for OKP (Ed25519)`);
  }
  return crv;
}

function checkAlg(kty: KeyType, crv: string | null, value: Record<string, unknown>, what: string): string | null {
  const alg = value.alg;
  if (alg === undefined) return null;
  if (typeof alg !== 'string') throw invalid(`${what} alg is not a string`);
  if (isJweAlgorithm(alg)) throw invalid(`${what} has alg ${alg}: it is an encryption key, not a signing key`);
  if (!isSigningAlg(alg)) throw invalid(`${what} has alg ${alg}, which is not a supported JWS signature algorithm`);
  if (!algorithmsForKeyType(kty, crv).includes(alg)) {
    throw invalid(`${what} has alg ${alg}, which does not fit a ${kty}${crv ? ` ${crv}` : ''} key`);
  }
  return alg;
}

function requireBase64url(value: Record<string, unknown>, name: string, kty: KeyType, what: string): void {
  const member = value[name];
  if (member === undefined) throw invalid(`${what} has kty ${kty} but no ${name}`);
  if (typeof member !== 'string' || !BASE64URL.test(member) || member.length % 4 === 1) {
    throw invalid(`${what} member ${name} is not a base64url string`);
  }
}

/** Lets OpenSSL check the numbers: an EC point on its curve, an RSA key it can load. */
function checkWithOpenSsl(jwk: JWK, kty: KeyType, crv: string | null, hasPrivate: boolean, what: string): void {
  try {
    if (hasPrivate) createPrivateKey({ key: jwk, format: 'jwk' });
    else createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw invalid(`${what} is not a valid ${kty}${crv ? ` ${crv}` : ''} key (${opensslReason(error)})`);
  }
}
