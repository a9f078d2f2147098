/**
 * SD-JWT (RFC 9901): `<issuer-signed JWT>~<Disclosure>~…~<Disclosure>~[<KB-JWT>]`.
 *
 * The decoder reads the issuer-signed JWT like any compact JWS and hands the rest here: each Disclosure is
 * decoded (`[salt, name, value]` or, for an array element, `[salt, value]`), hashed with the payload's
 * `_sd_alg`, and put back where its digest stands (`_sd` of an object, `{"...": digest}` in an array,
 * recursively: a disclosed value may hold digests of its own). What no digest references, digests no
 * Disclosure matches, duplicates and name clashes are reported, not thrown: the user sees the whole token.
 * The KB-JWT's checks (signature with the `cnf` key, `sd_hash`, `aud`, `nonce`, `iat`) are verify's.
 *
 * Digests are computed synchronously (decode runs on every keystroke and must stay synchronous), with
 * @noble/hashes: an audited SHA-2 that runs the same in the renderer, the CLI and the issuer.
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2';
import { decodeBase64url, encodeBase64url, utf8Bytes, utf8OrNull } from './base64url';
import type { TokenErrorInfo } from './errors';
import { formatJsonPath, type JsonPathSegment } from './json';
import type { DecodedToken } from './token';

/** `_sd_alg` values this reader can hash (IANA "Named Information Hash Algorithm" names). */
const HASHES: Record<string, (bytes: Uint8Array) => Uint8Array> = {
  'sha-256': sha256,
  'sha-384': sha384,
  'sha-512': sha512,
};

export const SD_JWT_DEFAULT_HASH = 'sha-256';

export interface SdJwtDisclosure {
  /** As it stands in the token (base64url). */
  encoded: string;
  /** base64url(hash(ASCII(encoded))) with the token's `_sd_alg`; null when that algorithm is unknown. */
  digest: string | null;
  salt: string;
  /** The claim name; null for an array element. */
  name: string | null;
  value: unknown;
  /** Where it is disclosed (`$.address`, `$.nationalities[0]`); null when no digest references it. */
  path: string | null;
  /** Character offset in the text as pasted. */
  offset: number;
}

export interface SdJwtInfo {
  /** The issuer-signed JWT alone: what its signature covers. */
  issuerJwt: string;
  /** `_sd_alg` of the payload, or sha-256 when it has none (RFC 9901 §4.1.1). */
  hashAlg: string;
  /** Whether `hashAlg` is one this reader implements; when false no digest is computed. */
  hashSupported: boolean;
  disclosures: SdJwtDisclosure[];
  /** The payload with every disclosed claim put in place and `_sd` / `_sd_alg` / decoy digests removed. */
  claims: unknown;
  /** Digests no Disclosure matches: claims the holder did not disclose, or decoys. */
  undisclosed: number;
  /** What makes the SD-JWT invalid (RFC 9901 §7.1): unreferenced or repeated Disclosures, name clashes. */
  problems: string[];
  /** The KB-JWT, decoded; null when the SD-JWT ends with `~` (no key binding). */
  keyBinding: DecodedToken | null;
  /** `<issuer-signed JWT>~<Disclosure>~…~`: the bytes the KB-JWT's `sd_hash` covers (RFC 9901 §4.3.1). */
  sdHashInput: string;
}

/** One Disclosure read from the token, before it is placed. */
export interface RawDisclosure {
  encoded: string;
  offset: number;
}

