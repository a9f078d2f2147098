/**
 * Signing exactly what the user typed: the header and payload text are base64url-encoded as given
 * (spacing, member order, escapes), so the token decodes back to the same text. jose's signers serialize
 * the header themselves, so the signature is made here over the exact signing input with WebCrypto,
 * using keys jose imported.
 *
 * `alg: none` decision: an unsecured token (RFC 7515 §A.5) is produced only when the alg is explicitly
 * "none" (in the header, or as the requested alg); the key, if any, is then not used and the result says so.
 */
import {
  JWS_ALGORITHM_NAMES,
  describeKeyType,
  describeNeededKey,
  jwsAlgorithm,
  webCryptoSignParams,
  type JwsAlgorithm,
} from './algorithms';
import { encodeBase64url, encodeBase64urlText, utf8Bytes } from './base64url';
import { cryptoKeyFor } from './crypto-keys';
import { decodeToken } from './decode';
import { KeyError, isPreparedKeys, keyPolicyWarnings, prepareKeys, type KeyInput, type PreparedKey, type PreparedKeys } from './keys';
import { subtle } from './webcrypto';
import { WorkbenchError } from './errors';

export const SIGN_ERROR_CODES = [
  'header-invalid', // not JSON, not an object, or a non-string alg
  'alg-conflict', // the header's alg and the requested alg differ
  'unsupported-alg',
  'key-missing',
  'invalid-key', // the key could not be read (the KeyError's code and message follow)
  'key-type-mismatch', // the key cannot produce the alg (an RSA key for HS256, a P-256 key for ES384)
  'key-not-private', // a public key or certificate cannot sign
  'payload-invalid', // an unencoded (b64:false) payload that a compact JWS cannot carry
  'sign-failed',
] as const;
export type SignErrorCode = (typeof SIGN_ERROR_CODES)[number];

export class SignError extends WorkbenchError<SignErrorCode> {
  override readonly name = 'SignError';
}

export interface SignRequest {
  /** The protected header, as typed: a JSON object. */
  headerText: string;
  /** The payload, as typed: usually a JSON claims set, but a JWS may carry any text. */
  payloadText: string;
  /** A secret (HS*), or a private key: PEM (PKCS#8, PKCS#1, SEC1) or a private JWK / JWKS. */
  key?: KeyInput | PreparedKeys;
  /** Fills in the header's alg when it has none. */
  alg?: string;
}

export interface SignResult {
  token: string;
  alg: string;
  /** Sentences: alg added to the header, header and key disagree, key-policy problems, payload not JSON. */
  warnings: string[];
  /** The header text the token carries: the request's, or with the alg added. */
  headerText: string;
  /** kid of the key that signed (null for an unsecured token or a key without kid). */
  kid: string | null;
}

