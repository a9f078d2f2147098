/**
 * DPoP proofs (RFC 9449): making one with a private key (§4.2) and checking one as a server does (§4.3).
 * Platform-neutral: jose and WebCrypto only. The proof is read with the project's decoder and its key with the
 * project's importer, so a proof, its jwk and its thumbprint mean here what they mean everywhere else.
 */
import { SignJWT, importJWK } from 'jose';
import { jwsAlgorithm, type JwsAlgorithm } from './algorithms';
import { decodeBase64url, encodeBase64url, utf8Bytes } from './base64url';
import { decodeToken } from './decode';
import { WorkbenchError } from './errors';
import { joseBackend } from './jose-backend';
import { KeyError, PRIVATE_MEMBERS, keyMaterial, prepareKeys, type PreparedKey } from './keys';
import type { SignatureBackend } from './verify';
import type { DecodedToken } from './token';
import { nowSeconds } from './time';
import { subtle } from './webcrypto';

/** The JOSE `typ` of a DPoP proof (RFC 9449 §4.2). */
export const DPOP_TYP = 'dpop+jwt';
/** How old a proof may be by default, in seconds (the server's choice, §4.3 item 11; 5 minutes is common). */
export const DEFAULT_DPOP_MAX_AGE = 300;
/** How far ahead of `now` an `iat` may be: clocks differ a little, a proof from the future is not accepted. */
export const DPOP_IAT_SKEW = 60;

/**
 * The checks of §4.3, in the order they run; `reason` is the first that failed. `malformed-token` stands alone:
 * the proof could not be decoded at all.
 */
export const DPOP_CHECK_IDS = [
  'malformed-token', // the decoder refused the proof (its error code leads the message)
  'format', // a compact JWS whose payload is a JSON object, base64url canonical
  'typ', // header typ is dpop+jwt
  'alg', // header alg is a supported asymmetric algorithm (not none, not HS*)
  'jwk', // header jwk is a public key (no private member) that the alg can use
  'signature', // the signature verifies under that jwk
  'htm', // htm equals the request method
  'htu', // htu equals the request URI, both normalised (RFC 3986 §6), without query and fragment
  'iat', // iat is within max-age before now and not beyond the skew after it
  'jti', // jti is a non-empty string
  'ath', // (with an access token) ath = base64url(SHA-256(access token))
  'nonce', // (with a nonce) nonce equals it
  'cnf-jkt', // (with a JWT access token carrying cnf.jkt) it equals the proof key's thumbprint
] as const;
export type DpopCheckId = (typeof DPOP_CHECK_IDS)[number];

export interface DpopCheck {
  check: DpopCheckId;
  ok: boolean;
  message: string;
}

export interface DpopCheckResult {
  valid: boolean;
  /** The first failed check's id; null when valid. */
  reason: DpopCheckId | null;
  /** RFC 7638 thumbprint of the proof's jwk, when it could be read. */
  jkt: string | null;
  checks: DpopCheck[];
}

export interface DpopCheckOptions {
  /** The HTTP method of the request the proof came with. */
  htm: string;
  /** The HTTP URI of the request (query and fragment are ignored). */
  htu: string;
  /** The access token presented with the proof: `ath` is then required, and its `cnf.jkt` checked. */
  accessToken?: string;
  /** The nonce the server gave out: the proof's `nonce` must equal it. */
  nonce?: string;
  /** Seconds an `iat` may lie before now; default DEFAULT_DPOP_MAX_AGE. */
  maxAge?: number;
  /** NumericDate to check `iat` at; default now. */
  now?: number;
  /** Signature backend; default jose over WebCrypto. */
  backend?: SignatureBackend;
}

export type DpopErrorCode =
  | 'htm-invalid'
  | 'htu-invalid'
  | 'key-not-private'
  | 'key-not-asymmetric'
  | 'key-ambiguous'
  | 'key-unusable' // the signer refuses the key (jose: an RSA modulus under 2048 bits)
  | 'option-invalid';

/** What createDpopProof refuses: a key that cannot sign a proof, a method or URI that cannot be one. */
export class DpopError extends WorkbenchError<DpopErrorCode> {
  override readonly name = 'DpopError';
}

// ---------------------------------------------------------------------------------------------------------
// htu

/** RFC 3986 unreserved characters: percent-encoding one of them is the same URI (§6.2.2.2). */
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * The form of an HTTP URI §4.3 compares `htu` in: RFC 3986 §6 syntax-based normalisation (scheme and host
 * lower case, default port dropped, dot segments removed, empty path = "/", percent-encoding hex upper case and
 * unreserved characters decoded), without query and fragment. Null for anything that is not an http(s) URI.
 */