/** Why a Disclosure cannot be read, or null: it must be base64url of a JSON array of 2 or 3 members. */
export function readDisclosure(encoded: string): { salt: string; name: string | null; value: unknown } | string {
  const bytes = decodeBase64url(encoded);
  if (bytes === null) return 'is not base64url';
  const text = utf8OrNull(bytes);
  if (text === null) return 'is not UTF-8 text';
  let array: unknown;
  try {
    array = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  if (!Array.isArray(array) || (array.length !== 2 && array.length !== 3)) {
    return 'must be a JSON array of [salt, name, value] or [salt, value] (RFC 9901 §4.2)';
  }
  if (typeof array[0] !== 'string') return 'has a salt that is not a string';
  if (array.length === 2) return { salt: array[0], name: null, value: array[1] };
  const name = array[1];
  if (typeof name !== 'string') return 'has a claim name that is not a string';
  // RFC 9901 §4.2.1: these names would be read as SD-JWT's own members.
  if (name === '_sd' || name === '...') return `discloses the reserved name "${name}"`;
  return { salt: array[0], name, value: array[2] };
}

/** base64url(hash(ASCII(text))) with an `_sd_alg`, or null when the algorithm is not supported. */
export function sdDigest(hashAlg: string, text: string): string | null {
  const hash = HASHES[hashAlg.toLowerCase()];
  return hash ? encodeBase64url(hash(utf8Bytes(text))) : null;
}

/**
 * Places the Disclosures into the issuer's payload and reports what does not fit. Pure: the payload is
 * not modified.
 */
export function resolveSdJwt(
  payload: unknown,
  issuerJwt: string,
  raw: readonly RawDisclosure[],
  read: ReadonlyArray<{ salt: string; name: string | null; value: unknown }>,
  keyBinding: DecodedToken | null,
): SdJwtInfo {
  const sdAlg = isObject(payload) && typeof payload._sd_alg === 'string' ? payload._sd_alg : SD_JWT_DEFAULT_HASH;
  const hashSupported = HASHES[sdAlg.toLowerCase()] !== undefined;
  const problems: string[] = [];
  if (!hashSupported) problems.push(`_sd_alg "${sdAlg}" is not supported (sha-256, sha-384 and sha-512 are): no Disclosure can be checked`);

  const disclosures: SdJwtDisclosure[] = raw.map((d, i) => ({
    encoded: d.encoded,
    digest: hashSupported ? sdDigest(sdAlg, d.encoded) : null,
    salt: read[i]!.salt,
    name: read[i]!.name,
    value: read[i]!.value,
    path: null,
    offset: d.offset,
  }));
  const byDigest = new Map<string, SdJwtDisclosure>();
  disclosures.forEach((d, i) => {
    if (d.digest === null) return;
    if (byDigest.has(d.digest)) problems.push(`Disclosure ${i + 1} is a repeat of an earlier one (same digest): RFC 9901 §7.1 rejects it`);
    else byDigest.set(d.digest, d);
  });

  const seen = new Set<string>();
  let undisclosed = 0;
  const place = (node: unknown, path: JsonPathSegment[]): unknown => {
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const element of node) {
        if (isObject(element) && Object.keys(element).length === 1 && typeof element['...'] === 'string') {
          const digest = element['...'];
          const found = byDigest.get(digest);
          if (seen.has(digest)) problems.push(`The digest ${digest} appears more than once in the payload`);
          seen.add(digest);
          if (!found) {
            undisclosed++;
            continue; // undisclosed element or decoy: removed (RFC 9901 §7.1 step 3.c)
          }
          if (found.name !== null) {
            problems.push(`Disclosure of "${found.name}" is referenced from an array, where only [salt, value] Disclosures belong`);
            continue;
          }
          found.path = formatJsonPath([...path, out.length]);
          out.push(place(found.value, [...path, out.length]));
        } else {
          out.push(place(element, [...path, out.length]));
        }
      }
      return out;
    }
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node)) {
      if (name === '_sd' || (name === '_sd_alg' && path.length === 0)) continue;
      out[name] = place(value, [...path, name]);
    }
    const digests = node._sd;
    if (digests !== undefined && !Array.isArray(digests)) problems.push(`_sd at ${formatJsonPath(path)} is not an array`);
    for (const digest of Array.isArray(digests) ? digests : []) {
      if (typeof digest !== 'string') {
        problems.push(`_sd at ${formatJsonPath(path)} holds a value that is not a digest string`);
        continue;
      }
      if (seen.has(digest)) problems.push(`The digest ${digest} appears more than once in the payload`);
      seen.add(digest);
      const found = byDigest.get(digest);
      if (!found) {
        undisclosed++;
        continue;
      }
      if (found.name === null) {
        problems.push(`An array-element Disclosure is referenced from _sd at ${formatJsonPath(path)}`);
        continue;
      }
      if (Object.hasOwn(out, found.name)) {
        problems.push(`"${found.name}" is disclosed at ${formatJsonPath(path)}, where the payload already has it (RFC 9901 §7.1)`);
        continue;
      }
      found.path = formatJsonPath([...path, found.name]);
      out[found.name] = place(found.value, [...path, found.name]);
    }
    return out;
  };
  const claims = place(payload, []);
  if (hashSupported) {
    disclosures.forEach((d, i) => {
      if (d.path === null && byDigest.get(d.digest ?? '') === d) {
        problems.push(`Disclosure ${i + 1} (${d.name === null ? 'an array element' : `"${d.name}"`}) matches no digest in the payload: RFC 9901 §7.1 rejects the SD-JWT`);
      }
    });
  }

  const sdHashInput = `${issuerJwt}~${raw.map((d) => `${d.encoded}~`).join('')}`;
  return { issuerJwt, hashAlg: sdAlg, hashSupported, disclosures, claims, undisclosed, problems, keyBinding, sdHashInput };
}