export async function signToken(request: SignRequest): Promise<SignResult> {
  const { headerText, payloadText } = request;
  if (typeof headerText !== 'string' || typeof payloadText !== 'string') {
    throw new SignError('header-invalid', 'headerText and payloadText must be strings');
  }
  const header = parseHeader(headerText);
  const warnings: string[] = [];
  const headerAlg = header.alg;
  if (headerAlg !== undefined && typeof headerAlg !== 'string') throw new SignError('header-invalid', 'the header alg must be a string');
  if (headerAlg !== undefined && request.alg !== undefined && headerAlg !== request.alg) {
    throw new SignError('alg-conflict', `the header says alg ${headerAlg} but ${request.alg} was requested; remove one`);
  }
  let algName: string | undefined = headerAlg ?? request.alg;

  if (algName === 'none') {
    warnings.push('alg "none": the token is unsecured, with no signature; verifiers must reject it (RFC 8725 §3.2)');
    if (request.key !== undefined) warnings.push('the key was not used: alg "none" has no signature');
    return finishUnsigned(headerText, header, payloadText, warnings, headerAlg === undefined);
  }

  if (request.key === undefined) throw new SignError('key-missing', 'a key is needed to sign (a secret, or a private key)');
  const keys = await readKeys(request.key);
  const signers = keys.keys.filter((k) => k.type !== 'public');
  if (signers.length === 0) {
    throw new SignError('key-not-private', `${keys.source === 'certificate' ? 'a certificate' : 'a public key'} cannot sign: give the private key`);
  }
  const headerKid = typeof header.kid === 'string' ? header.kid : null;
  const fromKey = algName === undefined;
  if (fromKey) {
    const chosen = signers.find((k) => k.kid !== null && k.kid === headerKid) ?? (signers[0] as PreparedKey);
    algName = chosen.algorithms[0] as string;
  }
  const alg = jwsAlgorithm(algName);
  if (!alg) {
    const near = JWS_ALGORITHM_NAMES.find((n) => n.toLowerCase() === String(algName).toLowerCase());
    throw new SignError('unsupported-alg', `alg ${JSON.stringify(algName)} is not a supported JWS algorithm${near ? ` (did you mean ${near}?)` : ''}`);
  }

  const key = pickKey(signers, alg, headerKid);
  const finalHeader = headerAlg === undefined ? insertAlg(headerText, header, alg.name) : headerText;
  if (headerAlg === undefined) {
    warnings.push(`the header had no alg: added "alg":"${alg.name}"${fromKey ? ' (the key\'s default)' : ''} at its start; the rest is as typed`);
  }
  warnings.push(...policyDisagreement(key, alg, headerKid));
  for (const w of keyPolicyWarnings(key, alg.name)) warnings.push(`${w.rule}: ${w.message}`);
  warnings.push(...critWarnings(header));
  warnings.push(...payloadWarnings(payloadText));

  const signingInputText = `${encodeBase64urlText(finalHeader)}.${payloadSegment(header, payloadText)}`;
  let signature: Uint8Array;
  try {
    const cryptoKey = await cryptoKeyFor(key, alg, 'sign');
    signature = new Uint8Array(await subtle().sign(webCryptoSignParams(alg), cryptoKey, utf8Bytes(signingInputText)));
  } catch (e) {
    throw new SignError('sign-failed', `signing with ${alg.name} failed: ${(e as Error)?.message ?? String(e)}`);
  }
  const token = `${signingInputText}.${encodeBase64url(signature)}`;
  warnings.push(...decodeWarnings(token));
  return { token, alg: alg.name, warnings, headerText: finalHeader, kid: key.kid };
}

/**
 * Signing takes the text as typed, so it can make a token that decode (and so verify) refuses: a header with a
 * repeated member, JSON nested too deep. Say so rather than hand over a token every strict reader rejects.
 */
function decodeWarnings(token: string): string[] {
  const decoded = decodeToken(token);
  return decoded.ok ? [] : [`decode refuses the token this makes (${decoded.error.code}): ${decoded.error.message}`];
}