export function normalizeHtu(uri: string): string | null {
  const url = parseUrl(uri);
  if (url === null) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // WHATWG URL already lower-cases scheme and host, drops the default port and dot segments; it leaves
  // percent-encodings as written, so finish §6.2.2.1–2 here.
  const path = url.pathname.replace(/%([0-9A-Fa-f]{2})/g, (_: string, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
  const userinfo = url.username !== '' || url.password !== '' ? `${url.username}${url.password !== '' ? `:${url.password}` : ''}@` : '';
  return `${url.protocol}//${userinfo}${url.host}${path === '' ? '/' : path}`;
}

/** A WHATWG URL, as far as this module reads it (platform.d.ts leaves URL out of shared/, so typed narrowly here). */
interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly pathname: string;
  search: string;
  hash: string;
  readonly href: string;
}

/** The runtime's WHATWG URL parser (browsers, workers, Node): null for text that is not an absolute URL. */
function parseUrl(text: string): ParsedUrl | null {
  const Url = (globalThis as unknown as { URL: new (input: string) => ParsedUrl }).URL;
  try {
    return new Url(text);
  } catch {
    return null;
  }
}

/** The `htu` a proof carries for a request URI: the URI without query and fragment (§4.2). */
export function proofHtu(uri: string): string {
  const url = parseUrl(uri);
  if (url === null) throw new DpopError('htu-invalid', 'the URI is not an absolute URI');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DpopError('htu-invalid', `the URI's scheme is ${url.protocol.slice(0, -1)}, not http or https`);
  url.search = '';
  url.hash = '';
  return url.href;
}

/** An HTTP method token (RFC 9110 §9.1): what htm must look like. */
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True for text that can be an HTTP method (RFC 9110 §9.1: a token), as htm must be. */
export function isHttpMethod(method: string): boolean {
  return METHOD_TOKEN.test(method);
}

function checkMethod(method: string): void {
  if (!isHttpMethod(method)) throw new DpopError('htm-invalid', 'the HTTP method must be a token such as GET or POST');
}

// ---------------------------------------------------------------------------------------------------------
// ath

/** base64url(SHA-256(ASCII(access token))), the `ath` of a proof made for that token (§4.2). */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return encodeBase64url(new Uint8Array(await subtle().digest('SHA-256', utf8Bytes(accessToken))));
}

// ---------------------------------------------------------------------------------------------------------
// Creating

export interface DpopCreateOptions {
  htm: string;
  htu: string;
  accessToken?: string;
  nonce?: string;
  /** NumericDate of the proof; default now. */
  iat?: number;
  /** Default: 128 random bits, base64url. */
  jti?: string;
}

export interface DpopProof {
  proof: string;
  /** RFC 7638 thumbprint of the proof's public key (what an access token's cnf.jkt binds to). */
  jkt: string;
  alg: string;
}

/**
 * Signs a DPoP proof with a private key (prepareKeys): header typ dpop+jwt, the key's alg and its public jwk;
 * claims jti, htm, htu (no query, no fragment), iat, and ath / nonce when given. Throws DpopError.
 */
