/**
 * Keys, read once, here and nowhere else: `prepareKeys` is the project's one key importer. Verification and
 * signing (host, CLI `--key`), the key store's import and key generation all read keys through it. It turns
 * whatever the user handed over (a secret in some encoding, PEM keys and certificates, a JWK, a JWKS) into
 * PreparedKeys: normalized public JWKs plus the facts key policy needs (type, curve, size, the algorithms the
 * key allows). Nothing parses the key again afterwards.
 * Private material (secrets, private JWKs) is kept off the objects, in a module-private WeakMap read through
 * `keyMaterial`, so a PreparedKeys can be logged or serialized without leaking it.
 */
import { calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, importSPKI, importX509, type CryptoKey, type JWK } from 'jose';
import {
  JWS_ALGORITHMS,
  describeKeyType,
  isJweAlgorithm,
  jwsAlgorithm,
  webCryptoSignParams,
  type CurveName,
  type JwsAlgorithm,
  type JwsAlgorithmName,
  type KeyType,
} from './algorithms';
import { decodeBase64url, encodeBase64url, findBase64urlProblem, utf8Bytes } from './base64url';
import { readJson } from './json';
import { classifyKeyText, jwksKeyName } from './key-kind';

export { jwksKeyName };
import {
  DerError,
  OID,
  PemError,
  certificateSpki,
  certificateSubjectName,
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
  type PemBlock,
} from './pem';
import { hasRocaFingerprint } from './roca';
import type { KeyPolicyWarning } from './verify-types';
import { KeyError, type KeyErrorCode } from './key-error';
import { decodeSecret, type SecretEncoding } from './secret';
import { subtle } from './webcrypto';

export { KEY_ERROR_CODES, KeyError, type KeyErrorCode } from './key-error';
export { SECRET_ENCODINGS, decodeSecret, type SecretEncoding } from './secret';

/** How a user hands over a key. `auto` detects PEM / X.509 / JWK / JWKS from the text (CLI `--key`). */

export type KeyInput =
  | { type: 'secret'; value: string; encoding: SecretEncoding }
  | { type: 'pem'; value: string } // SPKI, PKCS#1 RSA public, X.509 certificate, PKCS#8 / PKCS#1 / SEC1 private
  | { type: 'jwk'; value: string }
  | { type: 'jwks'; value: string }
  | { type: 'auto'; value: string };


export interface PrepareOptions {
  /**
   * Read an RSA key as an id-RSASSA-PSS key (PS256/384/512 only). For a key kept as a JWK, which cannot say
   * so itself: the key store remembers that a key it imported from an RSA-PSS PEM is one.
   */
  pssOnly?: boolean;
}

/** More text than this is not a key: a JWKS of many keys is a few hundred KB. */
export const MAX_KEY_TEXT_CHARS = 1024 * 1024;
/** A JWKS with more keys than this is not a key set anyone verifies with. */
export const MAX_JWKS_KEYS = 1000;
/** Below this an RSA modulus is refused outright; RFC 7518 §3.3 asks for 2048 (`rsa-key-small` warns). */
const MIN_RSA_BITS = 512;

// ---------------------------------------------------------------------------------------------------------
// Errors


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
  /**
   * The subject of the X.509 certificate the key came with (its CN, else its other name attributes), to
   * name the key by; null when there was no certificate.
   */
  readonly certificateSubject: string | null;
  /** How messages name the key: 'an RSA 2048-bit key, kid "a", JWKS key #1'. */
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

/** What backends, signing and the key store need beyond the public facts. Never leaves the process. */
export interface KeyMaterial {
  /** The raw secret for oct keys. */
  readonly secret: Uint8Array | null;
  /** Public JWK for asymmetric keys; `{kty:'oct', k}` for secrets. */
  readonly jwk: Readonly<JWK>;
  /** Private JWK (key members only) when the key can sign (asymmetric only). */
  readonly privateJwk: Readonly<JWK> | null;
  /** The key is an id-RSASSA-PSS key: PS* only. */
  readonly pssOnly: boolean;
}

