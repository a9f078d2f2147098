/**
 * JWE decryption and encryption (RFC 7516) on jose, platform-neutral (jose + WebCrypto only).
 * Keys are imported here with jose's importers, not with keys.ts: that importer is for signing keys
 * and refuses encryption keys on purpose.
 *
 * Two denial-of-service knobs are capped BEFORE any work: the PBES2 iteration count `p2c` and the
 * size a `zip: DEF` plaintext may inflate to. Every failure that depends on the key material (wrong
 * key, altered tag or ciphertext, bad padding, a key that does not unwrap) gets the same reason,
 * so the output is no padding or tag oracle.
 */
import {
  CompactEncrypt,
  compactDecrypt,
  errors as joseErrors,
  flattenedDecrypt,
  generalDecrypt,
  importJWK,
  importPKCS8,
  importSPKI,
  importX509,
  type CryptoKey,
  type FlattenedJWE,
  type GeneralJWE,
  type JWK,
} from 'jose';
import { decodeToken } from './decode';
import { WorkbenchError } from './errors';
import { derToPem, parsePemBlocks, pkcs1PrivateToPkcs8, pkcs1PublicToSpki, sec1ToPkcs8 } from './pem';

export type JweErrorCode =
  | 'not-jwe' // the text does not decode as a JWE
  | 'jwe-invalid' // a JWE whose structure or header jose refuses
  | 'not-decryptable' // THE generic reason: wrong key, altered ciphertext/tag, bad padding
  | 'p2c-too-large' // PBES2 iteration count above MAX_P2C: refused before deriving
  | 'zip-too-large' // the DEF plaintext inflates beyond MAX_DECOMPRESSED_BYTES
  | 'alg-unsupported' // a key management algorithm jose does not implement (RSA1_5, …)
  | 'enc-unsupported'
  | 'key-invalid' // the key text is not a PEM key, a JWK or a JWKS
  | 'key-unusable' // a key, but not one that fits the token's or the requested algorithm
  | 'password-empty';

export class JweError extends WorkbenchError<JweErrorCode> {
  override name = 'JweError';
}

/** Above this a `p2c` is refused unread: each unit is one PBKDF2 round, and the sender picks it. */
export const MAX_P2C = 1_000_000;
/** The most a `zip: DEF` plaintext may inflate to (10 MiB). */
export const MAX_DECOMPRESSED_BYTES = 10 * 1024 * 1024;

export const KEY_MANAGEMENT_ALGORITHMS = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'dir',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
] as const;
export type KeyManagementAlgorithm = (typeof KEY_MANAGEMENT_ALGORITHMS)[number];

export const CONTENT_ENCRYPTION_ALGORITHMS = ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM'] as const;
export type ContentEncryptionAlgorithm = (typeof CONTENT_ENCRYPTION_ALGORITHMS)[number];

/** The one reason for every key-dependent failure (see the module comment). */
export const NOT_DECRYPTABLE_REASON =
  'not decryptable with this key: wrong key, or the token was altered (authentication tag, padding or key unwrap failed)';

/** Key file text (PEM, JWK or JWKS), or a password for PBES2. */
export type JweKeyInput = { type: 'text'; value: string } | { type: 'password'; value: string };

export type DecryptOutcome =
  | {
      ok: true;
      /** The JOSE header used: protected, shared unprotected and per-recipient members together. */
      header: Record<string, unknown>;
      plaintext: Uint8Array;
      /** The plaintext itself when `cty` says it is a JWT (case-insensitive), for decoding in place. */
      nestedToken: string | null;
      warnings: string[];
    }
  | { ok: false; header: Record<string, unknown> | null; code: JweErrorCode; reason: string; warnings: string[] };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