export async function createDpopProof(key: PreparedKey, options: DpopCreateOptions): Promise<DpopProof> {
  if (key.type === 'secret' || key.publicJwk === null) throw new DpopError('key-not-asymmetric', 'a DPoP proof needs an asymmetric key, not a shared secret');
  const privateJwk = keyMaterial(key).privateJwk;
  if (key.type !== 'private' || privateJwk === null) throw new DpopError('key-not-private', 'a DPoP proof is signed with a private key; this is a public key');
  checkMethod(options.htm);
  const htu = proofHtu(options.htu);
  const alg = key.alg ?? key.algorithms[0];
  if (alg === undefined) throw new DpopError('key-not-asymmetric', 'the key allows no JWS algorithm');
  if (options.iat !== undefined && !Number.isFinite(options.iat)) throw new DpopError('option-invalid', 'iat must be a NumericDate');

  const claims: Record<string, unknown> = {
    jti: options.jti ?? randomJti(),
    htm: options.htm,
    htu,
    iat: options.iat ?? nowSeconds(),
  };
  if (options.accessToken !== undefined) claims.ath = await accessTokenHash(options.accessToken);
  if (options.nonce !== undefined) claims.nonce = options.nonce;
  let proof: string;
  try {
    const signingKey = await importJWK({ ...privateJwk }, alg);
    proof = await new SignJWT(claims).setProtectedHeader({ typ: DPOP_TYP, alg, jwk: { ...key.publicJwk } }).sign(signingKey);
  } catch (err) {
    // jose's own refusal (e.g. RSA under 2048 bits, RFC 7518 §3.3); its message names no key material.
    throw new DpopError('key-unusable', `${key.label} cannot sign ${alg}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return { proof, jkt: key.thumbprint, alg };
}

/** A single private key out of prepareKeys' answer: a proof is signed by exactly one. */
export function singleSigningKey(keys: readonly PreparedKey[]): PreparedKey {
  if (keys.length !== 1) throw new DpopError('key-ambiguous', `the key input holds ${keys.length} keys; a DPoP proof is signed with exactly one`);
  return keys[0] as PreparedKey;
}

function randomJti(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

// ---------------------------------------------------------------------------------------------------------
// Checking

/** Checks a proof given as text: decodes it first; a proof the decoder refuses fails as `malformed-token`. */
export async function verifyDpopProof(proof: string, options: DpopCheckOptions): Promise<DpopCheckResult> {
  const decoded = decodeToken(proof);
  if (!decoded.ok) {
    return {
      valid: false,
      reason: 'malformed-token',
      jkt: null,
      checks: [{ check: 'malformed-token', ok: false, message: `${decoded.error.code}: ${decoded.error.message}` }],
    };
  }
  return checkDpopProof(decoded.token, options);
}

/**
 * Every check of RFC 9449 §4.3 on a decoded proof, each one entry (the ath, nonce and cnf-jkt checks only when
 * an access token or a nonce is given). Never throws for a bad proof.
 */
export async function checkDpopProof(decoded: DecodedToken, options: DpopCheckOptions): Promise<DpopCheckResult> {
  const checks: DpopCheck[] = [];
  const add = (check: DpopCheckId, ok: boolean, message: string): void => {
    checks.push({ check, ok, message });
  };
  const header = decoded.header;
  const claims = isObject(decoded.payload) ? decoded.payload : {};

  // format
  if (decoded.kind === 'jwe') add('format', false, 'a JWE, not a signed JWT');
  else if (decoded.serialization !== 'compact') add('format', false, 'a JWS JSON serialization; a proof is a compact JWT');
  else if (!isObject(decoded.payload)) add('format', false, 'the payload is not a JSON object');
  else if (decoded.notes.some((n) => n.code === 'base64url-noncanonical')) add('format', false, 'a part is not canonical base64url');
  else add('format', true, 'a compact JWS with a JSON object payload');

  // typ: a media type, so case-insensitive and "application/" optional (RFC 7515 §4.1.9)
  const typOk = typeof header.typ === 'string' && header.typ.toLowerCase().replace(/^application\//, '') === DPOP_TYP;
  add('typ', typOk, typOk ? `typ is ${DPOP_TYP}` : `typ is ${describe(header.typ)}, not ${DPOP_TYP}`);

  // alg
  const alg = jwsAlgorithm(header.alg);
  const algOk = alg !== undefined && alg.kty !== 'oct';
  if (algOk) add('alg', true, `${alg.name} is an asymmetric algorithm`);
  else if (alg !== undefined) add('alg', false, `${alg.name} is a MAC algorithm; a proof must be signed with an asymmetric key`);
  else add('alg', false, header.alg === 'none' ? 'alg "none": a proof must be signed' : `alg ${describe(header.alg)} is not a supported signature algorithm`);

  // jwk
  const { key, message: jwkMessage } = await readProofKey(header.jwk, algOk ? alg : undefined);
  add('jwk', key !== null, jwkMessage);

  // signature
  if (key === null || !algOk || decoded.kind === 'jwe') add('signature', false, 'not checked: no usable alg and jwk');
  else add('signature', ...(await verifySignature(decoded, alg, key, options.backend ?? joseBackend)));

  // htm
  if (typeof claims.htm !== 'string') add('htm', false, claims.htm === undefined ? 'no htm claim' : 'htm is not a string');
  else add('htm', claims.htm === options.htm, claims.htm === options.htm ? `htm is ${options.htm}` : `htm is ${describe(claims.htm)}, the request is ${options.htm}`);

  // htu
  add('htu', ...checkHtu(claims.htu, options.htu));

  // iat
  add('iat', ...checkIat(claims.iat, options.now ?? nowSeconds(), options.maxAge ?? DEFAULT_DPOP_MAX_AGE));

  // jti
  const jtiOk = typeof claims.jti === 'string' && claims.jti !== '';
  add('jti', jtiOk, jtiOk ? 'jti is present' : claims.jti === undefined ? 'no jti claim' : 'jti is not a non-empty string');

  if (options.accessToken !== undefined) {
    const expected = await accessTokenHash(options.accessToken);
    if (claims.ath === undefined) add('ath', false, 'no ath claim, but an access token was presented');
    else add('ath', claims.ath === expected, claims.ath === expected ? 'ath is the hash of the access token' : 'ath is not the hash of the access token');
  }

  if (options.nonce !== undefined) {
    if (claims.nonce === undefined) add('nonce', false, 'no nonce claim, but the server requires one');
    else add('nonce', claims.nonce === options.nonce, claims.nonce === options.nonce ? 'nonce matches' : 'nonce is not the one the server gave');
  }

  if (options.accessToken !== undefined) {
    const bound = boundThumbprint(options.accessToken);
    if (bound !== undefined) {
      if (bound === null) add('cnf-jkt', false, "the access token's cnf.jkt is not a string");
      else if (key === null) add('cnf-jkt', false, 'the access token is bound to a key (cnf.jkt), but the proof key is unusable');
      else add('cnf-jkt', bound === key.thumbprint, bound === key.thumbprint ? 'cnf.jkt is the proof key thumbprint' : "cnf.jkt of the access token is not the proof key's thumbprint");
    }
  }

  const failed = checks.find((c) => !c.ok);
  return { valid: failed === undefined, reason: failed?.check ?? null, jkt: key?.thumbprint ?? null, checks };
}

/** The proof's jwk as a prepared public key, or why it cannot be one. */
async function readProofKey(jwk: unknown, alg: JwsAlgorithm | undefined): Promise<{ key: PreparedKey | null; message: string }> {
  if (jwk === undefined) return { key: null, message: 'no jwk header' };
  if (!isObject(jwk)) return { key: null, message: 'jwk is not a JSON object' };
  const priv = PRIVATE_MEMBERS.filter((m) => m in jwk);
  // §4.3 item 7: "MUST NOT contain a private key"; saying which member, never its value.
  if (priv.length > 0) return { key: null, message: `jwk holds private key member(s) ${priv.join(', ')}` };
  let key: PreparedKey;
  try {
    const prepared = await prepareKeys({ type: 'jwk', value: JSON.stringify(jwk) });
    key = prepared.keys[0] as PreparedKey;
  } catch (err) {
    if (!(err instanceof KeyError)) throw err;
    return { key: null, message: `jwk is unusable: ${err.code}: ${err.message}` };
  }
  if (alg !== undefined && !key.algorithms.includes(alg.name)) return { key: null, message: `jwk is ${key.label}, which ${alg.name} cannot use` };
  return { key, message: `jwk is ${key.label}` };
}

async function verifySignature(decoded: DecodedToken, alg: JwsAlgorithm, key: PreparedKey, backend: SignatureBackend): Promise<[boolean, string]> {
  const signature = decodeBase64url(decoded.signature);
  if (signature === null) return [false, 'the signature is not base64url'];
  if (alg.signatureBytes !== null && signature.length !== alg.signatureBytes) return [false, `the signature has ${signature.length} bytes; ${alg.name} signatures have ${alg.signatureBytes}`];
  try {
    const ok = await backend.verify(alg, key, decoded.signingInput, signature);
    return ok ? [true, `the signature verifies under the jwk (${alg.name})`] : [false, 'the signature does not verify under the jwk'];
  } catch (err) {
    if (err instanceof KeyError) return [false, `the jwk cannot verify: ${err.code}`];
    return [false, 'the jwk cannot verify this signature'];
  }
}

function checkHtu(htu: unknown, requestUri: string): [boolean, string] {
  if (typeof htu !== 'string') return [false, htu === undefined ? 'no htu claim' : 'htu is not a string'];
  const expected = normalizeHtu(requestUri);
  if (expected === null) return [false, 'the request URI is not an http(s) URI'];
  const actual = normalizeHtu(htu);
  if (actual === null) return [false, 'htu is not an http(s) URI'];
  return actual === expected ? [true, `htu matches ${describe(expected)}`] : [false, `htu is ${describe(actual)}, the request is ${describe(expected)}`];
}

function checkIat(iat: unknown, now: number, maxAge: number): [boolean, string] {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return [false, iat === undefined ? 'no iat claim' : 'iat is not a NumericDate'];
  const age = now - iat;
  if (age > maxAge) return [false, `iat is ${Math.round(age)} s old; at most ${maxAge} s is accepted`];
  if (-age > DPOP_IAT_SKEW) return [false, `iat is ${Math.round(-age)} s in the future; at most ${DPOP_IAT_SKEW} s is tolerated`];
  return [true, age >= 0 ? `iat is ${Math.round(age)} s old` : `iat is ${Math.round(-age)} s ahead, within the skew`];
}

/** The access token's cnf.jkt: undefined when it is not a JWT or is not bound by thumbprint, null when malformed. */
function boundThumbprint(accessToken: string): string | null | undefined {
  const decoded = decodeToken(accessToken);
  if (!decoded.ok || decoded.token.kind === 'jwe' || !isObject(decoded.token.payload)) return undefined;
  const cnf = decoded.token.payload.cnf;
  if (!isObject(cnf) || !('jkt' in cnf)) return undefined;
  return typeof cnf.jkt === 'string' ? cnf.jkt : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A claim value for a message: short, and never a whole token. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