const material = new WeakMap<PreparedKey, KeyMaterial>();
const policyWarnings = new WeakMap<PreparedKey, Map<string, readonly KeyPolicyWarning[]>>();
const prepared = new WeakSet<object>();
const NO_WARNINGS: readonly KeyPolicyWarning[] = Object.freeze([]);

/** The private side of a prepared key, for signature backends, signing and the key store (host only). */
export function keyMaterial(key: PreparedKey): KeyMaterial {
  const m = material.get(key);
  if (!m) throw new KeyError('key-unreadable', 'not a key made by prepareKeys');
  return m;
}

/** True for objects made by prepareKeys (a look-alike object is not trusted). */
export function isPreparedKeys(value: unknown): value is PreparedKeys {
  return typeof value === 'object' && value !== null && prepared.has(value);
}

/** Key-policy problems of using `key` with `alg` (hmac-secret-short, rsa-key-small, rsa-exponent-weak, rsa-key-roca). */
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

/**
 * The JWS algorithms a key may be used with (RFC 8725 §3.1: the key decides, never the token): those of its
 * type and curve, PS* only for an id-RSASSA-PSS key, and only its pinned `alg` when it has one.
 */
export function allowedAlgorithms(kty: KeyType, crv: string | null, pinnedAlg: string | null, pssOnly: boolean): JwsAlgorithmName[] {
  return JWS_ALGORITHMS.filter(
    (a) =>
      a.kty === kty &&
      (a.crv === null || a.crv === crv) &&
      (!pssOnly || a.family === 'RSA-PSS') &&
      (pinnedAlg === null || a.name === pinnedAlg),
  ).map((a) => a.name);
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

interface Context {
  pssOnly: boolean;
}

/** Parses a key once. Throws KeyError (with a stable code) when it cannot be used for JWS. */
export async function prepareKeys(input: KeyInput, options: PrepareOptions = {}): Promise<PreparedKeys> {
  if (typeof input !== 'object' || input === null || typeof (input as { value?: unknown }).value !== 'string') {
    throw new KeyError('key-unreadable', 'a key must be given as { type, value } with a string value');
  }
  if (input.value.length > MAX_KEY_TEXT_CHARS) {
    throw new KeyError('key-too-large', `the key text has ${input.value.length} characters; a key is at most ${MAX_KEY_TEXT_CHARS} (1 MiB)`);
  }
  const ctx: Context = { pssOnly: options?.pssOnly === true };
  switch (input.type) {
    case 'secret':
      return finish('secret', [seal(await secretDraft(decodeSecret(input.value, input.encoding), {}, ctx))], []);
    case 'pem':
      return fromPem(input.value, ctx);
    case 'jwk':
    case 'jwks':
      return fromJsonText(input.value, input.type, ctx);
    case 'auto':
      return fromAuto(input.value, ctx);
    default:
      throw new KeyError('key-unreadable', `unknown key type ${JSON.stringify((input as { type: unknown }).type)}`);
  }
}

function finish(source: PreparedKeys['source'], keys: PreparedKey[], skipped: SkippedKey[]): PreparedKeys {
  const result: PreparedKeys = Object.freeze({ source, keys: Object.freeze(keys), skipped: Object.freeze(skipped) });
  prepared.add(result);
  return result;
}

async function fromAuto(value: string, ctx: Context): Promise<PreparedKeys> {
  const text = value.trim();
  if (text === '') throw new KeyError('key-unreadable', 'the key text is empty');
  if (text.includes('-----BEGIN ')) return fromPem(text, ctx);
  if (text.startsWith('{')) return fromJsonText(text, 'auto', ctx);
  throw new KeyError(
    'key-unreadable',
    'not a PEM key or certificate, a JWK or a JWKS (a shared secret must be given as a secret, with its encoding)',
  );
}

// ---------------------------------------------------------------------------------------------------------
// Drafts: a key read but not yet sealed, so that two blocks of one PEM holding the same key become one.

interface Draft {
  facts: Omit<PreparedKey, 'label'>;
  material: KeyMaterial;
  /** Read from an X.509 certificate only. */
  fromCertificate: boolean;
}

function seal(draft: Draft): PreparedKey {
  const key = freezeKey(draft.facts);
  register(key, draft.material);
  return key;
}

interface KeyMeta {
  kid?: string | null;
  alg?: JwsAlgorithmName | null;
  use?: string | null;
  index?: number | null;
  certificateSubject?: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets


async function secretDraft(secret: Uint8Array, meta: KeyMeta, ctx: Context): Promise<Draft> {
  if (ctx.pssOnly) throw new KeyError('key-unsupported', 'a shared secret cannot be an RSA-PSS key');
  const jwk: JWK = { kty: 'oct', k: encodeBase64url(secret) };
  return {
    facts: {
      kty: 'oct',
      crv: null,
      kid: meta.kid ?? null,
      alg: meta.alg ?? null,
      use: meta.use ?? null,
      index: meta.index ?? null,
      thumbprint: await calculateJwkThumbprint(jwk, 'sha256'),
      algorithms: allowedAlgorithms('oct', null, meta.alg ?? null, false),
      type: 'secret',
      bits: secret.length * 8,
      rsaExponent: null,
      publicJwk: null,
      certificateSubject: null,
    },
    material: { secret, jwk, privateJwk: null, pssOnly: false },
    fromCertificate: false,
  };
}

// ---------------------------------------------------------------------------------------------------------
// PEM

const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE']);
// Blocks that travel with keys and can be passed over (openssl ecparam -genkey writes EC PARAMETERS first).
const SKIPPABLE_LABELS = new Set(['EC PARAMETERS']);

/**
 * Every key of the PEM text. Several blocks are read as one file of related material: a private key and its
 * certificate (or public key) are one key, kept with its private part and named by the certificate; in a
 * certificate chain only the first certificate (the leaf) counts, the others being its issuers. Any block
 * that is neither a key nor a certificate makes the whole text refused: it is not what the user thinks.
 */
async function fromPem(text: string, ctx: Context): Promise<PreparedKeys> {
  let blocks: PemBlock[];
  try {
    blocks = parsePemBlocks(text);
  } catch (e) {
    if (e instanceof PemError) throw new KeyError('pem-invalid', e.message);
    throw e;
  }
  if (blocks.length === 0) {
    // Say what it is instead, when that is clear: a JWK / JWKS, or (no BEGIN line, no JSON) a secret.
    const kind = classifyKeyText(text);
    const goes = kind.source === 'jwk' ? 'JWK' : kind.source === 'jwks' ? 'JWKS' : kind.source === 'secret' ? 'Secret' : null;
    throw new KeyError('pem-invalid', goes ? `no PEM block found: this looks like ${kind.description}, not PEM — choose the ${goes} key type` : 'no PEM block found');
  }
  const keyBlocks = blocks.filter((b) => !SKIPPABLE_LABELS.has(b.label));
  const several = keyBlocks.length > 1;
  const nameOf = (block: PemBlock) => (several ? `PEM block ${blocks.indexOf(block) + 1} (${block.label})` : `the ${block.label}`);

  for (const block of keyBlocks) {
    if (block.encrypted) {
      throw new KeyError('pem-encrypted', `${nameOf(block)} is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)`);
    }
    if (!PRIVATE_LABELS.has(block.label) && !PUBLIC_LABELS.has(block.label)) {
      throw new KeyError('pem-unsupported', `PEM block type ${block.label} is not a key`);
    }
  }
  if (keyBlocks.length === 0) throw new KeyError('pem-unsupported', 'the PEM holds only EC PARAMETERS, no key');

  const drafts: Draft[] = [];
  let sawCertificate = false;
  for (const block of keyBlocks) {
    if (block.label === 'CERTIFICATE') {
      if (sawCertificate) continue; // an issuer in the chain, not the key the user means
      sawCertificate = true;
    }
    const draft = await blockDraft(block, nameOf(block), several, ctx);
    const twin = drafts.findIndex((d) => d.facts.thumbprint === draft.facts.thumbprint);
    if (twin === -1) drafts.push(draft);
    else drafts[twin] = mergeTwins(drafts[twin] as Draft, draft);
  }
  const source = drafts.length === 1 && (drafts[0] as Draft).fromCertificate ? 'certificate' : 'pem';
  return finish(source, drafts.map(seal), []);
}

async function blockDraft(block: PemBlock, name: string, several: boolean, ctx: Context): Promise<Draft> {
  try {
    switch (block.label) {
      case 'PUBLIC KEY':
        return await publicKeyFromSpki(block.der, null, ctx);
      case 'RSA PUBLIC KEY':
        return await publicKeyFromSpki(pkcs1PublicToSpki(block.der), null, ctx);
      case 'CERTIFICATE':
        return await publicKeyFromSpki(certificateSpki(block.der), block.der, ctx);
      case 'PRIVATE KEY':
        return await privateKeyFromPkcs8(block.der, ctx);
      case 'RSA PRIVATE KEY':
        return await privateKeyFromPkcs8(pkcs1PrivateToPkcs8(block.der), ctx);
      default: // EC PRIVATE KEY
        return await privateKeyFromPkcs8(sec1ToPkcs8(block.der), ctx);
    }
  } catch (e) {
    if (e instanceof KeyError) throw several ? new KeyError(e.code, `${name}: ${e.message}`) : e;
    if (e instanceof DerError || e instanceof PemError) {
      throw new KeyError('pem-invalid', `${name} is not valid DER: ${e.message}`);
    }
    throw new KeyError('pem-invalid', `${name} could not be imported: ${(e as Error).message}`);
  }
}

/** One key from two blocks: the private one wins, the certificate names it, an RSA-PSS restriction stays. */
function mergeTwins(a: Draft, b: Draft): Draft {
  const [rich, poor] = b.facts.type === 'private' && a.facts.type !== 'private' ? [b, a] : [a, b];
  const pssOnly = rich.material.pssOnly || poor.material.pssOnly;
  return {
    facts: {
      ...rich.facts,
      algorithms: allowedAlgorithms(rich.facts.kty, rich.facts.crv, rich.facts.alg, pssOnly),
      certificateSubject: rich.facts.certificateSubject ?? poor.facts.certificateSubject,
    },
    material: { ...rich.material, pssOnly },
    fromCertificate: rich.fromCertificate && poor.fromCertificate,
  };
}

interface KeyShape {
  kty: KeyType;
  crv: CurveName | null;
  /** An algorithm to import the key with: WebCrypto binds a key to one, and any of its family will do here. */
  importAlg: JwsAlgorithmName;
  pssOnly: boolean;
}

/** Which supported key an AlgorithmIdentifier names, or the KeyError for one we cannot use. */
function shapeOf(id: KeyAlgorithmId, ctx: Context): KeyShape {
  switch (id.oid) {
    case OID.rsaEncryption:
      return { kty: 'RSA', crv: null, importAlg: 'RS256', pssOnly: ctx.pssOnly };
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

async function publicKeyFromSpki(spki: Uint8Array, certificate: Uint8Array | null, ctx: Context): Promise<Draft> {
  const id = spkiAlgorithm(spki);
  const shape = shapeOf(id, ctx);
  const options = { extractable: true };
  // A certificate goes through jose's own X.509 import unless its key needs the PSS rewrap.
  const rewrap = id.oid === OID.rsassaPss;
  const cryptoKey =
    certificate && !rewrap
      ? await importX509(derToPem('CERTIFICATE', certificate), shape.importAlg, options)
      : await importSPKI(derToPem('PUBLIC KEY', rewrap ? pssSpkiToRsaSpki(spki) : spki), shape.importAlg, options);
  const jwk = await exportJWK(cryptoKey);
  const meta: KeyMeta = { certificateSubject: certificate ? certificateSubjectName(certificate) : null };
  const draft = await asymmetricDraft(publicPart(jwk, shape.kty), null, null, shape, meta, ctx);
  return { ...draft, fromCertificate: certificate !== null };
}

async function privateKeyFromPkcs8(pkcs8: Uint8Array, ctx: Context): Promise<Draft> {
  const id = pkcs8Algorithm(pkcs8);
  const shape = shapeOf(id, ctx);
  const der = id.oid === OID.rsassaPss ? pssPkcs8ToRsaPkcs8(pkcs8) : pkcs8;
  const cryptoKey = await importPKCS8(derToPem('PRIVATE KEY', der), shape.importAlg, { extractable: true });
  const jwk = await exportJWK(cryptoKey);
  // The public half is read from the private key's own structure: there is no second half to mismatch.
  return asymmetricDraft(publicPart(jwk, shape.kty), privatePart(jwk, shape.kty), null, shape, {}, ctx);
}

// ---------------------------------------------------------------------------------------------------------
// JWK and JWKS

async function fromJsonText(text: string, declared: 'jwk' | 'jwks' | 'auto', ctx: Context): Promise<PreparedKeys> {
  const read = readJson(text);
  if (!read.ok) {
    const what = declared === 'jwks' ? 'JWKS' : declared === 'jwk' ? 'JWK' : 'key';
    // Text of another kind altogether (a PEM key, a secret) says so, rather than where JSON went wrong.
    const kind = classifyKeyText(text);
    if (declared !== 'auto' && kind.source !== null && kind.source !== declared && kind.source !== 'jwk' && kind.source !== 'jwks') {
      const goes = kind.source === 'pem' ? 'PEM' : 'Secret';
      throw new KeyError('jwk-invalid', `this looks like ${kind.description}, not a ${what}: choose the ${goes} key type`);
    }
    // The position and what the grammar wanted, never the text itself: it may be a secret.
    const { line, column, reason } = read.error;
    throw new KeyError(declared === 'auto' ? 'key-unreadable' : 'jwk-invalid', `${what} is not valid JSON at line ${line}, column ${column}: ${reason}`);
  }
  const parsed = read.value;
  if (!isPlainObject(parsed)) throw new KeyError('jwk-invalid', 'a JWK or JWKS must be a JSON object');
  if ('keys' in parsed) return fromJwks(parsed, ctx);
  if ('kty' in parsed) return finish('jwk', [seal(await fromJwk(parsed, null, ctx))], []);
  throw new KeyError(
    declared === 'auto' ? 'key-unreadable' : 'jwk-invalid',
    declared === 'jwks'
      ? 'JWKS has no "keys" array'
      : declared === 'jwk'
        ? 'JWK has no kty'
        : 'JSON object is neither a JWK (no "kty") nor a JWKS (no "keys")',
  );
}

/**
 * The usable signature keys of a JWKS; members that cannot verify JWS (encryption keys, unsupported or
 * broken ones) are skipped, with why. Among the usable keys, a set that mixes shared secrets with public keys
 * (a key-confusion risk), or that gives one kid to two keys (which did the issuer mean?), is refused.
 */
async function fromJwks(set: Record<string, unknown>, ctx: Context): Promise<PreparedKeys> {
  const list = set.keys;
  if (!Array.isArray(list)) throw new KeyError('jwk-invalid', 'JWKS "keys" is not an array');
  if (list.length === 0) throw new KeyError('jwks-empty', 'JWKS has no keys');
  if (list.length > MAX_JWKS_KEYS) throw new KeyError('key-too-large', `JWKS has ${list.length} keys; at most ${MAX_JWKS_KEYS} are read`);
  const drafts: Draft[] = [];
  const skipped: SkippedKey[] = [];
  for (let index = 0; index < list.length; index++) {
    const entry: unknown = list[index];
    const kid = isPlainObject(entry) && typeof entry.kid === 'string' ? entry.kid : null;
    try {
      if (!isPlainObject(entry)) throw new KeyError('jwk-invalid', 'JWKS member is not a JSON object');
      drafts.push(await fromJwk(entry, index, ctx));
    } catch (e) {
      if (!(e instanceof KeyError)) throw e;
      skipped.push({ index, kid, code: e.code, reason: e.message });
    }
  }
  if (drafts.length === 0) {
    const reasons = skipped.map((s) => `${jwksKeyName(s.index)}${s.kid === null ? '' : ` (kid ${s.kid})`}: ${s.reason}`);
    throw new KeyError('jwks-empty', `JWKS has no usable signature key: ${reasons.join('; ')}`);
  }
  const secret = drafts.find((d) => d.facts.kty === 'oct');
  const asymmetric = drafts.find((d) => d.facts.kty !== 'oct');
  if (secret && asymmetric) {
    throw new KeyError(
      'jwks-mixed',
      `JWKS mixes a shared secret (${jwksKeyName(secret.facts.index as number)}) with public-key keys (${jwksKeyName(asymmetric.facts.index as number)}): ` +
        'a token could be verified with either kind (key confusion); keep secrets and public keys in separate sets',
    );
  }
  // RFC 7517 §4.5 lets keys of different types share a kid (equivalent alternatives): the token's alg then
  // tells them apart. Two keys with one kid that could verify the same alg are ambiguous.
  const byKid = new Map<string, { index: number; algorithms: readonly string[] }[]>();
  for (const { facts } of drafts) {
    if (facts.kid === null) continue;
    const seen = byKid.get(facts.kid) ?? [];
    const clash = seen.find((other) => other.algorithms.some((alg) => facts.algorithms.includes(alg as JwsAlgorithmName)));
    if (clash !== undefined) {
      throw new KeyError(
        'jwks-duplicate-kid',
        `${jwksKeyName(clash.index)} and ${jwksKeyName(facts.index as number)} share kid ${JSON.stringify(facts.kid)} and both verify ${clash.algorithms.find((alg) => facts.algorithms.includes(alg as JwsAlgorithmName))}: a verifier cannot tell which one the issuer meant`,
      );
    }
    seen.push({ index: facts.index as number, algorithms: facts.algorithms });
    byKid.set(facts.kid, seen);
  }
  return finish('jwks', drafts.map(seal), skipped);
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

async function fromJwk(jwk: Record<string, unknown>, index: number | null, ctx: Context): Promise<Draft> {
  const kty = jwk.kty;
  if (typeof kty !== 'string') throw new KeyError('jwk-invalid', kty === undefined ? 'JWK has no kty' : 'JWK kty must be a string');
  const kid = optionalString(jwk, 'kid');
  // An empty kid names nothing, and a token's empty kid would select it.
  if (kid === '') throw new KeyError('jwk-invalid', 'JWK kid is empty');
  switch (kty) {
    case 'oct': {
      const meta = signatureMeta(jwk, kty);
      const k = jwk.k === '' ? '' : member(jwk, 'k', kty);
      if (k === '') throw new KeyError('jwk-invalid', 'JWK has an empty k');
      return secretDraft(decodeBase64url(k) as Uint8Array, { ...meta, kid, index }, ctx);
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
      const importAlg = meta.alg ?? (ctx.pssOnly ? 'PS256' : 'RS256');
      const shape: KeyShape = { kty: 'RSA', crv: null, importAlg, pssOnly: ctx.pssOnly };
      return importedJwk(pub, priv, shape, { ...meta, kid, index }, ctx);
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
      return importedJwk(pub, priv, { kty, crv: crv as CurveName, importAlg, pssOnly: false }, { ...meta, kid, index }, ctx);
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
      return importedJwk(pub, priv, { kty, crv: 'Ed25519', importAlg: 'Ed25519', pssOnly: false }, { ...meta, kid, index }, ctx);
    }
    case 'AKP':
      throw new KeyError('key-unsupported', 'ML-DSA keys (kty AKP) are not supported on this runtime');
    default:
      throw new KeyError('key-unsupported', `JWK kty ${JSON.stringify(kty)} is not supported (oct, RSA, EC and OKP are)`);
  }
}

/** Imports the JWK once to prove it is a real key (right sizes, on the curve) before anyone relies on it. */
async function importedJwk(pub: PublicJwk, priv: JWK | null, shape: KeyShape, meta: KeyMeta, ctx: Context): Promise<Draft> {
  try {
    await importJWK({ ...pub }, shape.importAlg);
  } catch (e) {
    throw new KeyError('jwk-invalid', `JWK is not a valid ${pub.kty} key: ${(e as Error).message}`);
  }
  let privateKey: CryptoKey | null = null;
  if (priv) {
    try {
      privateKey = (await importJWK({ ...priv }, shape.importAlg)) as CryptoKey;
    } catch (e) {
      // WebCrypto checks that an EC or OKP private key lies under its public point: either can fail here.
      throw new KeyError('jwk-invalid', `JWK private part is not a valid ${pub.kty} key, or not the one of its public members: ${(e as Error).message}`);
    }
  }
  // A JWK's private and public members are separate text, easily taken from two keys: prove they match.
  return asymmetricDraft(pub, priv, privateKey, shape, meta, ctx);
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

/** Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2): none may leave the host. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

function privatePart(jwk: JWK, kty: KeyType): JWK {
  const out: Record<string, unknown> = { ...publicPart(jwk, kty) };
  for (const name of PRIVATE_MEMBERS) if (typeof jwk[name] === 'string') out[name] = jwk[name];
  return out as JWK;
}

const CURVE_BITS: Record<CurveName, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, Ed25519: 256 };
const PAIR_PROBE = utf8Bytes('jwt-workbench key pair check');

async function asymmetricDraft(
  pub: PublicJwk,
  priv: JWK | null,
  privateKey: CryptoKey | null,
  shape: KeyShape,
  meta: KeyMeta,
  ctx: Context,
): Promise<Draft> {
  if (ctx.pssOnly && shape.kty !== 'RSA') {
    throw new KeyError('key-unsupported', `${describeKeyType(shape.kty, shape.crv)} cannot be an RSA-PSS key`);
  }
  let bits: number;
  let rsaExponent: number | null = null;
  if (pub.kty === 'RSA') {
    bits = bitLength(decodeBase64url(pub.n) as Uint8Array);
    rsaExponent = Number(bytesToBigInt(decodeBase64url(pub.e) as Uint8Array));
    if (bits < MIN_RSA_BITS) {
      throw new KeyError('key-unsupported', `the RSA modulus is ${bits} bits; keys under ${MIN_RSA_BITS} bits are refused (RFC 7518 §3.3 requires 2048)`);
    }
  } else {
    bits = CURVE_BITS[shape.crv as CurveName];
  }
  if (privateKey) await checkKeyPair(pub, privateKey, shape);
  return {
    facts: {
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
      certificateSubject: meta.certificateSubject ?? null,
    },
    material: {
      secret: null,
      jwk: Object.freeze({ ...pub }),
      privateJwk: priv ? Object.freeze({ ...priv }) : null,
      pssOnly: shape.pssOnly,
    },
    fromCertificate: false,
  };
}

/**
 * Proves a private JWK belongs to its public members: nothing checks that an RSA JWK's d and CRT values
 * match its n. One signature over a fixed message, verified with the public members alone, settles it for
 * every key type; a mismatched key would otherwise sign tokens nobody can verify. Once per key read (about
 * a millisecond for RSA 2048), never per verification.
 */
async function checkKeyPair(pub: PublicJwk, privateKey: CryptoKey, shape: KeyShape): Promise<void> {
  const alg = jwsAlgorithm(shape.importAlg) as JwsAlgorithm;
  const params = webCryptoSignParams(alg);
  const verifier = (await importJWK({ ...pub }, alg.name)) as CryptoKey;
  const signature = new Uint8Array(await subtle().sign(params, privateKey, PAIR_PROBE));
  if (!(await subtle().verify(params, verifier, signature, PAIR_PROBE))) {
    const members = pub.kty === 'RSA' ? 'n, e' : pub.kty === 'EC' ? 'x, y' : 'x';
    throw new KeyError('key-pair-mismatch', `the private key does not belong to its public part (${members}): it belongs to another key`);
  }
}

function freezeKey(key: Omit<PreparedKey, 'label'>): PreparedKey {
  Object.freeze(key.algorithms);
  const parts = [key.kty === 'RSA' ? `an RSA ${key.bits}-bit key` : describeKeyType(key.kty, key.crv)];
  if (key.kid !== null) parts.push(`kid ${JSON.stringify(key.kid)}`);
  if (key.index !== null) parts.push(jwksKeyName(key.index));
  return Object.freeze({ ...key, label: parts.join(', ') });
}


function register(key: PreparedKey, m: KeyMaterial): void {
  material.set(key, Object.freeze(m));
  // Once per key, not per algorithm nor per verification: 38 small remainders of the modulus.
  const roca = key.publicJwk?.kty === 'RSA' && hasRocaFingerprint(bytesToBigInt(decodeBase64url(key.publicJwk.n) as Uint8Array));
  // Every algorithm of the key's type, not only the allowed ones: signing may use a disallowed one (and warns).
  const byAlg = new Map<string, readonly KeyPolicyWarning[]>();
  for (const alg of JWS_ALGORITHMS) {
    if (alg.kty !== key.kty) continue;
    const list = computePolicyWarnings(key, m, alg, roca);
    if (list.length) byAlg.set(alg.name, Object.freeze(list));
  }
  policyWarnings.set(key, byAlg);
}

function computePolicyWarnings(key: PreparedKey, m: KeyMaterial, alg: JwsAlgorithm, roca: boolean): KeyPolicyWarning[] {
  const out: KeyPolicyWarning[] = [];
  if (key.kty === 'oct' && m.secret && m.secret.length < alg.hashBytes) {
    out.push({
      rule: 'hmac-secret-short',
      // The lint rule hmac-secret-short's severity (a test holds them equal).
      severity: 'error',
      message: `the secret is ${m.secret.length} bytes; ${alg.name} needs at least ${alg.hashBytes} (RFC 7518 §3.2)`,
    });
  }
  if (key.kty === 'RSA') {
    if (key.bits < 2048) {
      out.push({ rule: 'rsa-key-small', severity: 'error', message: `the RSA key is ${key.bits} bits; at least 2048 are required (RFC 7518 §3.3)` });
    }
    const e = key.rsaExponent ?? 0;
    if (e < 65537 || e % 2 === 0) {
      out.push({
        rule: 'rsa-exponent-weak',
        severity: e % 2 === 0 ? 'error' : 'warning',
        message: `the RSA public exponent is ${e}; use 65537 (${e % 2 === 0 ? 'an even exponent is not a valid RSA key' : 'small exponents invite padding attacks'})`,
      });
    }
    if (roca) {
      out.push({
        rule: 'rsa-key-roca',
        severity: 'error',
        message: 'the RSA modulus has the ROCA fingerprint (CVE-2017-15361, Infineon RSALib): its private key can be computed from the public key; replace the key',
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
  if (bytes.length === 0) return 0n;
  // Through hex: one parse, rather than a shift and a new BigInt per byte of a 4096-bit modulus.
  let hex = '';
  for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16);
  return BigInt(`0x${hex}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
