/**
 * Keys and tokens for the key / verify / sign / node-backend tests, made with node:crypto directly: tokens
 * the code under test must verify are never produced by the code under test.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export function fixtureText(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}

export function fixtureJson<T = any>(relative: string): T {
  return JSON.parse(fixtureText(relative)) as T;
}

export const b64u = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');

export interface Pair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function pair(type: 'rsa' | 'rsa-pss' | 'ec' | 'ed25519', options: object = {}): Pair {
  return crypto.generateKeyPairSync(type as 'rsa', options as crypto.RSAKeyPairKeyObjectOptions);
}

/** Generated once per test file (RSA generation is slow on two shared cores). */
export function makeKeys() {
  return {
    rsa: pair('rsa', { modulusLength: 2048 }),
    rsaOther: pair('rsa', { modulusLength: 2048 }),
    rsaWeak: pair('rsa', { modulusLength: 1024, publicExponent: 3 }),
    p256: pair('ec', { namedCurve: 'P-256' }),
    p384: pair('ec', { namedCurve: 'P-384' }),
    p521: pair('ec', { namedCurve: 'P-521' }),
    ed25519: pair('ed25519'),
    secret: crypto.randomBytes(64),
  };
}
export type Keys = ReturnType<typeof makeKeys>;

export type Alg =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA' | 'Ed25519';

export const ALL_ALGS: Alg[] = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** The node:crypto signature of `input` for a JWS alg (RFC 7518 §3): the independent reference. */
export function nodeSignature(alg: Alg, key: KeyObject | Buffer, input: string | Buffer): Buffer {
  const data = Buffer.from(input);
  const hash = HASH[alg.slice(2)] as string;
  if (alg.startsWith('HS')) return crypto.createHmac(hash, key as Buffer).update(data).digest();
  if (alg.startsWith('RS')) return crypto.sign(hash, data, key as KeyObject);
  if (alg.startsWith('PS')) {
    return crypto.sign(hash, data, {
      key: key as KeyObject,
      padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(alg.slice(2)) / 8,
    });
  }
  if (alg.startsWith('ES')) return crypto.sign(hash, data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  return crypto.sign(null, data, key as KeyObject);
}

/** A compact JWS signed by node:crypto over the exact header and payload text. */
export function nodeToken(alg: Alg, key: KeyObject | Buffer, header: object | string, payload: object | string): string {
  const h = typeof header === 'string' ? header : JSON.stringify({ alg, ...header });
  const p = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${b64u(h)}.${b64u(p)}`;
  return `${input}.${b64u(nodeSignature(alg, key, input))}`;
}

/** For each alg: a signing key and the public key (as a PEM or secret text) a verifier is given. */
export function algSetup(keys: Keys, alg: Alg): { signKey: KeyObject | Buffer; verifyPem: string | null; secretB64u: string | null } {
  if (alg.startsWith('HS')) return { signKey: keys.secret, verifyPem: null, secretB64u: b64u(keys.secret) };
  const p = alg.startsWith('RS') || alg.startsWith('PS') ? keys.rsa : alg === 'ES256' ? keys.p256 : alg === 'ES384' ? keys.p384 : alg === 'ES512' ? keys.p521 : keys.ed25519;
  return { signKey: p.privateKey, verifyPem: p.publicKey.export({ type: 'spki', format: 'pem' }) as string, secretB64u: null };
}

export function verifyKeyInput(keys: Keys, alg: Alg) {
  const s = algSetup(keys, alg);
  return s.secretB64u !== null
    ? ({ type: 'secret', value: s.secretB64u, encoding: 'base64url' } as const)
    : ({ type: 'pem', value: s.verifyPem as string } as const);
}

/** Flips one bit inside a base64url segment's decoded bytes and re-encodes it. */
export function tamperSegment(token: string, segment: 0 | 1 | 2): string {
  const parts = token.split('.');
  const bytes = Buffer.from(parts[segment] as string, 'base64url');
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  parts[segment] = bytes.toString('base64url');
  return parts.join('.');
}

export function pem(key: KeyObject, type: 'spki' | 'pkcs1' | 'pkcs8' | 'sec1'): string {
  return key.export({ type, format: 'pem' } as never) as unknown as string;
}

export function jwkOf(key: KeyObject, extra: object = {}): string {
  return JSON.stringify({ ...(key.export({ format: 'jwk' }) as object), ...extra });
}