type Candidate = { kind: 'pem'; pem: string; label: 'private' | 'public' | 'certificate' } | { kind: 'jwk'; jwk: JWK } | { kind: 'password'; bytes: Uint8Array };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the key text into candidate keys; a JWKS gives one per key. */
function parseKeyInput(input: JweKeyInput): Candidate[] {
  if (input.type === 'password') {
    if (input.value === '') throw new JweError('password-empty', 'the password is empty');
    return [{ kind: 'password', bytes: new TextEncoder().encode(input.value) }];
  }
  const text = input.value.trim();
  if (text.startsWith('-----BEGIN')) return [pemCandidate(text)];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JweError('key-invalid', 'the key is neither PEM nor JSON (a JWK or a JWKS)');
  }
  if (isRecord(parsed) && Array.isArray(parsed.keys)) {
    const keys = parsed.keys.filter((k): k is JWK => isRecord(k) && typeof k.kty === 'string');
    if (keys.length === 0) throw new JweError('key-invalid', 'the JWKS holds no key');
    return keys.map((jwk) => ({ kind: 'jwk', jwk }));
  }
  if (isRecord(parsed) && typeof parsed.kty === 'string') return [{ kind: 'jwk', jwk: parsed as JWK }];
  throw new JweError('key-invalid', 'the JSON is neither a JWK (no "kty") nor a JWKS (no "keys")');
}

/**
 * The first key block of a PEM text, normalised to what jose imports: PKCS#1 RSA and SEC1 EC private keys
 * become PKCS#8, a PKCS#1 RSA public key becomes SPKI (converters shared with the signing-key importer).
 */
function pemCandidate(text: string): Candidate {
  let blocks;
  try {
    blocks = parsePemBlocks(text);
  } catch (err) {
    throw new JweError('key-invalid', `the PEM text is not well-formed: ${err instanceof Error ? err.message : 'unreadable'}`, { cause: err });
  }
  const block = blocks.find((b) => b.label !== 'EC PARAMETERS');
  if (block === undefined) throw new JweError('key-invalid', 'the PEM text holds no key');
  if (block.encrypted) throw new JweError('key-invalid', 'the PEM key is encrypted: decrypt it first (openssl pkey)');
  try {
    switch (block.label) {
      case 'PRIVATE KEY':
        return { kind: 'pem', pem: derToPem('PRIVATE KEY', block.der), label: 'private' };
      case 'RSA PRIVATE KEY':
        return { kind: 'pem', pem: derToPem('PRIVATE KEY', pkcs1PrivateToPkcs8(block.der)), label: 'private' };
      case 'EC PRIVATE KEY':
        return { kind: 'pem', pem: derToPem('PRIVATE KEY', sec1ToPkcs8(block.der)), label: 'private' };
      case 'PUBLIC KEY':
        return { kind: 'pem', pem: derToPem('PUBLIC KEY', block.der), label: 'public' };
      case 'RSA PUBLIC KEY':
        return { kind: 'pem', pem: derToPem('PUBLIC KEY', pkcs1PublicToSpki(block.der)), label: 'public' };
      case 'CERTIFICATE':
        return { kind: 'pem', pem: derToPem('CERTIFICATE', block.der), label: 'certificate' };
    }
  } catch (err) {
    throw new JweError('key-invalid', `the PEM ${block.label} is not a valid key: ${err instanceof Error ? err.message : 'unreadable'}`, { cause: err });
  }
  throw new JweError('key-invalid', `unsupported PEM block "${block.label}": give a private key, a public key or a certificate`);
}

/** The key types an algorithm takes, so a JWKS is narrowed before anything is tried. */
function ktyFits(alg: string, kty: string): boolean {
  if (alg.startsWith('RSA')) return kty === 'RSA';
  if (alg.startsWith('ECDH-ES')) return kty === 'EC' || kty === 'OKP';
  return kty === 'oct';
}

/** JWKS selection: right type and use, the header's kid when a key has it, else every usable key. */
function selectCandidates(candidates: Candidate[], alg: string, kid: unknown): Candidate[] {
  const usable = candidates.filter(
    (c) => c.kind !== 'jwk' || (ktyFits(alg, c.jwk.kty ?? '') && c.jwk.use !== 'sig' && (c.jwk.alg === undefined || c.jwk.alg === alg)),
  );
  if (typeof kid === 'string') {
    const byKid = usable.filter((c) => c.kind === 'jwk' && c.jwk.kid === kid);
    if (byKid.length > 0) return byKid;
  }
  return usable;
}

