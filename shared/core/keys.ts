/**
 * Keys, read once. `prepareKeys` turns whatever the user handed over (a secret in some encoding, a PEM key or
 * certificate, a JWK, a JWKS) into PreparedKeys: normalized public JWKs plus the facts key policy needs
 * (type, curve, size, the algorithms the key allows). Verification and signing then never parse a key again.
 * Private material (secrets, private JWKs) is kept off the objects, in a module-private WeakMap, so a
 * PreparedKeys can be logged or serialized without leaking it.
 */
import { calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, importSPKI, importX509, type JWK } from 'jose';
import {
  JWS_ALGORITHMS,
  describeKeyType,
  isJweAlgorithm,
  jwsAlgorithm,
  type CurveName,
  type JwsAlgorithm,
  type JwsAlgorithmName,
  type KeyType,
} from './algorithms';
import { decodeBase64, decodeBase64url, encodeBase64url, findBase64urlProblem, utf8Bytes } from './base64url';
import {
  DerError,
  OID,
  PemError,
  certificateSpki,
  derToPem,
  parsePemBlocks,
  pkcs1PrivateToPkcs8,
  pkcs1PublicToSpki,
  pkcs8Algorithm,
  pssPkcs8ToRsaPkcs8,
  pssSpkiToRsaSpki,
  sec1ToPkcs8,
  spkiAlgorithm,
  type KeyAlgorithmId,
} from './pem';
import type { KeyPolicyWarning } from './verify-types';
import { WorkbenchError } from './errors';

/** How a user hands over a key. `auto` detects PEM / X.509 / JWK / JWKS from the text (CLI `--key`). */
export type SecretEncoding = 'utf8' | 'base64' | 'base64url' | 'hex';

export type KeyInput =
  | { type: 'secret'; value: string; encoding: SecretEncoding }
  | { type: 'pem'; value: string } // SPKI, PKCS#1 RSA public, X.509 certificate, PKCS#8 / PKCS#1 / SEC1 private
  | { type: 'jwk'; value: string }
  | { type: 'jwks'; value: string }
  | { type: 'auto'; value: string };

export const SECRET_ENCODINGS: readonly SecretEncoding[] = ['utf8', 'base64', 'base64url', 'hex'];

// ---------------------------------------------------------------------------------------------------------
// Errors

export type KeyErrorCode =
  | 'key-unreadable' // not a secret, PEM, JWK or JWKS at all, or the input has the wrong shape
  | 'pem-invalid' // a PEM block whose base64 or DER is broken
  | 'pem-unsupported' // a PEM block that is not a key (CERTIFICATE REQUEST, PKCS7, …)
  | 'pem-encrypted' // a password-protected private key
  | 'jwk-invalid' // a JWK with missing or malformed members
  | 'jwks-empty' // a JWKS without one usable signature key
  | 'jwks-mixed' // a JWKS with both symmetric (oct) and asymmetric keys: refused (key confusion)
  | 'jwks-duplicate-kid' // two keys of a JWKS share a kid: ambiguous, refused
  | 'key-unsupported' // a well-formed key of a type no supported JWS algorithm uses (Ed448, secp256k1, DSA…)
  | 'key-not-for-signing' // a key marked for encryption (use "enc", a JWE alg, X25519)
  | 'secret-encoding' // the secret is not valid in the encoding given
  | 'secret-empty';

export class KeyError extends WorkbenchError<KeyErrorCode> {
  override readonly name = 'KeyError';
  /** Character offset in the value, where one is meaningful (secret encodings). */
  readonly offset: number | null;