function parseHeader(headerText: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (e) {
    throw new SignError('header-invalid', `the header is not JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SignError('header-invalid', 'the header must be a JSON object');
  }
  return header as Record<string, unknown>;
}

async function readKeys(key: KeyInput | PreparedKeys): Promise<PreparedKeys> {
  if (isPreparedKeys(key)) return key;
  try {
    return await prepareKeys(key);
  } catch (e) {
    if (e instanceof KeyError) throw new SignError('invalid-key', `${e.code}: ${e.message}`);
    throw e;
  }
}

/** The key that signs: one that can produce the alg, preferring the header's kid. */
function pickKey(signers: PreparedKey[], alg: JwsAlgorithm, headerKid: string | null): PreparedKey {
  const able = signers.filter((k) => k.kty === alg.kty && (alg.crv === null || k.crv === alg.crv));
  if (able.length === 0) {
    const k = signers[0] as PreparedKey;
    const hint =
      alg.kty === 'oct' && k.kty !== 'oct'
        ? ' (to use the key text itself as an HMAC secret, pass it as a secret: that is the algorithm-confusion attack of RFC 8725 §2.1)'
        : '';
    throw new SignError('key-type-mismatch', `${alg.name} needs ${describeNeededKey(alg)}; the key is ${describeKeyType(k.kty, k.crv)}${hint}`);
  }
  return able.find((k) => k.kid !== null && k.kid === headerKid) ?? able.find((k) => k.algorithms.includes(alg.name)) ?? (able[0] as PreparedKey);
}

/** The key can make the signature, but its own policy (JWK alg, RSASSA-PSS key) or kid says otherwise. */
function policyDisagreement(key: PreparedKey, alg: JwsAlgorithm, headerKid: string | null): string[] {
  const out: string[] = [];
  if (!key.algorithms.includes(alg.name)) {
    const why = key.alg !== null ? `the key's JWK alg is ${key.alg}` : `the key allows ${key.algorithms.join(', ')} only`;
    out.push(`${why}, but the header says ${alg.name}: a verifier that honours the key's policy will reject this token`);
  }
  if (headerKid !== null && key.kid !== null && headerKid !== key.kid) {
    out.push(`the header's kid ${JSON.stringify(headerKid)} differs from the signing key's kid ${JSON.stringify(key.kid)}`);
  }
  return out;
}

function critWarnings(header: Record<string, unknown>): string[] {
  const crit = header.crit;
  if (crit === undefined) return [];
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string')) {
    return ['crit must be a non-empty array of header names; verifiers will reject this token (RFC 7515 §4.1.11)'];
  }
  const unknown = (crit as string[]).filter((c) => c !== 'b64');
  return unknown.length ? [`crit lists ${unknown.join(', ')}: verifiers that do not implement ${unknown.length === 1 ? 'it' : 'them'} must reject this token`] : [];
}

function payloadWarnings(payloadText: string): string[] {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return ['the payload is not JSON: the token is a JWS, but not a JWT'];
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return ['the payload is JSON but not an object: the token is a JWS, but not a JWT (RFC 7519 §7.2)'];
  }
  return [];
}

/** RFC 7797: with `b64: false` (listed in crit) the payload goes into the JWS as is. */
function isUnencoded(header: Record<string, unknown>): boolean {
  return header.b64 === false && Array.isArray(header.crit) && header.crit.includes('b64');
}

function payloadSegment(header: Record<string, unknown>, payloadText: string): string {
  if (!isUnencoded(header)) return encodeBase64urlText(payloadText);
  // RFC 7797 §5.2: in the compact form an unencoded payload cannot contain '.', and we keep it printable ASCII.
  if (/[^\x20-\x2d\x2f-\x7e]/.test(payloadText)) {
    throw new SignError('payload-invalid', "with b64:false a compact JWS payload must be printable ASCII without '.'");
  }
  return payloadText;
}

/** Adds `"alg":"…"` right after the header's opening brace, so everything the user typed stays as typed. */
function insertAlg(headerText: string, header: Record<string, unknown>, alg: string): string {
  const brace = headerText.indexOf('{');
  const member = `"alg":${JSON.stringify(alg)}${Object.keys(header).length ? ',' : ''}`;
  return headerText.slice(0, brace + 1) + member + headerText.slice(brace + 1);
}

function finishUnsigned(
  headerText: string,
  header: Record<string, unknown>,
  payloadText: string,
  warnings: string[],
  addAlg: boolean,
): SignResult {
  const finalHeader = addAlg ? insertAlg(headerText, header, 'none') : headerText;
  if (addAlg) warnings.push('the header had no alg: added "alg":"none" at its start; the rest is as typed');
  warnings.push(...payloadWarnings(payloadText));
  const token = `${encodeBase64urlText(finalHeader)}.${payloadSegment(header, payloadText)}.`;
  warnings.push(...decodeWarnings(token));
  return {
    token,
    alg: 'none',
    warnings,
    headerText: finalHeader,
    kid: null,
  };
}