async function importCandidate(candidate: Candidate, alg: string, purpose: 'decrypt' | 'encrypt'): Promise<CryptoKey | Uint8Array> {
  const isPbes2 = alg.startsWith('PBES2');
  if (candidate.kind === 'password') {
    if (!isPbes2) throw new JweError('key-unusable', `a password is only for the PBES2 algorithms, not ${alg}`);
    return candidate.bytes;
  }
  if (isPbes2) throw new JweError('key-unusable', `${alg} takes a password (--password), not a key`);
  try {
    if (candidate.kind === 'pem') {
      if (purpose === 'decrypt') {
        if (candidate.label !== 'private') throw new JweError('key-unusable', 'decrypting needs a private key, not a public key or certificate');
        return await importPKCS8(candidate.pem, alg);
      }
      if (candidate.label === 'private') throw new JweError('key-unusable', 'encrypting needs a public key (SPKI PEM, a certificate or a public JWK), not a private key');
      return candidate.label === 'public' ? await importSPKI(candidate.pem, alg) : await importX509(candidate.pem, alg);
    }
    const jwk: JWK = { ...candidate.jwk };
    // The JWK's own alg would make jose refuse a key meant for a sibling algorithm; the token's alg rules.
    delete jwk.alg;
    if (purpose === 'encrypt' && jwk.kty !== 'oct') for (const member of PRIVATE_MEMBERS) delete (jwk as Record<string, unknown>)[member];
    if (purpose === 'decrypt' && jwk.kty !== 'oct' && jwk.d === undefined) throw new JweError('key-unusable', 'decrypting needs a private JWK (with "d")');
    return await importJWK(jwk, alg);
  } catch (err) {
    if (err instanceof JweError) throw err;
    throw new JweError('key-unusable', `the key does not fit ${alg}: ${err instanceof Error ? err.message : 'import failed'}`, { cause: err });
  }
}

/** The protected header and every unprotected one, so `p2c` and `alg` are seen wherever they sit. */
function headersOf(token: string, serialization: string): Record<string, unknown>[] {
  if (serialization === 'compact') return [];
  const json = JSON.parse(token) as Record<string, unknown>;
  const found: Record<string, unknown>[] = [];
  if (isRecord(json.unprotected)) found.push(json.unprotected);
  if (isRecord(json.header)) found.push(json.header);
  if (Array.isArray(json.recipients)) for (const r of json.recipients) if (isRecord(r) && isRecord(r.header)) found.push(r.header);
  return found;
}

function mergedHeader(result: { protectedHeader?: object; sharedUnprotectedHeader?: object; unprotectedHeader?: object }): Record<string, unknown> {
  return { ...result.protectedHeader, ...result.sharedUnprotectedHeader, ...result.unprotectedHeader };
}

const DECRYPT_OPTIONS = {
  // jose leaves PBES2 out unless asked; the cap below keeps it safe to allow.
  keyManagementAlgorithms: [...KEY_MANAGEMENT_ALGORITHMS],
  contentEncryptionAlgorithms: [...CONTENT_ENCRYPTION_ALGORITHMS],
  maxPBES2Count: MAX_P2C,
  maxDecompressedLength: MAX_DECOMPRESSED_BYTES,
};