  constructor(code: KeyErrorCode, message: string, offset: number | null = null) {
    super(code, message, offset === null ? undefined : { details: { offset } });
    this.offset = offset;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Prepared keys

export type PublicJwk =
  | { kty: 'RSA'; n: string; e: string }
  | { kty: 'EC'; crv: string; x: string; y: string }
  | { kty: 'OKP'; crv: string; x: string };

export interface PreparedKey {
  readonly kty: KeyType;
  readonly crv: CurveName | null;
  readonly kid: string | null;
  /** The JWK's own `alg`: when set, the only algorithm the key allows. */
  readonly alg: JwsAlgorithmName | null;
  readonly use: string | null;
  /** Position in the JWKS the key came from; null otherwise. */
  readonly index: number | null;
  /** RFC 7638 thumbprint (SHA-256, base64url) of the public key, or of the secret for oct. */
  readonly thumbprint: string;
  /** The JWS algorithms this key verifies. The key decides, never the token (RFC 8725 §3.1). */
  readonly algorithms: readonly JwsAlgorithmName[];
  /** 'private' and 'secret' keys can also sign. */
  readonly type: 'secret' | 'public' | 'private';
  /** RSA modulus bits, secret bits, or the curve's size. */
  readonly bits: number;
  /** RSA public exponent; null for other keys. */
  readonly rsaExponent: number | null;
  /** The public key as a JWK, for display and export; null for secrets. */
  readonly publicJwk: Readonly<PublicJwk> | null;
  /** How messages name the key: 'an RSA 2048-bit key, kid "a", JWKS #1'. */
  readonly label: string;
}

export interface SkippedKey {
  index: number;
  kid: string | null;
  code: KeyErrorCode;
  reason: string;
}

export interface PreparedKeys {
  readonly source: 'secret' | 'pem' | 'certificate' | 'jwk' | 'jwks';
  readonly keys: readonly PreparedKey[];
  /** JWKS members that cannot verify JWS signatures, and why. */
  readonly skipped: readonly SkippedKey[];
}

/** What backends and signing need beyond the public facts. Never leaves the process. */
export interface KeyMaterial {
  /** The raw secret for oct keys. */
  readonly secret: Uint8Array | null;
  /** Public JWK for asymmetric keys; `{kty:'oct', k}` for secrets. */
  readonly jwk: Readonly<JWK>;
  /** Private JWK when the key can sign (asymmetric only). */
  readonly privateJwk: Readonly<JWK> | null;
  /** The key is an id-RSASSA-PSS key: PS* only. */
  readonly pssOnly: boolean;
}

const material = new WeakMap<PreparedKey, KeyMaterial>();
const policyWarnings = new WeakMap<PreparedKey, Map<string, readonly KeyPolicyWarning[]>>();
const prepared = new WeakSet<object>();
const NO_WARNINGS: readonly KeyPolicyWarning[] = Object.freeze([]);

/** The private side of a prepared key, for signature backends and signing. */
export function keyMaterial(key: PreparedKey): KeyMaterial {
  const m = material.get(key);
  if (!m) throw new KeyError('key-unreadable', 'not a key made by prepareKeys');
  return m;
}

/** True for objects made by prepareKeys (a look-alike object is not trusted). */
export function isPreparedKeys(value: unknown): value is PreparedKeys {
  return typeof value === 'object' && value !== null && prepared.has(value);
}

/** Key-policy problems of using `key` with `alg` (hmac-secret-short, rsa-key-small, rsa-exponent-weak). */
export function keyPolicyWarnings(key: PreparedKey, alg: string): readonly KeyPolicyWarning[] {
  return policyWarnings.get(key)?.get(alg) ?? NO_WARNINGS;
}

/** The algorithms a prepared key set can verify and sign with, in the order the UI offers them. */
export function keyAlgorithms(keys: PreparedKeys): { verify: JwsAlgorithmName[]; sign: JwsAlgorithmName[] } {
  const verify = new Set<string>();
  const sign = new Set<string>();
  for (const key of keys.keys) {
    for (const alg of key.algorithms) {
      verify.add(alg);
      if (key.type !== 'public') sign.add(alg);
    }
  }
  return {
    verify: JWS_ALGORITHMS.filter((a) => verify.has(a.name)).map((a) => a.name),
    sign: JWS_ALGORITHMS.filter((a) => sign.has(a.name)).map((a) => a.name),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

/** Parses a key once. Throws KeyError (with a stable code) when it cannot be used for JWS. */
export async function prepareKeys(input: KeyInput): Promise<PreparedKeys> {
  if (typeof input !== 'object' || input === null || typeof (input as { value?: unknown }).value !== 'string') {
    throw new KeyError('key-unreadable', 'a key must be given as { type, value } with a string value');
  }
  switch (input.type) {
    case 'secret':
      return finish('secret', [await secretKey(decodeSecret(input.value, input.encoding), {})], []);
    case 'pem':
      return fromPem(input.value);
    case 'jwk':
    case 'jwks':
      return fromJsonText(input.value, input.type);
    case 'auto':
      return fromAuto(input.value);
    default:
      throw new KeyError('key-unreadable', `unknown key type ${JSON.stringify((input as { type: unknown }).type)}`);
  }
}

function finish(source: PreparedKeys['source'], keys: PreparedKey[], skipped: SkippedKey[]): PreparedKeys {
  const result: PreparedKeys = Object.freeze({ source, keys: Object.freeze(keys), skipped: Object.freeze(skipped) });
  prepared.add(result);
  return result;
}

async function fromAuto(value: string): Promise<PreparedKeys> {
  const text = value.trim();
  if (text.includes('-----BEGIN ')) return fromPem(text);
  if (text.startsWith('{')) return fromJsonText(text, 'auto');
  throw new KeyError(
    'key-unreadable',
    'not a PEM key or certificate, a JWK or a JWKS (a shared secret must be given as a secret, with its encoding)',
  );
}

// ---------------------------------------------------------------------------------------------------------
// Secrets

const HEX_DIGIT = /^[0-9a-fA-F]$/;

/** The bytes of a secret in the given encoding; KeyError 'secret-encoding' says where it went wrong. */
export function decodeSecret(value: string, encoding: SecretEncoding): Uint8Array {
  let bytes: Uint8Array;
  switch (encoding) {
    case 'utf8':
      bytes = utf8Bytes(value);
      break;
    case 'hex':
      bytes = decodeHex(value);
      break;
    case 'base64':
    case 'base64url':
      bytes = decodeSecretBase64(value, encoding);
      break;
    default:
      throw new KeyError('secret-encoding', `unknown secret encoding ${JSON.stringify(encoding)} (use utf8, base64, base64url or hex)`);
  }
  if (bytes.length === 0) throw new KeyError('secret-empty', 'the secret is empty');
  return bytes;
}

function decodeHex(value: string): Uint8Array {
  for (let i = 0; i < value.length; i++) {
    if (!HEX_DIGIT.test(value[i] as string)) {
      throw new KeyError('secret-encoding', `not valid hex at position ${i} (${JSON.stringify(value[i])})`, i);
    }
  }
  if (value.length % 2 === 1) {
    throw new KeyError('secret-encoding', `hex needs an even number of digits; got ${value.length}`, value.length - 1);
  }
  const out = new Uint8Array(value.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function decodeSecretBase64(value: string, encoding: 'base64' | 'base64url'): Uint8Array {
  const unpadded = value.replace(/={1,2}$/, '');
  const alphabet = encoding === 'base64' ? /[A-Za-z0-9+/\-_]/ : /[A-Za-z0-9\-_]/;
  for (let i = 0; i < unpadded.length; i++) {
    const c = unpadded[i] as string;
    if (!alphabet.test(c)) {
      const hint = encoding === 'base64url' && (c === '+' || c === '/') ? ' (that is standard base64: use the base64 encoding)' : '';
      throw new KeyError('secret-encoding', `not valid ${encoding} at position ${i} (${JSON.stringify(c)})${hint}`, i);
    }
  }
  if (unpadded.length % 4 === 1) {
    throw new KeyError('secret-encoding', `${encoding} text of length ${unpadded.length} is truncated`, unpadded.length - 1);
  }
  const bytes = decodeBase64(unpadded);
  if (!bytes) throw new KeyError('secret-encoding', `not valid ${encoding}`);
  return bytes;
}

interface KeyMeta {
  kid?: string | null;
  alg?: JwsAlgorithmName | null;
  use?: string | null;
  index?: number | null;
}

async function secretKey(secret: Uint8Array, meta: KeyMeta): Promise<PreparedKey> {
  const jwk: JWK = { kty: 'oct', k: encodeBase64url(secret) };
  const algorithms = allowedAlgorithms('oct', null, meta.alg ?? null, false);
  const key = freezeKey({
    kty: 'oct',
    crv: null,
    kid: meta.kid ?? null,
    alg: meta.alg ?? null,
    use: meta.use ?? null,
    index: meta.index ?? null,
    thumbprint: await calculateJwkThumbprint(jwk, 'sha256'),
    algorithms,
    type: 'secret',
    bits: secret.length * 8,
    rsaExponent: null,
    publicJwk: null,
  });
  register(key, { secret, jwk, privateJwk: null, pssOnly: false });
  return key;
}

// ---------------------------------------------------------------------------------------------------------
// PEM

const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE']);
// Blocks that travel with keys and can be passed over (openssl ecparam -genkey writes EC PARAMETERS first).
const SKIPPABLE_LABELS = new Set(['EC PARAMETERS']);

async function fromPem(text: string): Promise<PreparedKeys> {
  let blocks;
  try {
    blocks = parsePemBlocks(text);
  } catch (e) {
    throw new KeyError('pem-invalid', (e as Error).message);
  }
  const block = blocks.find((b) => !SKIPPABLE_LABELS.has(b.label));
  if (!block) {
    throw new KeyError(blocks.length ? 'pem-unsupported' : 'pem-invalid', blocks.length ? 'the PEM holds only EC PARAMETERS, no key' : 'no PEM block found');
  }
  if (block.encrypted) {
    throw new KeyError('pem-encrypted', `the ${block.label} is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)`);
  }
  if (!PRIVATE_LABELS.has(block.label) && !PUBLIC_LABELS.has(block.label)) {
    throw new KeyError('pem-unsupported', `PEM block type ${block.label} is not a key`);
  }
  try {
    switch (block.label) {
      case 'PUBLIC KEY':
        return finish('pem', [await publicKeyFromSpki(block.der, null)], []);
      case 'RSA PUBLIC KEY':
        return finish('pem', [await publicKeyFromSpki(pkcs1PublicToSpki(block.der), null)], []);
      case 'CERTIFICATE':
        return finish('certificate', [await publicKeyFromSpki(certificateSpki(block.der), block.der)], []);
      case 'PRIVATE KEY':
        return finish('pem', [await privateKeyFromPkcs8(block.der)], []);
      case 'RSA PRIVATE KEY':
        return finish('pem', [await privateKeyFromPkcs8(pkcs1PrivateToPkcs8(block.der))], []);
      default: // EC PRIVATE KEY
        return finish('pem', [await privateKeyFromPkcs8(sec1ToPkcs8(block.der))], []);
    }
  } catch (e) {
    if (e instanceof KeyError) throw e;
    if (e instanceof DerError || e instanceof PemError) {
      throw new KeyError('pem-invalid', `the ${block.label} is not valid DER: ${e.message}`);
    }
    throw new KeyError('pem-invalid', `the ${block.label} could not be imported: ${(e as Error).message}`);
  }
}

interface KeyShape {
  kty: KeyType;
  crv: CurveName | null;
  /** An algorithm to import the key with: WebCrypto binds a key to one, and any of its family will do here. */
  importAlg: JwsAlgorithmName;
  pssOnly: boolean;
}

/** Which supported key an AlgorithmIdentifier names, or the KeyError for one we cannot use. */
function shapeOf(id: KeyAlgorithmId): KeyShape {
  switch (id.oid) {
    case OID.rsaEncryption:
      return { kty: 'RSA', crv: null, importAlg: 'RS256', pssOnly: false };
    case OID.rsassaPss:
      return { kty: 'RSA', crv: null, importAlg: 'PS256', pssOnly: true };
    case OID.ecPublicKey:
      switch (id.curveOid) {
        case OID.secp256r1:
          return { kty: 'EC', crv: 'P-256', importAlg: 'ES256', pssOnly: false };
        case OID.secp384r1:
          return { kty: 'EC', crv: 'P-384', importAlg: 'ES384', pssOnly: false };
        case OID.secp521r1:
          return { kty: 'EC', crv: 'P-521', importAlg: 'ES512', pssOnly: false };
        case OID.secp256k1:
          throw new KeyError('key-unsupported', 'EC curve secp256k1 (ES256K) is not supported');
        default:
          throw new KeyError('key-unsupported', `EC curve ${id.curveOid} is not supported (P-256, P-384 and P-521 are)`);
      }
    case OID.ed25519:
      return { kty: 'OKP', crv: 'Ed25519', importAlg: 'Ed25519', pssOnly: false };
    case OID.ed448:
      throw new KeyError('key-unsupported', 'Ed448 keys are not supported (EdDSA here means Ed25519)');
    case OID.x25519:
    case OID.x448:
      throw new KeyError('key-not-for-signing', `${id.oid === OID.x25519 ? 'X25519' : 'X448'} keys are for key agreement, not signatures`);
    case OID.dsa:
      throw new KeyError('key-unsupported', 'DSA keys have no JWS algorithm');
    case OID.dh:
      throw new KeyError('key-not-for-signing', 'Diffie-Hellman keys are for key agreement, not signatures');
    default:
      throw new KeyError('key-unsupported', `key algorithm ${id.oid} is not supported`);
  }
}

async function publicKeyFromSpki(spki: Uint8Array, certificate: Uint8Array | null): Promise<PreparedKey> {
  const shape = shapeOf(spkiAlgorithm(spki));
  const options = { extractable: true };
  // A certificate goes through jose's own X.509 import unless its key needs the PSS rewrap.
  const cryptoKey =
    certificate && !shape.pssOnly
      ? await importX509(derToPem('CERTIFICATE', certificate), shape.importAlg, options)
      : await importSPKI(derToPem('PUBLIC KEY', shape.pssOnly ? pssSpkiToRsaSpki(spki) : spki), shape.importAlg, options);
  const jwk = await exportJWK(cryptoKey);
  return asymmetricKey(publicPart(jwk, shape.kty), null, shape, {});
}

async function privateKeyFromPkcs8(pkcs8: Uint8Array): Promise<PreparedKey> {
  const shape = shapeOf(pkcs8Algorithm(pkcs8));
  const der = shape.pssOnly ? pssPkcs8ToRsaPkcs8(pkcs8) : pkcs8;
  const cryptoKey = await importPKCS8(derToPem('PRIVATE KEY', der), shape.importAlg, { extractable: true });
  const jwk = await exportJWK(cryptoKey);
  return asymmetricKey(publicPart(jwk, shape.kty), privatePart(jwk, shape.kty), shape, {});
}

// ---------------------------------------------------------------------------------------------------------
// JWK and JWKS

async function fromJsonText(text: string, declared: 'jwk' | 'jwks' | 'auto'): Promise<PreparedKeys> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const what = declared === 'jwks' ? 'JWKS' : declared === 'jwk' ? 'JWK' : 'key';
    throw new KeyError(declared === 'auto' ? 'key-unreadable' : 'jwk-invalid', `${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new KeyError('jwk-invalid', 'a JWK or JWKS must be a JSON object');
  if ('keys' in parsed) return fromJwks(parsed);
  if ('kty' in parsed) return finish('jwk', [await fromJwk(parsed, null)], []);
  throw new KeyError(
    declared === 'auto' ? 'key-unreadable' : 'jwk-invalid',
    declared === 'jwks'
      ? 'JWKS has no "keys" array'
      : declared === 'jwk'
        ? 'JWK has no kty'
        : 'JSON object is neither a JWK (no "kty") nor a JWKS (no "keys")',
  );
}

async function fromJwks(set: Record<string, unknown>): Promise<PreparedKeys> {
  const list = set.keys;
  if (!Array.isArray(list)) throw new KeyError('jwk-invalid', 'JWKS "keys" is not an array');
  if (list.length === 0) throw new KeyError('jwks-empty', 'JWKS has no keys');
  const keys: PreparedKey[] = [];
  const skipped: SkippedKey[] = [];
  for (let index = 0; index < list.length; index++) {
    const entry: unknown = list[index];
    const kid = isPlainObject(entry) && typeof entry.kid === 'string' ? entry.kid : null;
    try {
      if (!isPlainObject(entry)) throw new KeyError('jwk-invalid', 'JWKS member is not a JSON object');
      keys.push(await fromJwk(entry, index));
    } catch (e) {
      if (!(e instanceof KeyError)) throw e;
      skipped.push({ index, kid, code: e.code, reason: e.message });
    }
  }
  if (keys.length === 0) {
    const reasons = skipped.map((s) => `#${s.index}${s.kid === null ? '' : ` (kid ${s.kid})`}: ${s.reason}`);
    throw new KeyError('jwks-empty', `JWKS has no usable signature key: ${reasons.join('; ')}`);
  }
  return finish('jwks', keys, skipped);
}

function member(jwk: Record<string, unknown>, name: string, kty: string): string {
  const value = jwk[name];
  if (value === undefined) throw new KeyError('jwk-invalid', `JWK has kty ${kty} but no ${name}`);
  if (typeof value !== 'string') throw new KeyError('jwk-invalid', `JWK member ${name} must be a string`);
  const problem = findBase64urlProblem(value);
  if (problem) {
    const what =
      problem.kind === 'invalid-char'
        ? `invalid character ${JSON.stringify(problem.char)} at position ${problem.index}`
        : problem.kind === 'padding'
          ? `'=' padding at position ${problem.index}`
          : 'truncated';
    throw new KeyError('jwk-invalid', `JWK member ${name} is not base64url: ${what}`);
  }
  if (value.length === 0) throw new KeyError('jwk-invalid', `JWK member ${name} is empty`);
  return value;
}

function optionalString(jwk: Record<string, unknown>, name: string): string | null {
  const value = jwk[name];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new KeyError('jwk-invalid', `JWK member ${name} must be a string`);
  return value;
}

/** Checks use / key_ops / alg (RFC 7517 §4.2–4.4): a key marked for encryption is not used for signatures. */
function signatureMeta(jwk: Record<string, unknown>, kty: string): { use: string | null; alg: JwsAlgorithmName | null } {
  const use = optionalString(jwk, 'use');
  if (use !== null && use !== 'sig') {
    throw new KeyError('key-not-for-signing', `JWK has use ${JSON.stringify(use)}: not a signature key`);
  }
  const ops = jwk.key_ops;
  if (ops !== undefined) {
    if (!Array.isArray(ops) || ops.some((o) => typeof o !== 'string')) {
      throw new KeyError('jwk-invalid', 'JWK key_ops must be an array of strings');
    }
    if (!ops.includes('verify') && !ops.includes('sign')) {
      throw new KeyError('key-not-for-signing', `JWK key_ops ${JSON.stringify(ops)} allow neither sign nor verify`);
    }
  }
  const algText = optionalString(jwk, 'alg');
  if (algText === null) return { use, alg: null };
  const alg = jwsAlgorithm(algText);
  if (!alg) {
    if (isJweAlgorithm(algText)) {
      throw new KeyError('key-not-for-signing', `JWK has alg ${algText}, an encryption algorithm`);
    }
    throw new KeyError('key-unsupported', `JWK alg ${JSON.stringify(algText)} is not a supported JWS algorithm`);
  }
  if (alg.kty !== kty) {
    throw new KeyError('jwk-invalid', `JWK alg ${alg.name} does not fit kty ${kty} (${alg.name} needs ${describeKeyType(alg.kty, alg.crv)})`);
  }
  return { use, alg: alg.name };
}

async function fromJwk(jwk: Record<string, unknown>, index: number | null): Promise<PreparedKey> {
  const kty = jwk.kty;
  if (typeof kty !== 'string') throw new KeyError('jwk-invalid', kty === undefined ? 'JWK has no kty' : 'JWK kty must be a string');
  const kid = optionalString(jwk, 'kid');
  switch (kty) {
    case 'oct': {
      const meta = signatureMeta(jwk, kty);
      const k = jwk.k === '' ? '' : member(jwk, 'k', kty);
      if (k === '') throw new KeyError('jwk-invalid', 'JWK has an empty k');
      return secretKey(decodeBase64url(k) as Uint8Array, { ...meta, kid, index });
    }
    case 'RSA': {
      const pub: PublicJwk = { kty, n: member(jwk, 'n', kty), e: member(jwk, 'e', kty) };
      const meta = signatureMeta(jwk, kty);
      let priv: JWK | null = null;
      if (jwk.d !== undefined) {
        priv = { ...pub, d: member(jwk, 'd', kty) };
        for (const name of ['p', 'q', 'dp', 'dq', 'qi'] as const) {
          if (jwk[name] === undefined) {
            throw new KeyError('jwk-invalid', `RSA private JWK without ${name}: the CRT parameters p, q, dp, dq, qi are required`);
          }
          priv[name] = member(jwk, name, kty);
        }
        if (jwk.oth !== undefined) throw new KeyError('key-unsupported', 'multi-prime RSA keys (oth) are not supported');
      }
      const shape: KeyShape = { kty: 'RSA', crv: null, importAlg: meta.alg ?? 'RS256', pssOnly: false };
      return importedJwk(pub, priv, shape, { ...meta, kid, index });
    }
    case 'EC': {
      const crv = jwk.crv;
      if (crv === undefined) throw new KeyError('jwk-invalid', 'JWK has kty EC but no crv');
      const algByCurve: Record<string, JwsAlgorithmName> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
      if (typeof crv !== 'string' || !Object.hasOwn(algByCurve, crv)) {
        throw new KeyError('key-unsupported', `EC curve ${JSON.stringify(crv)} is not supported (P-256, P-384 and P-521 are)`);
      }
      const pub: PublicJwk = { kty, crv, x: member(jwk, 'x', kty), y: member(jwk, 'y', kty) };
      const meta = signatureMeta(jwk, kty);
      const importAlg = algByCurve[crv] as JwsAlgorithmName;
      if (meta.alg && meta.alg !== importAlg) {
        throw new KeyError('jwk-invalid', `JWK alg ${meta.alg} does not fit curve ${crv} (${importAlg} does)`);
      }
      const priv: JWK | null = jwk.d !== undefined ? { ...pub, d: member(jwk, 'd', kty) } : null;
      return importedJwk(pub, priv, { kty, crv: crv as CurveName, importAlg, pssOnly: false }, { ...meta, kid, index });
    }
    case 'OKP': {
      const crv = jwk.crv;
      if (crv === undefined) throw new KeyError('jwk-invalid', 'JWK has kty OKP but no crv');
      if (crv === 'X25519' || crv === 'X448') {
        throw new KeyError('key-not-for-signing', `${crv} keys are for key agreement, not signatures`);
      }
      if (crv !== 'Ed25519') {
        throw new KeyError('key-unsupported', `OKP curve ${JSON.stringify(crv)} is not supported (Ed25519 is)`);
      }
      const pub: PublicJwk = { kty, crv, x: member(jwk, 'x', kty) };
      const meta = signatureMeta(jwk, kty);
      const priv: JWK | null = jwk.d !== undefined ? { ...pub, d: member(jwk, 'd', kty) } : null;
      return importedJwk(pub, priv, { kty, crv: 'Ed25519', importAlg: 'Ed25519', pssOnly: false }, { ...meta, kid, index });
    }
    case 'AKP':
      throw new KeyError('key-unsupported', 'ML-DSA keys (kty AKP) are not supported on this runtime');
    default:
      throw new KeyError('key-unsupported', `JWK kty ${JSON.stringify(kty)} is not supported (oct, RSA, EC and OKP are)`);
  }
}

/** Imports the JWK once to prove it is a real key (right sizes, on the curve) before anyone relies on it. */
async function importedJwk(pub: PublicJwk, priv: JWK | null, shape: KeyShape, meta: KeyMeta): Promise<PreparedKey> {
  try {
    await importJWK({ ...pub }, shape.importAlg);
    if (priv) await importJWK({ ...priv }, shape.importAlg);
  } catch (e) {
    throw new KeyError('jwk-invalid', `JWK is not a valid ${pub.kty} key: ${(e as Error).message}`);
  }
  return asymmetricKey(pub, priv, shape, meta);
}

// ---------------------------------------------------------------------------------------------------------
// Shared construction

function publicPart(jwk: JWK, kty: KeyType): PublicJwk {
  switch (kty) {
    case 'RSA':
      return { kty, n: jwk.n as string, e: jwk.e as string };
    case 'EC':
      return { kty, crv: jwk.crv as string, x: jwk.x as string, y: jwk.y as string };
    default:
      return { kty: 'OKP', crv: jwk.crv as string, x: jwk.x as string };
  }
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function privatePart(jwk: JWK, kty: KeyType): JWK {
  const out: JWK = { ...publicPart(jwk, kty) };
  for (const name of PRIVATE_MEMBERS) if (typeof jwk[name] === 'string') out[name] = jwk[name];
  return out;
}

const CURVE_BITS: Record<CurveName, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, Ed25519: 256 };

async function asymmetricKey(pub: PublicJwk, priv: JWK | null, shape: KeyShape, meta: KeyMeta): Promise<PreparedKey> {
  let bits: number;
  let rsaExponent: number | null = null;
  if (pub.kty === 'RSA') {
    bits = bitLength(decodeBase64url(pub.n) as Uint8Array);
    rsaExponent = Number(bytesToBigInt(decodeBase64url(pub.e) as Uint8Array));
  } else {
    bits = CURVE_BITS[shape.crv as CurveName];
  }
  const key = freezeKey({
    kty: shape.kty,
    crv: shape.crv,
    kid: meta.kid ?? null,
    alg: meta.alg ?? null,
    use: meta.use ?? null,
    index: meta.index ?? null,
    thumbprint: await calculateJwkThumbprint({ ...pub }, 'sha256'),
    algorithms: allowedAlgorithms(shape.kty, shape.crv, meta.alg ?? null, shape.pssOnly),
    type: priv ? 'private' : 'public',
    bits,
    rsaExponent,
    publicJwk: Object.freeze({ ...pub }),
  });
  register(key, {
    secret: null,
    jwk: Object.freeze({ ...pub }),
    privateJwk: priv ? Object.freeze({ ...priv }) : null,
    pssOnly: shape.pssOnly,
  });
  return key;
}

function allowedAlgorithms(kty: KeyType, crv: CurveName | null, jwkAlg: JwsAlgorithmName | null, pssOnly: boolean): JwsAlgorithmName[] {
  return JWS_ALGORITHMS.filter(
    (a) =>
      a.kty === kty &&
      (a.crv === null || a.crv === crv) &&
      (!pssOnly || a.family === 'RSA-PSS') &&
      (jwkAlg === null || a.name === jwkAlg),
  ).map((a) => a.name);
}

function freezeKey(key: Omit<PreparedKey, 'label'>): PreparedKey {
  Object.freeze(key.algorithms);
  const parts = [key.kty === 'RSA' ? `an RSA ${key.bits}-bit key` : describeKeyType(key.kty, key.crv)];
  if (key.kid !== null) parts.push(`kid ${JSON.stringify(key.kid)}`);
  if (key.index !== null) parts.push(`JWKS #${key.index}`);
  return Object.freeze({ ...key, label: parts.join(', ') });
}

function register(key: PreparedKey, m: KeyMaterial): void {
  material.set(key, Object.freeze(m));
  // Every algorithm of the key's type, not only the allowed ones: signing may use a disallowed one (and warns).
  const byAlg = new Map<string, readonly KeyPolicyWarning[]>();
  for (const alg of JWS_ALGORITHMS) {
    if (alg.kty !== key.kty) continue;
    const list = computePolicyWarnings(key, m, alg);
    if (list.length) byAlg.set(alg.name, Object.freeze(list));
  }
  policyWarnings.set(key, byAlg);
}

function computePolicyWarnings(key: PreparedKey, m: KeyMaterial, alg: JwsAlgorithm): KeyPolicyWarning[] {
  const out: KeyPolicyWarning[] = [];
  if (key.kty === 'oct' && m.secret && m.secret.length < alg.hashBytes) {
    out.push({
      rule: 'hmac-secret-short',
      message: `the secret is ${m.secret.length} bytes; ${alg.name} needs at least ${alg.hashBytes} (RFC 7518 §3.2)`,
    });
  }
  if (key.kty === 'RSA') {
    if (key.bits < 2048) {
      out.push({ rule: 'rsa-key-small', message: `the RSA key is ${key.bits} bits; at least 2048 are required (RFC 7518 §3.3)` });
    }
    const e = key.rsaExponent ?? 0;
    if (e < 65537 || e % 2 === 0) {
      out.push({
        rule: 'rsa-exponent-weak',
        message: `the RSA public exponent is ${e}; use 65537 (${e % 2 === 0 ? 'an even exponent is not a valid RSA key' : 'small exponents invite padding attacks'})`,
      });
    }
  }
  return out;
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] as number));
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