/** The problems as decode notes (non-fatal: the token still shows; verify refuses it). */
export function sdJwtNotes(info: SdJwtInfo, tokenOffset: number, length: number): TokenErrorInfo[] {
  return info.problems.map((message) => ({ code: 'sd-jwt-invalid', message, segment: 'input', offset: tokenOffset, length: Math.max(1, length) }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What verify needs to check a KB-JWT's signature: verifyToken, passed in (it imports this module). */
export type KeyBindingVerifier = (token: DecodedToken, jwk: string) => Promise<{ valid: boolean; alg: string | null; message: string }>;

export interface SdJwtCheckOptions {
  /** Expected KB-JWT `aud` and `nonce` (the verifier's own); when given, a KB-JWT is required. */
  kbAudience?: string;
  kbNonce?: string;
  now: number;
  leeway: number;
}

/**
 * RFC 9901 §7.1 and §7.3, after the issuer signature verified: every Disclosure fits, and the KB-JWT (when
 * present, or required by an expected aud / nonce) is typed kb+jwt, signed by the payload's `cnf.jwk`, covers
 * exactly this presentation (`sd_hash`), and names this verifier and nonce. Each is a claim check.
 */
export async function sdJwtChecks(info: SdJwtInfo, options: SdJwtCheckOptions, verifyKeyBinding: KeyBindingVerifier): Promise<Array<{ claim: string; ok: boolean; message: string }>> {
  const checks: Array<{ claim: string; ok: boolean; message: string }> = [];
  const n = info.disclosures.length;
  checks.push(
    info.problems.length === 0
      ? {
          claim: 'disclosures',
          ok: true,
          message: `${n} Disclosure${n === 1 ? '' : 's'}, each matching a digest (${info.hashAlg})${info.undisclosed ? `; ${info.undisclosed} digest${info.undisclosed === 1 ? '' : 's'} not disclosed (or decoys)` : ''}`,
        }
      : { claim: 'disclosures', ok: false, message: info.problems.join('; ') },
  );
  const required = options.kbAudience !== undefined || options.kbNonce !== undefined;
  const kb = info.keyBinding;
  if (!kb) {
    if (required) checks.push({ claim: 'kb+jwt', ok: false, message: 'no key-binding JWT, but an audience or nonce is expected: the holder did not prove possession of its key (RFC 9901 §7.3)' });
    return checks;
  }
  const typ = kb.header.typ;
  checks.push(typ === 'kb+jwt' ? { claim: 'kb+jwt', ok: true, message: 'typ is kb+jwt' } : { claim: 'kb+jwt', ok: false, message: `typ must be "kb+jwt" (RFC 9901 §4.3), not ${JSON.stringify(typ ?? null)}` });

  const claims = info.claims;
  const cnfJwk = isObject(claims) && isObject(claims.cnf) && isObject(claims.cnf.jwk) ? claims.cnf.jwk : null;
  if (cnfJwk === null) {
    checks.push({ claim: 'kb.signature', ok: false, message: 'the SD-JWT has no cnf.jwk: there is no holder key to check the key-binding JWT with' });
  } else {
    const result = await verifyKeyBinding(kb, JSON.stringify(cnfJwk));
    checks.push(
      result.valid
        ? { claim: 'kb.signature', ok: true, message: `signed by the holder key in cnf.jwk (${result.alg})` }
        : { claim: 'kb.signature', ok: false, message: `not signed by the holder key in cnf.jwk: ${result.message}` },
    );
  }

  const payload = isObject(kb.payload) ? kb.payload : {};
  const expected = sdDigest(info.hashAlg, info.sdHashInput);
  const sdHash = payload.sd_hash;
  checks.push(
    expected !== null && sdHash === expected
      ? { claim: 'sd_hash', ok: true, message: 'covers exactly this issuer JWT and these Disclosures' }
      : { claim: 'sd_hash', ok: false, message: typeof sdHash === 'string' ? `${sdHash} is not the ${info.hashAlg} digest of this presentation (${expected ?? 'not computable'}): Disclosures were added, removed or reordered` : 'sd_hash is missing (RFC 9901 §4.3)' },
  );
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) checks.push({ claim: 'kb.iat', ok: false, message: 'iat is missing or not a NumericDate (RFC 9901 §4.3)' });
  else if (iat > options.now + options.leeway) checks.push({ claim: 'kb.iat', ok: false, message: `issued ${Math.round(iat - options.now)} s in the future` });
  else checks.push({ claim: 'kb.iat', ok: true, message: `issued ${Math.round(options.now - iat)} s ago` });
  if (options.kbAudience !== undefined) {
    checks.push(payload.aud === options.kbAudience ? { claim: 'kb.aud', ok: true, message: `audience ${JSON.stringify(payload.aud)}` } : { claim: 'kb.aud', ok: false, message: `audience ${JSON.stringify(payload.aud ?? null)}, expected ${JSON.stringify(options.kbAudience)}` });
  }
  if (options.kbNonce !== undefined) {
    checks.push(payload.nonce === options.kbNonce ? { claim: 'kb.nonce', ok: true, message: 'nonce matches' } : { claim: 'kb.nonce', ok: false, message: `nonce ${JSON.stringify(payload.nonce ?? null)}, expected ${JSON.stringify(options.kbNonce)}` });
  }
  return checks;
}