/** jose's error, as one of ours: key-dependent failures all collapse into NOT_DECRYPTABLE_REASON. */
function classify(err: unknown): { code: JweErrorCode; reason: string } {
  if (err instanceof JweError) return { code: err.code, reason: err.message };
  if (err instanceof joseErrors.JWEDecryptionFailed) return { code: 'not-decryptable', reason: NOT_DECRYPTABLE_REASON };
  if (err instanceof joseErrors.JWEInvalid && /Decompressed plaintext exceeded/.test(err.message)) {
    return { code: 'zip-too-large', reason: `the compressed plaintext inflates beyond ${MAX_DECOMPRESSED_BYTES} bytes: refused` };
  }
  if (err instanceof joseErrors.JOSENotSupported || err instanceof joseErrors.JOSEAlgNotAllowed) return { code: 'alg-unsupported', reason: err.message };
  if (err instanceof joseErrors.JWEInvalid) return { code: 'jwe-invalid', reason: err.message };
  if (err instanceof TypeError) return { code: 'key-unusable', reason: `the key does not fit this token: ${err.message}` };
  return { code: 'not-decryptable', reason: NOT_DECRYPTABLE_REASON };
}

/** Rank of a failure when several keys were tried: the most informative reason is reported. */
const FAILURE_RANK: Partial<Record<JweErrorCode, number>> = { 'not-decryptable': 3, 'zip-too-large': 4, 'jwe-invalid': 2 };

/** Decrypts a compact, flattened or general JSON JWE (pasted as decode takes it). Never throws for bad input. */
export async function decryptJwe(text: string, keyInput: JweKeyInput): Promise<DecryptOutcome> {
  const decoded = decodeToken(text);
  if (!decoded.ok) return fail(null, 'not-jwe', `not a JWE: ${decoded.error.code}: ${decoded.error.message}`);
  const token = decoded.token;
  if (token.kind !== 'jwe') return fail(null, 'not-jwe', 'not a JWE: the token is a signed (JWS) or unsecured token; use verify or decode');
  const header = token.header;
  const warnings: string[] = [];
  const headers = [header, ...headersOf(token.token, token.serialization)];
  const algs = headers.map((h) => h.alg).filter((a): a is string => typeof a === 'string');
  if (algs.includes('RSA1_5')) {
    warnings.push('RSA1_5 (RSAES-PKCS1-v1_5) is deprecated: it is open to padding-oracle attacks (Bleichenbacher); use RSA-OAEP-256');
  }
  // Before any work: a huge p2c is the sender choosing how long we compute.
  for (const h of headers) {
    if (h.p2c === undefined) continue;
    if (typeof h.p2c !== 'number' || !Number.isSafeInteger(h.p2c) || h.p2c < 1) return fail(header, 'jwe-invalid', '"p2c" is not a positive integer', warnings);
    if (h.p2c > MAX_P2C) {
      return fail(header, 'p2c-too-large', `"p2c" is ${h.p2c}, above the limit of ${MAX_P2C} PBKDF2 iterations: refused before deriving (a denial-of-service knob)`, warnings);
    }
  }
  if (algs.length > 0 && algs.every((a) => a === 'RSA1_5')) {
    return fail(header, 'alg-unsupported', 'RSA1_5 cannot be decrypted: jose (v6) no longer implements it, and WebCrypto has no RSAES-PKCS1-v1_5', warnings);
  }

  let candidates: Candidate[];
  try {
    candidates = parseKeyInput(keyInput);
  } catch (err) {
    const { code, reason } = classify(err);
    return fail(header, code, reason, warnings);
  }

  let best: { code: JweErrorCode; reason: string } | null = null;
  // One attempt per candidate key; the resolver imports it for whichever recipient's alg jose asks about.
  const tried = candidates.length === 1 ? candidates : selectForAny(candidates, algs, header.kid);
  if (tried.length === 0) return fail(header, 'key-unusable', `no key in the JWKS fits ${algs.join(', ') || 'this token'}`, warnings);
  for (const candidate of tried) {
    const resolve = async (protectedHeader: { alg?: string } | undefined, jwe: FlattenedJWE): Promise<CryptoKey | Uint8Array> => {
      const alg = [jwe.header?.alg, jwe.unprotected?.alg, protectedHeader?.alg].find((a): a is string => typeof a === 'string') ?? '';
      return importCandidate(candidate, alg, 'decrypt');
    };
    try {
      const result =
        token.serialization === 'compact'
          ? await compactDecrypt(token.token, resolve, DECRYPT_OPTIONS)
          : token.serialization === 'json-flattened'
            ? await flattenedDecrypt(JSON.parse(token.token) as FlattenedJWE, resolve, DECRYPT_OPTIONS)
            : await generalDecrypt(JSON.parse(token.token) as GeneralJWE, resolve, DECRYPT_OPTIONS);
      const merged = mergedHeader(result);
      const cty = merged.cty;
      const nestedToken = typeof cty === 'string' && cty.toUpperCase() === 'JWT' ? new TextDecoder().decode(result.plaintext) : null;
      return { ok: true, header: merged, plaintext: result.plaintext, nestedToken, warnings };
    } catch (err) {
      const failure = classify(err);
      if (best === null || (FAILURE_RANK[failure.code] ?? 1) > (FAILURE_RANK[best.code] ?? 1)) best = failure;
    }
  }
  const failure = best ?? { code: 'not-decryptable' as const, reason: NOT_DECRYPTABLE_REASON };
  return fail(header, failure.code, failure.reason, warnings);
}

function selectForAny(candidates: Candidate[], algs: string[], kid: unknown): Candidate[] {
  const picked = new Set<Candidate>();
  for (const alg of algs) for (const c of selectCandidates(candidates, alg, kid)) picked.add(c);
  return [...picked];
}

function fail(header: Record<string, unknown> | null, code: JweErrorCode, reason: string, warnings: string[] = []): DecryptOutcome {
  return { ok: false, header, code, reason, warnings };
}

export interface EncryptRequest {
  plaintext: string | Uint8Array;
  alg: string;
  enc: string;
  key: JweKeyInput;
  cty?: string;
}

export interface EncryptResult {
  token: string;
  alg: KeyManagementAlgorithm;
  enc: ContentEncryptionAlgorithm;
}

export function isKeyManagementAlgorithm(alg: string): alg is KeyManagementAlgorithm {
  return (KEY_MANAGEMENT_ALGORITHMS as readonly string[]).includes(alg);
}

export function isContentEncryptionAlgorithm(enc: string): enc is ContentEncryptionAlgorithm {
  return (CONTENT_ENCRYPTION_ALGORITHMS as readonly string[]).includes(enc);
}

/** Encrypts to a compact JWE. Throws JweError for an unknown alg/enc or a key that does not fit. */
export async function encryptJwe(request: EncryptRequest): Promise<EncryptResult> {
  const { alg, enc } = request;
  if (alg === 'RSA1_5') throw new JweError('alg-unsupported', 'RSA1_5 is deprecated and not implemented by jose: use RSA-OAEP-256');
  if (!isKeyManagementAlgorithm(alg)) throw new JweError('alg-unsupported', `unknown key management algorithm "${alg}"`);
  if (!isContentEncryptionAlgorithm(enc)) throw new JweError('enc-unsupported', `unknown content encryption algorithm "${enc}"`);
  const candidates = selectCandidates(parseKeyInput(request.key), alg, undefined);
  const candidate = candidates[0];
  if (candidate === undefined) throw new JweError('key-unusable', `no key fits ${alg}`);
  const key = await importCandidate(candidate, alg, 'encrypt');
  const header: Record<string, unknown> = { alg, enc };
  if (candidate.kind === 'jwk' && typeof candidate.jwk.kid === 'string') header.kid = candidate.jwk.kid;
  if (request.cty !== undefined) header.cty = request.cty;
  const bytes = typeof request.plaintext === 'string' ? new TextEncoder().encode(request.plaintext) : request.plaintext;
  try {
    const token = await new CompactEncrypt(bytes).setProtectedHeader(header as { alg: string; enc: string }).encrypt(key);
    return { token, alg, enc };
  } catch (err) {
    throw new JweError('key-unusable', `cannot encrypt with this key: ${err instanceof Error ? err.message : 'failed'}`, { cause: err });
  }
}
